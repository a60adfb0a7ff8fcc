"""Turn pack data into ``Card``s and plain strings for ``/cast`` and ``/recap``.

Everything here is pure and Discord-free, so the spoiler rules are unit-tested: in public answers
(``spoilers_hidden=True``) every death, turn and fate, and any text the pack marks with ``||``, sits inside
spoiler tags; private answers drop the tags. With ``up_to`` nothing after that episode is ever rendered.
Long text is split across several cards at sentence or paragraph boundaries, never cut off.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from bot.cards import DESCRIPTION_LIMIT, FIELD_VALUE_LIMIT, Card, CardField, split_text, spoiler, truncate
from bot.show.errors import EpisodeOutOfRange, NoArc, NotInSeason, SeasonNotFound, or_list
from bot.show.model import Character, Credit, Person, Season, Show, Source

log = logging.getLogger(__name__)

MAX_PER_PAGE = 25


def strip_spoilers(text: str) -> str:
    """Pack text without its ``||`` markers, for answers only the asker sees."""
    return text.replace("||", "")


def _shown(text: str, spoilers_hidden: bool) -> str:
    return text if spoilers_hidden else strip_spoilers(text)


def _hidden(text: str, spoilers_hidden: bool) -> str:
    """Text that is a spoiler as a whole (fates, deaths)."""
    return spoiler(text) if spoilers_hidden else text


def _named(name: str, hangul: str | None) -> str:
    return f"{name} ({hangul})" if hangul else name


def _source(source: Source) -> str:
    when = f", {source.date.isoformat()}" if source.date else ""
    return f"[{source.outlet}]({source.url}){when}" if source.url else f"{source.outlet}{when}"


def _sources(sources: Iterable[Source]) -> str:
    return "; ".join(_source(s) for s in sources)


def _season(show: Show, number: int) -> Season:
    season = show.season(number)
    if season is None:
        raise SeasonNotFound(number, tuple(s.number for s in show.seasons))
    return season


def _cards(title: str, text: str, footer: str = "") -> list[Card]:
    """One card per chunk of ``text``; titles are numbered when the text needs several."""
    chunks = split_text(text, DESCRIPTION_LIMIT) or ["—"]
    many = len(chunks) > 1
    return [
        Card(
            title=truncate(f"{title} ({i}/{len(chunks)})" if many else title, 256),
            description=chunk,
            footer=footer,
        ).check()
        for i, chunk in enumerate(chunks, start=1)
    ]


# -- /cast -------------------------------------------------------------------------------------------


def credit_status(credit: Credit, spoilers_hidden: bool = True) -> str:
    """One line on how sure we are of a credit, with its sources, e.g. for the season-2 field."""
    kind = "Returning" if credit.kind == "returning" else "New"
    line = f"{kind}, {_status_words(credit)} ({_sources(credit.sources)})"
    if credit.note:
        line += f"\n{_shown(credit.note, spoilers_hidden)}"
    return line


def _status_words(credit: Credit) -> str:
    """How firm a credit is, in words; a weak source is named as such so fans do not take it as news."""
    if credit.status == "confirmed":
        return "confirmed"
    if credit.weak:
        backing = "one weak source" if len(credit.sources) == 1 else "weak sources only"
        return f"reported by {backing}, not confirmed"
    return "reported, not confirmed"


def cast_card(
    show: Show, entry: Person | Character, season: int | None = None, *, spoilers_hidden: bool = True
) -> Card:
    """One person (or character): who plays whom in both scripts, seasons, next-season status and fates.

    With ``season``, the entry must have a credit in that season (``NotInSeason`` otherwise); the card still
    shows the whole picture, since knowing a later season's status is the point of asking.
    """
    is_person = isinstance(entry, Person)
    credits = show.credits_for(person=entry.id) if is_person else show.credits_for(character=entry.id)
    if season is not None:
        _season(show, season)
        if not any(c.season == season for c in credits):
            raise NotInSeason(entry.name, season)
    fields: list[CardField] = []
    if isinstance(entry, Person):
        roles = list(dict.fromkeys(c.character for c in credits))
        played = [c for c in (show.character(r) for r in roles if r) if c is not None]
        description = "\n".join(f"Plays **{_named(c.name, c.hangul)}**" for c in played)
        for role in roles:
            role_credits = tuple(c for c in credits if c.character == role)
            character = show.character(role) if role else None
            fields.append(_role_field(character, role_credits, spoilers_hidden))
    else:
        description = entry.description
        for person_id in dict.fromkeys(c.person for c in credits):
            person = show.person(person_id)
            seasons = sorted({c.season for c in credits if c.person == person_id})
            if person is not None:
                value = f"{_named(person.name, person.hangul)}, {_seasons(seasons)}"
                fields.append(CardField(name="Played by", value=value))
    upcoming = show.next_season.season if show.next_season else max(s.number for s in show.seasons)
    next_credits = [c for c in credits if c.season == upcoming]
    if next_credits:
        value = "\n".join(credit_status(c, spoilers_hidden) for c in next_credits)
    elif credits:
        value = f"Not in the season-{upcoming} cast announced so far."
    else:
        value = "No credits recorded."
    fields.append(CardField(name=f"Season {upcoming}", value=_fit(value, FIELD_VALUE_LIMIT)))
    if isinstance(entry, Character):
        fields.extend(
            CardField(name=f"End of season {f.season}", value=_fit(_hidden(f.text, spoilers_hidden), FIELD_VALUE_LIMIT))
            for f in entry.fates
        )
    title = _named(entry.name, entry.hangul)
    return Card(
        title=truncate(title, 256),
        description=_fit(description, DESCRIPTION_LIMIT),
        fields=tuple(fields[:25]),
        footer=show.title,
    ).check()


def _fit(text: str, limit: int) -> str:
    """Shorten text for a fixed-size slot without ever letting a cut spoiler spill out of its tags."""
    if len(text) <= limit:
        return text
    cut = truncate(text, limit - 2)
    return cut + "||" if cut.count("||") % 2 else cut


def _role_field(character: Character | None, credits: tuple[Credit, ...], spoilers_hidden: bool) -> CardField:
    seasons = sorted({c.season for c in credits})
    if character is None:
        name = "Role not reported"
        lines = [_seasons(seasons).capitalize()]
    else:
        name = f"As {_named(character.name, character.hangul)}"
        lines = [character.description, _seasons(seasons).capitalize()]
        for fate in character.fates:
            if fate.season in seasons:
                lines.append(f"End of season {fate.season}: {_hidden(fate.text, spoilers_hidden)}")
    return CardField(name=truncate(name, 256), value=_fit("\n".join(lines), FIELD_VALUE_LIMIT))


def _seasons(numbers: list[int]) -> str:
    """``season 1`` or ``seasons 1, 2``."""
    return ("season " if len(numbers) == 1 else "seasons ") + ", ".join(map(str, numbers))


def cast_pages(show: Show, season: int, per_page: int = 10) -> list[Card]:
    """The season's cast in billing order, paged; later seasons mark new/returning and unconfirmed reports."""
    _season(show, season)
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    first = min(s.number for s in show.seasons)
    lines = [_cast_line(show, c, show_kind=season != first) for c in show.credits_for(season=season)]
    title = f"{show.title}: season {season} cast"
    if not lines:
        return [Card(title=title, description="No cast has been announced for this season yet.").check()]
    pages: list[list[str]] = [[]]
    for line in lines:
        page = pages[-1]
        if len(page) >= per_page or len("\n".join([*page, line])) > DESCRIPTION_LIMIT - 200:
            pages.append([line])
        else:
            page.append(line)
    legend = (
        "Unconfirmed entries are marked *reported*."
        if any(c.status == "reported" for c in show.credits_for(season=season))
        else ""
    )
    cards = []
    for i, page in enumerate(pages, start=1):
        cards.append(
            Card(
                title=title,
                description="\n".join(page),
                footer=f"Page {i}/{len(pages)} · {len(lines)} credits" + (f" · {legend}" if legend else ""),
            ).check()
        )
    return cards


def _cast_line(show: Show, credit: Credit, *, show_kind: bool) -> str:
    person = show.person(credit.person)
    character = show.character(credit.character) if credit.character else None
    who = f"**{person.name}**" + (f" ({person.hangul})" if person.hangul else "") if person else credit.person
    role = "role not reported"
    if character is not None:
        role = f"**{character.name}**" + (f" ({character.hangul})" if character.hangul else "")
    tags: list[str] = []
    if show_kind:
        tags.append(credit.kind)
    if credit.status == "reported":
        tags.append(f"*{_status_words(credit)}* ({_sources(credit.sources)})")
    return f"{who} as {role}" + "".join(f" · {t}" for t in tags)


# -- /recap ------------------------------------------------------------------------------------------


def recap_overview(show: Show, season: int, *, spoilers_hidden: bool = True) -> list[Card]:
    """The season in brief, with where sources disagree and, for the next season, its release status."""
    s = _season(show, season)
    parts = [_shown(s.overview, spoilers_hidden)]
    if show.next_season is not None and show.next_season.season == season:
        release = show.next_season
        parts.append(f"**Release:** {release.summary} *(as of {release.as_of.isoformat()})*")
    if s.notes:
        parts.append("**Where sources disagree**\n" + "\n".join(f"• {_shown(n, spoilers_hidden)}" for n in s.notes))
    footer = f"{show.network} · {len(s.episodes)} episodes" if s.episodes else show.network
    if s.release_date:
        footer += f" · released {s.release_date.isoformat()}"
    return _cards(f"{show.title} ({show.title_ko}): season {season}", "\n\n".join(parts), footer)


def recap_episode(show: Show, season: int, number: int, *, spoilers_hidden: bool = True) -> list[Card]:
    """One episode's recap; ``EpisodeOutOfRange`` names the valid range."""
    s = _season(show, season)
    episode = s.episode(number)
    if episode is None:
        raise EpisodeOutOfRange(season, number, len(s.episodes))
    footer = f"{show.network} · released {episode.release_date.isoformat()}"
    return _cards(f"{show.title}: season {season}, episode {number}", _shown(episode.recap, spoilers_hidden), footer)


def recap_character(
    show: Show,
    character: Character,
    up_to: int | None = None,
    spoilers_hidden: bool = True,
    *,
    season: int | None = None,
) -> list[Card]:
    """A character's arc through a season, stopping at ``up_to`` when given.

    ``season`` defaults to the latest season with an arc for this character. The season's fate is only
    added when the whole season is covered, so ``up_to`` can never give the ending away.
    """
    if season is None:
        seasons = [a.season for a in show.arcs if a.character == character.id]
        if not seasons:
            raise NoArc(character.name, max(s.number for s in show.seasons))
        season = max(seasons)
    s = _season(show, season)
    arc = show.arc(character.id, season)
    if arc is None:
        raise NoArc(character.name, season)
    last = len(s.episodes)
    if up_to is not None and not 1 <= up_to <= last:
        raise EpisodeOutOfRange(season, up_to, last)
    limit = last if up_to is None else up_to
    lines: list[str] = []
    for beat in arc.beats:
        if beat.episode > limit:
            break
        text = _hidden(beat.text, spoilers_hidden) if beat.spoiler else _shown(beat.text, spoilers_hidden)
        lines.append(f"**Ep. {beat.episode}:** {text}")
    if not lines:
        lines.append(f"Nothing recorded for {character.name} up to episode {limit}.")
    fate = character.fate(season)
    if fate is not None and limit == last:
        lines.append(f"**End of season {season}:** {_hidden(fate.text, spoilers_hidden)}")
    title = f"{_named(character.name, character.hangul)}: season {season}"
    if up_to is not None and up_to < last:
        title += f", up to episode {up_to}"
    return _cards(title, "\n".join(lines), show.title)


def did_you_mean(names: Iterable[str]) -> str:
    """The ephemeral reply for a name that matched nobody well."""
    listed = tuple(names)
    if not listed:
        return "I couldn't find anyone by that name."
    return f"I couldn't find that name. Did you mean {or_list(listed)}?"
