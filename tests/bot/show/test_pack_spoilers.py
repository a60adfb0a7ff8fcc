"""Every public answer the bundled pack can give: what a fan reads without clicking gives no spoiler away.

The rule: a text that reveals or implies an infection, a death, a turning or the ending is a spoiler,
whatever its wording. The signals are built from the pack itself. For each character, the facts the pack
hides (their fates, their death/turn/fate beats, and every ``||…||`` span that names them) say which kinds of
spoiler they carry; the words of those kinds must not appear unhidden in that character's own answers, nor
in any sentence of any other answer that names them. What a season overview hides and never says openly
(the hambies, the bombing, who walks out) must not appear unhidden anywhere. The premise stays public:
"an infected lab animal bites a student" names no one whose fate is hidden, and "turn on", "survival
tips" or the show's title are not claims about anyone's fate.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from bot.cards import Card
from bot.show import (
    Character,
    NotInSeason,
    Person,
    Show,
    cast_card,
    cast_pages,
    load_show,
    recap_character,
    recap_episode,
    recap_overview,
)
from tests.helpers.cards import card_text

HIDDEN = re.compile(r"\|\|.*?\|\|", re.DOTALL)
LINK_TARGET = re.compile(r"\]\([^)\s]*\)")

# The words of each kind of spoiler. Neutral look-alikes are left out by the patterns themselves: "turn on"
# or "turns back", "survival" (a skill, not a fate), "a bit of".
FAMILIES: dict[str, re.Pattern[str]] = {
    "infection": re.compile(
        r"\b(bite[sd]?|bit(?! of)|bitten|biting|infect\w*|carriers?|crav\w+|hunger|flesh)\b", re.IGNORECASE
    ),
    "turning": re.compile(
        r"\b(turn(s|ed|ing)?)\b(?!\s+(on|back|away|around|out|up|down|off|over|to|the|a|his|her|its|their)\b)"
        r"|\bzombi(e-)?fied\b|\b(now|as|becomes?|became) an? (ordinary )?zombie\b",
        re.IGNORECASE,
    ),
    "hambie": re.compile(
        r"\b(hambies?|half-?zombies?|halfbies?|lucid|strength|stronger|hearing|sharp(er|ens?)|keener"
        r"|senses?|sensed|smells?|scent|heals?|same kind|low reading|keeps? (her|his|their) minds?)\b",
        re.IGNORECASE,
    ),
    "death": re.compile(
        r"\b(die[sd]?|dying|dead|deaths?|kill(s|ed|ing)?|murder\w*|sacrific\w+|bod(y|ies)|goodbye|farewell"
        r"|presumed|gives? (his|her) life|gave (his|her) life|puts? (him|her) down)\b",
        re.IGNORECASE,
    ),
    "bombing": re.compile(
        r"\b(bomb\w*|missiles?|air ?strikes?|burnt|burned|charred|ruin(s|ed)?|wreckage)\b", re.IGNORECASE
    ),
    "survival": re.compile(
        r"\b(surviv(e|es|ed|ing|or|ors)|alive|quarantine\w*|walks? out|months later)\b", re.IGNORECASE
    ),
}
NEUTRAL = ("All of Us Are Dead",)


def families(text: str) -> set[str]:
    return {name for name, words in FAMILIES.items() if words.search(text)}


def visible(text: str) -> str:
    """What a fan reads without clicking any spoiler: no link targets, and the show's own title taken out."""
    shown = LINK_TARGET.sub("]", HIDDEN.sub(" [spoiler] ", text))
    for phrase in NEUTRAL:
        shown = shown.replace(phrase, "")
    return shown


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?;:])\s+|\n+", text) if s.strip()]





def names_of(character: Character) -> list[str]:
    """How a text can name a character: full name, given name, aliases."""
    names = {character.name, character.name.split()[-1], *character.aliases}
    return sorted(n for n in names if len(n) >= 4)


def name_pattern(character: Character) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(n) for n in names_of(character))
    return re.compile(rf"(?<![\w-])({alternatives})(?![\w-])", re.IGNORECASE)


def pack_texts(show: Show) -> Iterator[str]:
    """Every text field of the pack that a renderer may show."""
    for season in show.seasons:
        yield season.overview
        yield from season.notes
        yield from (e.recap for e in season.episodes)
    for character in show.characters:
        yield character.description
        yield from (f.text for f in character.fates)
    for credit in show.credits:
        if credit.note:
            yield credit.note
    if show.next_season is not None:
        yield show.next_season.summary


@dataclass(frozen=True)
class Signals:
    """Which kinds of spoiler must stay hidden: everywhere, and per character."""

    everywhere: frozenset[str]
    by_character: dict[str, frozenset[str]]


def signals_of(show: Show) -> Signals:
    hidden_spans = [span for text in pack_texts(show) for span in HIDDEN.findall(text)]
    by_character: dict[str, frozenset[str]] = {}
    for character in show.characters:
        facts = [f.text for f in character.fates]
        for arc in show.arcs:
            if arc.character == character.id:
                facts += [b.text for b in arc.beats if b.spoiler]
        named = name_pattern(character)
        facts += [span for span in hidden_spans if named.search(span)]
        by_character[character.id] = frozenset(families(" ".join(facts)))
    overview_secrets: set[str] = set()
    for season in show.seasons:
        overview_secrets |= families(" ".join(HIDDEN.findall(season.overview))) - families(visible(season.overview))
    return Signals(everywhere=frozenset(overview_secrets), by_character=by_character)


@dataclass(frozen=True)
class Answer:
    """One public answer: what the fan typed, what it is about (a character id, if any) and the cards."""

    asked: str
    about: str | None
    cards: list[Card]


def public_answers(show: Show) -> Iterator[Answer]:
    """Every answer /cast and /recap give in a channel, rendered the way the show cog renders them."""
    for season in show.seasons:
        yield Answer(f"/cast season:{season.number}", None, cast_pages(show, season.number, 10))
        yield Answer(f"/recap season:{season.number}", None, recap_overview(show, season.number))
        for episode in season.episodes:
            yield Answer(f"/recap episode:{episode.number}", None, recap_episode(show, season.number, episode.number))
    entries: list[Person | Character] = [*show.people, *show.characters]
    for entry in entries:
        about = entry.id if isinstance(entry, Character) else None
        for season_number in (None, *(s.number for s in show.seasons)):
            try:
                card = cast_card(show, entry, season_number)
            except NotInSeason:
                continue
            if isinstance(entry, Person):
                for credit in show.credits_for(person=entry.id):
                    if credit.character:
                        yield Answer(f"/cast {entry.name} (as {credit.character})", credit.character, [card])
            yield Answer(f"/cast {entry.name} season:{season_number}", about, [card])
    for arc in show.arcs:
        character = show.character(arc.character)
        assert character is not None
        arc_season = show.season(arc.season)
        assert arc_season is not None
        for up_to in (None, *(e.number for e in arc_season.episodes)):
            cards = recap_character(show, character, up_to, True, season=arc.season)
            yield Answer(f"/recap character:{character.name} up_to:{up_to}", character.id, cards)


def leaks(show: Show, answer: Answer, signals: Signals) -> list[str]:
    """Each visible sentence of an answer that carries a spoiler signal, with the kind it gives away."""
    found: list[str] = []
    shown = visible(card_text(answer.cards))
    for sentence in sentences(shown):
        kinds = set(signals.everywhere)
        for character in show.characters:
            if character.id == answer.about or name_pattern(character).search(sentence):
                kinds |= signals.by_character[character.id]
        for kind in sorted(kinds & families(sentence)):
            found.append(f"{answer.asked}: {kind} in {sentence!r}")
    return found


@pytest.fixture(scope="module")
def show() -> Show:
    return load_show("all-of-us-are-dead")


def test_the_signals_come_from_what_the_pack_hides(show: Show) -> None:
    """The rule knows what is secret: the bombing and the hambies everywhere, Nam-ra's bite for her name."""
    signals = signals_of(show)
    assert {"bombing", "hambie", "survival"} <= signals.everywhere
    assert {"infection", "hambie"} <= signals.by_character["choi-nam-ra"]
    assert {"death", "infection"} <= signals.by_character["lee-cheong-san"]
    assert "death" in signals.by_character["principal"]


def test_the_rule_catches_the_leaks_the_issue_found(show: Show) -> None:
    """Beats like "her hearing sharpens" or "overhears the plan to bomb Hyosan" would be caught if shown plainly."""
    signals = signals_of(show)
    for text in (
        "**Ep. 7:** Su-hyeok's voice steadies her and they kiss; her hearing sharpens.",
        "**Ep. 8:** Throws Gwi-nam down the stairwell with her new strength.",
        "**Ep. 11:** Overhears the plan to bomb Hyosan.",
    ):
        answer = Answer("/recap character:Nam-ra", "choi-nam-ra", [Card(title="Choi Nam-ra", description=text)])
        assert leaks(show, answer, signals), text
    premise = Answer("/recap season:1", None, [Card(description="An infected lab animal bites a student.")])
    assert leaks(show, premise, signals) == []


def test_no_public_answer_shows_a_spoiler_unhidden(show: Show) -> None:
    """Every /cast and /recap answer in a channel keeps infections, deaths, turnings and the ending behind spoilers."""
    signals = signals_of(show)
    answers = list(public_answers(show))
    assert len(answers) > 300  # every person, character, episode and arc, not a sample
    found = [leak for answer in answers for leak in leaks(show, answer, signals)]
    assert found == []
