"""Splitting ``IN (...)`` lookups, shared by every query whose list of values grows with the data."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")

# SQLite allows 32,766 parameters a statement; lookups go in chunks well under that.
_CHUNK = 500


def in_chunks(values: Sequence[T]) -> Iterator[tuple[Sequence[T], str]]:
    """``values`` in chunks for ``IN (...)``, each with its placeholders (``?, ?, …``)."""
    for start in range(0, len(values), _CHUNK):
        chunk = values[start : start + _CHUNK]
        yield chunk, ", ".join("?" * len(chunk))
