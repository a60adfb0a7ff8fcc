"""The reader's languages: each module gives its date phrases and the words around dates that decide them.

Every language fills the same ``Language`` record with regex sources using the same group names (``d``,
``m``, ``y``, ``ry``, ``q``, ``h``, ``n``, ``s``, ``wd``, ``nx``, ``later``…), so windows and judging stay
one language-agnostic piece of code and adding a language is adding a module. Patterns of all languages are
joined in ``bot.release.patterns``; a news sentence is never sorted into a language first, because headlines
mix them ("'지금 우리 학교는' Season 2, 12월 공개").
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Language:
    """One language's vocabulary for the reader, as regex sources (empty string: the language has none).

    ``dates`` lists (kind, pattern) pairs; the kinds are those of ``bot.release.windows.RESOLVERS``. The
    ``*_before`` sources are matched against the text just before a date and must end with ``$``; the
    ``*_after`` ones against the text just after it and must start with ``^``.
    """

    code: str
    dates: tuple[tuple[str, str], ...]
    release: str  # words that make a date a release: premiere, arrive, 공개, estrenar, erscheinen, tayang
    exclude: str  # other events a date may belong to: filming, casting, birthdays, trailers, festivals
    past: str  # a release already done: premiered, was released, se estrenó, 공개됐
    negation: str  # words before a date that deny it: not, never, no, nicht, tidak
    negation_after: str  # words after a date that deny it (verb-final languages): 않, 미정; "is off"
    lower_before: str  # a lower bound right before the date: "not before", "no antes de", "frühestens"
    lower_after: str  # a lower bound right after it: "at the earliest", "이후", "como pronto"
    upper_before: str  # an upper bound right before: "by", "before", "hasta", "bis", "paling lambat"
    upper_after: str  # an upper bound right after: "까지", "at the latest"
    statement_before: str  # the day of a statement: "announced on", "anunció el"
    hedge: str  # the writer's own doubt: expected, could, 전망, se espera, voraussichtlich, diperkirakan
    reported: str  # an attribution: according to, reportedly, 관계자에 따르면, según, laut, menurut
    official: str  # official words: confirmed, announced, 확정, confirmó, bestätigt, resmi
    dismissal: str = ""  # a clause calling a date wrong: "not true", "denied", 사실무근, desmintió, dementiert
    after_before: str = ""  # "after 2026": an open window from the day after the named one
    statement_after: str = ""  # right after a date, it is the day of a statement: "11월 2일 보도자료를 통해"
    excluded_subject: str = ""  # before a date, a trailer or photo is what is released: "예고편이 … 공개"
