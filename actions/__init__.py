"""rasa-sdk actions of the One-Stop Shop assistant, one small module per feature.

Nothing here does I/O at import time: the core API client and the procedure catalogue are
created on first use by `actions.services`.
"""
