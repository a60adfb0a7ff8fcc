"""Messages and channels as a person would read them, in plain text, for the demo transcript.

The demo's point is to show what a fan or a moderator would actually see, so this renders what Discord's
client shows (author, text, each embed as a box, buttons, a pin marker, "only you can see this") and
nothing of the JSON underneath.
"""

from __future__ import annotations

import logging
import re
import textwrap
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from fakediscord.world import Channel, Message

log = logging.getLogger(__name__)

WIDTH = 72
BUTTON_STYLES_WITH_URL = {5}

_TIMESTAMP = re.compile(r"<t:(-?\d+)(?::([tTdDfFR]))?>")
_MENTION = re.compile(r"<(#|@&|@!?)(\d+)>")
_STYLES = {
    "t": "%H:%M",
    "T": "%H:%M:%S",
    "d": "%d/%m/%Y",
    "D": "%-d %B %Y",
    "f": "%-d %B %Y %H:%M",
    "F": "%A, %-d %B %Y %H:%M",
}


def relative(moment: datetime, now: datetime) -> str:
    """Discord's relative style: "in 2 months", "3 days ago"."""
    seconds = (moment - now).total_seconds()
    size = abs(seconds)
    units = (("year", 365 * 86400), ("month", 30 * 86400), ("day", 86400), ("hour", 3600), ("minute", 60))
    unit, count = next(((u, round(size / n)) for u, n in units if size >= n), ("second", round(size)))
    phrase = f"{count} {unit}{'s' if count != 1 else ''}"
    return f"in {phrase}" if seconds > 0 else f"{phrase} ago"


def client_markup(text: str, *, now: datetime | None = None, names: Mapping[int, str] | None = None) -> str:
    """What Discord's client draws for timestamps (``<t:…:R>``, in UTC here) and mentions (``<#id>``)."""
    current = now or datetime.now(UTC)

    def stamp(match: re.Match[str]) -> str:
        moment = datetime.fromtimestamp(int(match[1]), UTC)
        style = match[2] or "f"
        return relative(moment, current) if style == "R" else moment.strftime(_STYLES[style])

    def mention(match: re.Match[str]) -> str:
        sigil = "#" if match[1] == "#" else "@"
        name = (names or {}).get(int(match[2]))
        return f"{sigil}{name}" if name else f"{sigil}unknown"

    return _MENTION.sub(mention, _TIMESTAMP.sub(stamp, text))


def _wrap(text: str, indent: str, width: int = WIDTH) -> list[str]:
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        wrapped = textwrap.wrap(paragraph, width=width - len(indent)) or [""]
        lines.extend(indent + line for line in wrapped)
    return lines


def _embed_box(embed: dict[str, Any], markup: Callable[[str], str] = str) -> list[str]:
    lines: list[str] = []
    bar = "  │ "
    author = (embed.get("author") or {}).get("name")
    if author:
        lines.extend(_wrap(author, bar))
    title = embed.get("title")
    if title:
        lines.extend(_wrap(f"**{markup(title)}**", bar))
    if embed.get("url"):
        lines.append(f"{bar}<{embed['url']}>")
    if embed.get("description"):
        lines.extend(_wrap(markup(embed["description"]), bar))
    for f in embed.get("fields") or []:
        lines.extend(_wrap(markup(f"{f.get('name', '')}: {f.get('value', '')}"), bar + "▸ "))
    footer = (embed.get("footer") or {}).get("text")
    if footer or embed.get("timestamp"):
        stamp = f" · {embed['timestamp'][:16].replace('T', ' ')}" if embed.get("timestamp") else ""
        lines.extend(_wrap(markup(f"{footer or ''}{stamp}".strip(" ·")), bar + "— "))
    return ["  ┌" + "─" * (WIDTH - 3), *lines, "  └" + "─" * (WIDTH - 3)]


def _buttons(components: list[dict[str, Any]]) -> list[str]:
    lines = []
    for row in components:
        labels = []
        for c in row.get("components", []):
            label = c.get("label") or (c.get("emoji") or {}).get("name") or c.get("placeholder") or "…"
            if c.get("style") in BUTTON_STYLES_WITH_URL and c.get("url"):
                label += f" ↗ {c['url']}"
            if c.get("disabled"):
                label += " (disabled)"
            labels.append(f"[{label}]")
        if labels:
            lines.append("  " + " ".join(labels))
    return lines


def render_message(msg: Message, *, pinned: bool, names: Mapping[int, str] | None = None) -> str:
    """One message: an author line with markers, then its text, embeds and buttons.

    Timestamps and mentions are drawn as the client draws them; ``names`` maps channel, role and user ids to
    names for the mentions.
    """

    def markup(text: str) -> str:
        return client_markup(text, names=names)

    name = msg.author.global_name or msg.author.username
    markers = []
    if msg.author.bot:
        markers.append("APP")
    if pinned:
        markers.append("📌 pinned")
    if msg.ephemeral:
        markers.append("only you can see this")
    if msg.edited_at is not None:
        markers.append("edited")
    head = f"{name} · {msg.created_at:%H:%M}"
    if markers:
        head += "  [" + " | ".join(markers) + "]"
    lines = [head]
    if msg.interaction_metadata:
        who = msg.interaction_metadata.get("user", {})
        invoker = who.get("global_name") or who.get("username", "?")
        lines.insert(0, f"  ↳ {invoker} used /{msg.interaction_metadata.get('name', '')}")
    if msg.loading:
        lines.append(f"  {name} is thinking…")
    if msg.content:
        lines.extend(_wrap(markup(msg.content), "  "))
    for embed in msg.embeds:
        lines.extend(_embed_box(embed, markup))
    lines.extend(_buttons(msg.components))
    lines.extend(f"  📎 {a.get('filename', 'file')}" for a in msg.attachments)
    return "\n".join(lines)


def render_channel(channel: Channel, *, include_ephemeral: bool = False) -> str:
    """A channel's history, oldest first, under a ``#name`` header, with pinned messages marked."""
    header = f"#{channel.name}" + (f" — {channel.topic}" if channel.topic else "")
    out = [header, "═" * min(WIDTH, max(len(header), 20))]
    for msg in channel.messages.values():
        if msg.ephemeral and not include_ephemeral:
            continue
        out.append(render_message(msg, pinned=msg.id in channel.pins))
        out.append("")
    if len(out) == 2:
        out.append("(no messages yet)")
    return "\n".join(out).rstrip() + "\n"
