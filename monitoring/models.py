"""Monitoring's own tables. It reads every other app and is imported by none (style.md)."""
