"""Every text a user reads, in their own client's language, without Discord.

The English text is the key: a template with named placeholders, written where it is used
(``UserFacingError("There is no season {season} here.", season=7)``), so the code reads as English and
``str()`` of anything built from a template is the English a log or a test expects. Translations are data,
one TOML file per language in ``bot/locales`` (English template → translation), shared by the command
names (``bot.translations``) and the replies; a community adds a language without touching code.

No discord import here, so services deep in ``bot/`` can raise a template; the cogs and the command tree
pick the language (the interaction's locale) only when they answer.
"""

from __future__ import annotations

import logging
import tomllib
from collections.abc import Mapping
from functools import cache
from importlib import resources

log = logging.getLogger(__name__)

# Discord locale code (or its language part) → the file holding that language's tables.
LOCALE_FILES: dict[str, str] = {"ko": "ko.toml"}
# The tables a locale file may hold: command names and descriptions, and the text of replies.
TABLES = ("strings", "replies")


def locale_file(locale: str | None) -> str | None:
    """The file for a Discord locale code; ``ko`` serves any Korean variant, English needs no file."""
    if not locale:
        return None
    return LOCALE_FILES.get(locale) or LOCALE_FILES.get(locale.split("-", 1)[0].lower())


@cache
def _load(file: str) -> Mapping[str, str]:
    data = tomllib.loads(resources.files("bot.locales").joinpath(file).read_text(encoding="utf-8"))
    merged: dict[str, str] = {}
    for name in TABLES:
        for key, value in data.get(name, {}).items():
            if key in merged and merged[key] != value:
                # A command name must stay what Discord was given, so the first table wins.
                log.warning("%s: %r is translated twice, differently; keeping %r", file, key, merged[key])
                continue
            merged[str(key)] = str(value)
    return merged


def table(locale: str | None) -> Mapping[str, str]:
    """English text → translation for ``locale`` (empty for English and languages without a file)."""
    file = locale_file(locale)
    return {} if file is None else _load(file)


def lookup(text: str, locale: str | None) -> str | None:
    """The translation of ``text`` as written in the file, unformatted; ``None`` when there is none."""
    return table(locale).get(text)


def translate(template: str, locale: str | None, /, **values: object) -> str:
    """``template`` in the language of ``locale`` with ``values`` filled in; English when it has no translation.

    Values that are ``Text`` are translated into the same language; any other value (a feed's title, an HTTP
    reason, a number) goes in as it is. A translation whose placeholders do not fit falls back to English
    rather than failing the reply.
    """
    shown = {key: value.render(locale) if isinstance(value, Text) else value for key, value in values.items()}
    translated = lookup(template, locale)
    if translated is not None:
        try:
            return translated.format_map(shown)
        except (KeyError, IndexError, ValueError) as exc:
            log.warning(
                "The %s translation of %r does not fit its values (%s); answering in English", locale, template, exc
            )
    return template.format_map(shown)


class Text:
    """A template and its values, translated only when someone reads it; ``str()`` is the English."""

    __slots__ = ("template", "values")

    def __init__(self, template: str, /, **values: object) -> None:
        self.template = template
        self.values = values

    @classmethod
    def of(cls, template: str | Text, /, **values: object) -> Text:
        """A template with its values, or a ``Text`` made further down passed on as it is."""
        if not isinstance(template, Text):
            return cls(template, **values)
        if values:
            raise TypeError("values go into the Text, not beside it")
        return template

    def render(self, locale: str | None) -> str:
        return translate(self.template, locale, **self.values)

    def __str__(self) -> str:
        return self.render(None)

    def __repr__(self) -> str:
        return f"Text({self.template!r}, **{self.values!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Text) and (self.template, self.values) == (other.template, other.values)

    __hash__ = None  # type: ignore[assignment]  # the values may be anything, so it cannot be a key


class TranslatableError(Exception):
    """An exception whose message is a ``Text``: ``str()`` stays the English, ``translated()`` the user's.

    Takes a template and its values, or a ``Text`` made further down (a ``FilterError``'s reason passed on).
    """

    def __init__(self, template: str | Text, /, **values: object) -> None:
        self.text = Text.of(template, **values)
        super().__init__(str(self.text))

    def translated(self, locale: str | None) -> str:
        return self.text.render(locale)
