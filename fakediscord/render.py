"""Messages and channels as a person would read them, in plain text, for the demo transcript.

The demo's point is to show what a fan or a moderator would actually see, so this renders what Discord's
client shows (author, text, each embed as a box, buttons, a pin marker, "only you can see this") and
nothing of the JSON underneath.
"""

from __future__ import annotations

import logging
import textwrap
from typing import Any

from fakediscord.world import Channel, Message

log = logging.getLogger(__name__)

WIDTH = 72
BUTTON_STYLES_WITH_URL = {5}


def _wrap(text: str, indent: str, width: int = WIDTH) -> list[str]:
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        wrapped = textwrap.wrap(paragraph, width=width - len(indent)) or [""]
        lines.extend(indent + line for line in wrapped)
    return lines


def _embed_box(embed: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    bar = "  │ "
    author = (embed.get("author") or {}).get("name")
    if author:
        lines.extend(_wrap(author, bar))
    title = embed.get("title")
    if title:
        lines.extend(_wrap(f"**{title}**", bar))
    if embed.get("url"):
        lines.append(f"{bar}<{embed['url']}>")
    if embed.get("description"):
        lines.extend(_wrap(embed["description"], bar))
    for f in embed.get("fields") or []:
        lines.extend(_wrap(f"{f.get('name', '')}: {f.get('value', '')}", bar + "▸ "))
    footer = (embed.get("footer") or {}).get("text")
    if footer or embed.get("timestamp"):
        stamp = f" · {embed['timestamp'][:16].replace('T', ' ')}" if embed.get("timestamp") else ""
        lines.extend(_wrap(f"{footer or ''}{stamp}".strip(" ·"), bar + "— "))
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


def render_message(msg: Message, *, pinned: bool) -> str:
    """One message: an author line with markers, then its text, embeds and buttons."""
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
        lines.extend(_wrap(msg.content, "  "))
    for embed in msg.embeds:
        lines.extend(_embed_box(embed))
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
