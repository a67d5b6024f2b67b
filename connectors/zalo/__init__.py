"""Zalo Official Account channel (Open API v3): webhook, replies, tokens, reply window."""
