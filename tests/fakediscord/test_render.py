"""The demo transcript shows messages the way a person reads them in Discord."""

from __future__ import annotations

from fakediscord.render import render_channel, render_message
from fakediscord.server import FakeDiscord
from fakediscord.world import FLAG_EPHEMERAL


def test_embed_renders_as_a_box_with_fields_and_footer() -> None:
    """An embed shows its title, link, description, fields and footer inside a box."""
    fd = FakeDiscord()
    channel = fd.general(fd.add_guild("AOUAD Fans"))
    embed = {
        "title": "Choi Nam-ra",
        "url": "https://example.org/nam-ra",
        "description": "Class president.",
        "fields": [{"name": "Played by", "value": "Cho Yi-hyun"}],
        "footer": {"text": "Season 1"},
    }
    msg = fd.create_message(channel, fd.bot_user, embeds=[embed], components=[
        {"type": 1, "components": [{"type": 2, "label": "More", "custom_id": "more"}]}
    ])  # fmt: skip
    text = render_message(msg, pinned=True)
    assert "Marquee" in text and "📌 pinned" in text
    for part in ("**Choi Nam-ra**", "<https://example.org/nam-ra>", "Class president.", "▸ Played by: Cho Yi-hyun",
                 "— Season 1", "[More]", "┌", "└"):  # fmt: skip
        assert part in text


def test_channel_marks_pins_and_hides_ephemeral_messages() -> None:
    """A channel lists messages oldest first, marks the pinned one and leaves ephemeral ones out."""
    fd = FakeDiscord()
    guild = fd.add_guild("AOUAD Fans")
    channel = fd.add_channel(guild, "news", topic="Show news")
    fan = fd.add_user("minji")
    fd.add_member(guild, fan)
    first = fd.post(channel, fan, "Is season 2 dated yet?")
    fd.create_message(channel, fd.bot_user, content="Only for you", flags=FLAG_EPHEMERAL)
    fd.create_message(channel, fd.bot_user, content="Countdown: 30 days")
    channel.pins[first.id] = fd.messages(channel)[0].created_at
    text = render_channel(channel)
    assert text.startswith("#news — Show news")
    assert text.index("Is season 2") < text.index("Countdown")
    assert "Only for you" not in text
    assert "only you can see this" in render_channel(channel, include_ephemeral=True)
    assert text.count("📌 pinned") == 1


def test_timestamps_and_mentions_are_drawn_as_the_client_draws_them() -> None:
    """`<t:…:D>`, `<t:…:R>` and `<#id>` read as a date, a relative time and a channel name, not as markup."""
    from datetime import UTC, datetime

    from fakediscord.render import client_markup

    now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    release = int(datetime(2027, 1, 29, 8, 0, tzinfo=UTC).timestamp())
    text = f"Out <t:{release}:D> (<t:{release}:R>) in <#42>, ask <@&7>"
    assert client_markup(text, now=now, names={42: "countdown", 7: "Mods"}) == (
        "Out 29 January 2027 (in 2 months) in #countdown, ask @Mods"
    )
    assert client_markup(f"<t:{int(now.timestamp()) - 3 * 86400}:R>", now=now) == "3 days ago"
