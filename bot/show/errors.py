"""Errors raised while loading a show pack or answering ``/cast`` and ``/recap``.

``ShowPackError`` is for whoever maintains the pack (it stops start-up with one line naming the file, the
key and the problem); the others subclass ``UserFacingError`` because the fan who typed the command can
fix them, and the command tree shows their message in the fan's language.
"""

from __future__ import annotations

from bot.errors import UserFacingError
from bot.i18n import Text


class ShowPackError(ValueError):
    """A show pack is unreadable or inconsistent; the message is one line: ``file: key.path: problem``."""

    def __init__(self, file: str, key: str, problem: str) -> None:
        self.file = file
        self.key = key
        self.problem = problem
        where = f"{file}: {key}: " if key else f"{file}: "
        super().__init__(where + problem)


class SeasonNotFound(UserFacingError):
    """The season asked for is not in the pack."""

    def __init__(self, season: int, known: tuple[int, ...]) -> None:
        self.season = season
        listed = ", ".join(str(n) for n in known) or Text("none")
        super().__init__("There is no season {season} here. Seasons I know: {listed}.", season=season, listed=listed)


class EpisodeOutOfRange(UserFacingError):
    """The episode asked for does not exist in that season; the message gives the valid range."""

    def __init__(self, season: int, episode: int, count: int) -> None:
        self.season = season
        self.episode = episode
        self.count = count
        if count == 0:
            super().__init__("Season {season} has no episodes out yet, so there is nothing to recap.", season=season)
        else:
            super().__init__(
                "Season {season} has episodes 1–{count}; there is no episode {episode}.",
                season=season,
                count=count,
                episode=episode,
            )


class NotInSeason(UserFacingError):
    """The person or character asked about has no credit in the season asked for."""

    def __init__(self, name: str, season: int) -> None:
        self.name = name
        self.season = season
        super().__init__(
            "{name} is not in the season {season} cast as far as anyone has reported.", name=name, season=season
        )


class UnknownEntry(UserFacingError):
    """Nobody in the pack matches what was typed; the message offers the closest names instead."""

    def __init__(self, value: str, suggestions: tuple[str, ...] = ()) -> None:
        self.value = value
        self.suggestions = suggestions
        if suggestions:
            super().__init__(
                "I don't know anyone called “{value}”. Did you mean {suggestions}?",
                value=value,
                suggestions=or_text(suggestions),
            )
        else:
            super().__init__("I don't know anyone called “{value}”.", value=value)


class NoArc(UserFacingError):
    """The character has no written arc for that season."""

    def __init__(self, name: str, season: int) -> None:
        super().__init__("There is no recap of {name}'s story in season {season} yet.", name=name, season=season)


def or_list(names: tuple[str, ...]) -> str:
    """``**A**, **B** or **C**``: how suggestions are offered to the user."""
    return str(or_text(names))


def or_text(names: tuple[str, ...]) -> Text | str:
    """``or_list`` with its "or" in the reader's language (a single name needs no word)."""
    quoted = [f"**{n}**" for n in names]
    if len(quoted) == 1:
        return quoted[0]
    return Text("{names} or {last}", names=", ".join(quoted[:-1]), last=quoted[-1])
