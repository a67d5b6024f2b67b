"""Adapters that talk outward: the core case-management API now, chat channels later."""
