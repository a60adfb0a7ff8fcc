"""Discord-facing extensions. Every public module or package here is loaded at start-up.

A module whose name starts with ``_`` is private and is not an extension.
"""
