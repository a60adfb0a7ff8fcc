"""Which extensions the bot loads: every public module or package under ``cogs/``."""

from __future__ import annotations

import pkgutil

import cogs


def walk_extensions() -> list[str]:
    """Dotted names of every extension; a name starting with ``_`` is private and skipped."""
    return sorted(
        f"{cogs.__name__}.{module.name}"
        for module in pkgutil.iter_modules(cogs.__path__)
        if not module.name.startswith("_")
    )
