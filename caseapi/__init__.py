"""Reference implementation of the MST core case-management API.

The real core API is an external system; this package implements its contract
(``openapi.yaml``) with SQLite storage so that local runs and tests have a real
server to talk to.
"""

__version__ = "0.1.0"
