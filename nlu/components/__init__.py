"""Custom Rasa 3 graph components for Vietnamese.

Rasa imports them by module path (repo root on ``sys.path``):

- ``nlu.components.tokenizer.VietnameseTokenizer``
- ``nlu.components.tracking_codes.TrackingCodeExtractor``

Nothing is imported here, so ``import nlu`` stays free of Rasa.
"""
