"""Helpers shared by the skaug estimators (not part of the public API)."""
