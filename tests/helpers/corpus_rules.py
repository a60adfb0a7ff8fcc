"""The corpus test's rules (issue #13): each looks at the payloads or posts of a ``CorpusRun`` and returns the
documents that break it, with what a reader would see, so a failure names the document and the fault."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from bot.cards import (
    AUTHOR_LIMIT,
    DESCRIPTION_LIMIT,
    EMBED_TOTAL_LIMIT,
    FIELD_COUNT_LIMIT,
    FIELD_NAME_LIMIT,
    FIELD_VALUE_LIMIT,
    FOOTER_LIMIT,
    TITLE_LIMIT,
)
from tests.helpers.corpus import CorpusRun

# An HTML tag as a reader would spot it; Discord's own <t:…>, <@…> and <#…> forms do not match.
RAW_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
MASS_PING = re.compile(r"@(?:everyone|here)", re.IGNORECASE)
MENTION = re.compile(r"<@[!&]?\d+>")
DATE_LINE = re.compile(r"^Published <t:\d+:f> \(<t:\d+:R>\)$")


def payload_texts(payload: dict[str, Any]) -> list[tuple[str, str]]:
    texts = [("title", payload.get("title") or ""), ("description", payload.get("description") or "")]
    texts.append(("author", (payload.get("author") or {}).get("name") or ""))
    texts.append(("footer", (payload.get("footer") or {}).get("text") or ""))
    for n, f in enumerate(payload.get("fields") or ()):
        texts += [(f"field {n} name", f.get("name") or ""), (f"field {n} value", f.get("value") or "")]
    return texts


def limit_problems(payload: dict[str, Any]) -> list[str]:
    """Where ``payload`` breaks one of Discord's embed limits (or an address Discord would refuse)."""
    fields = payload.get("fields") or ()
    texts = dict(payload_texts(payload))
    problems = [
        f"{name} is {len(texts[name])} > {limit}"
        for name, limit in (
            ("title", TITLE_LIMIT),
            ("description", DESCRIPTION_LIMIT),
            ("author", AUTHOR_LIMIT),
            ("footer", FOOTER_LIMIT),
        )
        if len(texts[name]) > limit
    ]
    if len(fields) > FIELD_COUNT_LIMIT:
        problems.append(f"{len(fields)} fields > {FIELD_COUNT_LIMIT}")
    for f in fields:
        name, value = f.get("name") or "", f.get("value") or ""
        if not 0 < len(name) <= FIELD_NAME_LIMIT or not 0 < len(value) <= FIELD_VALUE_LIMIT:
            problems.append(f"field {str(f.get('name'))[:30]!r} out of bounds")
    total = sum(len(text) for _, text in payload_texts(payload))
    if total > EMBED_TOTAL_LIMIT:
        problems.append(f"embed totals {total} > {EMBED_TOTAL_LIMIT}")
    for where, url in (("url", payload.get("url")), ("image", (payload.get("image") or {}).get("url"))):
        if url is not None and (urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc):
            problems.append(f"{where} {url[:60]!r} is not a web address")
    return problems


def html_problems(payload: dict[str, Any]) -> list[str]:
    return [f"{name}: {m.group(0)[:40]!r}" for name, text in payload_texts(payload)[:2] if (m := RAW_TAG.search(text))]


def ping_problems(payload: dict[str, Any]) -> list[str]:
    return [
        f"{name}: {m.group(0)!r}"
        for name, text in payload_texts(payload)
        for pattern in (MASS_PING, MENTION)
        if (m := pattern.search(text))
    ]


def control_problems(payload: dict[str, Any]) -> list[str]:
    return [
        f"{name}: U+{ord(ch):04X}"
        for name, text in payload_texts(payload)
        for ch in {c for c in text if unicodedata.category(c) == "Cc" and c != "\n"}
    ]


def is_empty(payload: dict[str, Any]) -> bool:
    """A card that shows nothing of the article: no headline, no link, only the publication date."""
    description = [line for line in (payload.get("description") or "").split("\n") if line.strip()]
    words = [line for line in description if not DATE_LINE.match(line)]
    return not (payload.get("title") or "").strip() and not payload.get("url") and not words


def payload_breaches(run: CorpusRun, check: Callable[[dict[str, Any]], list[str]]) -> dict[str, list[str]]:
    """Documents with a payload that ``check`` finds fault with, and the faults (first three per document)."""
    found: dict[str, list[str]] = {}
    for outcome in run.outcomes:
        faults = [f"{post.item.title[:40]!r}: {p}" for post in outcome.posts for p in check(post.payload)]
        if faults:
            found[outcome.name] = faults[:3]
    return found


def missing_posts(run: CorpusRun) -> dict[str, str]:
    """Documents whose distinct usable entries did not each become one post (fewer or more), and what was lost."""
    found: dict[str, str] = {}
    for outcome in run.outcomes:
        expected = outcome.expected_posts()
        posted = len(outcome.posts)
        if posted == expected or (expected <= 0 and posted == 0):
            continue
        entries = ", ".join(repr(e.shown()) for e in outcome.usable_entries[:2])
        why = f"refused: {outcome.refusal}" if outcome.refusal else f"{outcome.items} item(s) read"
        found[outcome.name] = f"{posted} of {expected} posted ({why}; entries {entries})"
    return found


def shown(found: dict[str, Any], limit: int = 15) -> str:
    """A failure message: how many documents, and the first ``limit`` of them with what went wrong."""
    lines = [f"{len(found)} document(s):"]
    lines += [f"  {name}: {what}" for name, what in list(found.items())[:limit]]
    if len(found) > limit:
        lines.append(f"  … and {len(found) - limit} more")
    return "\n".join(lines)
