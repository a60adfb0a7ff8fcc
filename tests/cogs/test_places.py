"""Lookups anywhere: a fan who installed Marquee to their account uses /cast, /recap, /countdown show and /about
in a DM or a group DM, end to end through fakediscord; what a server sets up stays in servers."""

from __future__ import annotations

import pytest

from fakediscord.interactions import InvocationError
from fakediscord.server import FakeDiscord
from fakediscord.world import PrivateChannel
from tests.helpers.marquee import Server

ANYWHERE = {"cast", "recap", "countdown", "about"}
REFUSAL = "This works only in a server that has added Marquee, and only for its moderators."


def text_of(embed: dict[str, object]) -> str:
    fields = embed.get("fields") or []
    assert isinstance(fields, list)
    parts = [str(embed.get("title", "")), str(embed.get("description", ""))]
    parts += [f"{f['name']}\n{f['value']}" for f in fields]
    footer = embed.get("footer")
    if isinstance(footer, dict):
        parts.append(str(footer.get("text", "")))
    return "\n".join(parts)


def place(server: Server, where: str) -> PrivateChannel:
    """The fan's DM with Marquee, or a group DM with a friend that Marquee is not in."""
    if where == "dm":
        return server.fd.dm(server.fan)
    friend = server.fd.add_user("friend")
    return server.fd.group_dm(server.fan, friend, name="AOUAD watch party")


@pytest.mark.parametrize("where", ["dm", "group"])
async def test_cast_answers_in_a_dm_and_a_group_dm(server: Server, where: str) -> None:
    """/cast Nam-ra in a DM or a group DM shows the same card as in a server, visible to everyone there."""
    channel = place(server, where)
    reply = await (await server.fd.invoke("cast", user=server.fan, in_channel=channel, name="Nam-ra")).response()
    assert not reply.ephemeral
    text = text_of(reply.embeds[0])
    assert "Choi Nam-ra" in text and "최남라" in text and "Cho Yi-hyun" in text
    fate = next(f for f in reply.embeds[0]["fields"] if f["name"].startswith("End of season 1"))
    assert fate["value"].startswith("||") and fate["value"].endswith("||")
    assert [m.id for m in server.fd.messages(channel)] == [reply.message.id if reply.message else None]


@pytest.mark.parametrize("where", ["dm", "group"])
async def test_recap_answers_in_a_dm_and_a_group_dm(server: Server, where: str) -> None:
    """/recap episode:1 in a DM or a group DM is the spoiler-safe recap, the same as in a server."""
    channel = place(server, where)
    in_server = await (
        await server.fd.invoke("recap", user=server.fan, in_channel=server.channel, episode=1, season=1)
    ).response()
    reply = await (await server.fd.invoke("recap", user=server.fan, in_channel=channel, episode=1, season=1)).response()
    assert not reply.ephemeral
    assert reply.embeds == in_server.embeds
    assert "season 1, episode 1" in text_of(reply.embeds[0])


async def test_cast_pages_turn_in_a_dm(server: Server) -> None:
    """The whole cast in a DM pages with Next like in a server."""
    dm = server.fd.dm(server.fan)
    reply = await (await server.fd.invoke("cast", user=server.fan, in_channel=dm, season=1)).response()
    first = text_of(reply.embeds[0])
    next_id = next(c["custom_id"] for row in reply.components for c in row["components"] if c.get("label") == "Next")
    assert reply.message is not None
    await (await server.fd.click(reply.message, next_id, user=server.fan)).acknowledged()
    [shown] = server.fd.messages(dm)
    assert text_of(shown.embeds[0]) != first


async def test_countdown_show_in_a_dm_is_the_show_packs_window(server: Server) -> None:
    """/countdown show in a DM shows the show pack's window, status and source, never a server's countdown."""
    fd = server.fd
    setup = await fd.invoke("countdown setup", user=server.mod, in_channel=server.channel)
    assert "pinned" in (await setup.response()).content
    confirmed = await fd.invoke(
        "countdown set",
        user=server.mod,
        in_channel=server.channel,
        when="December 4, 2026",
        status="confirmed",
        source_url="https://www.netflix.com/tudum/articles/all-of-us-are-dead-season-2",
    )
    assert "December 4, 2026" in (await confirmed.response()).content
    reply = await (await fd.invoke("countdown show", user=server.fan, in_channel=fd.dm(server.fan))).response()
    assert reply.ephemeral
    [card] = reply.embeds
    text = text_of(card)
    assert "Reported: late 2026 or early 2027" in card["description"]
    assert "Marquee show pack" in text and "December 4" not in text
    assert card["footer"]["text"].startswith("What Marquee's show pack records.")
    assert "/countdown setup" in card["footer"]["text"]


async def test_countdown_show_outside_a_server_looks_like_the_servers_card(server: Server) -> None:
    """Before any setup, the DM's card and the server's card are the same card but for the footer."""
    fd = server.fd
    in_server = await (await fd.invoke("countdown show", user=server.fan, in_channel=server.channel)).response()
    group = place(server, "group")
    in_group = await (await fd.invoke("countdown show", user=server.fan, in_channel=group)).response()
    assert {k: v for k, v in in_group.embeds[0].items() if k != "footer"} == {
        k: v for k, v in in_server.embeds[0].items() if k != "footer"
    }


@pytest.mark.parametrize(
    ("command", "options"),
    [
        ("countdown setup", {}),
        ("countdown lock", {}),
        ("countdown history", {}),
        ("countdown event", {"enabled": True}),
    ],
)
async def test_countdown_setup_commands_in_a_dm_are_refused_clearly(
    server: Server, command: str, options: dict[str, object]
) -> None:
    """/countdown setup (lock, history, event…) in a DM says it works only in a server, by its moderators."""
    dm = server.fd.dm(server.mod)
    reply = await (await server.fd.invoke(command, user=server.mod, in_channel=dm, options=options)).response()
    assert reply.ephemeral
    assert reply.content == REFUSAL
    assert "error id" not in reply.content


async def test_refusal_in_a_korean_client_is_korean(server: Server) -> None:
    """A Korean fan trying /countdown setup in a group DM is told where it works, in Korean."""
    group = place(server, "group")
    reply = await (await server.fd.invoke("countdown setup", user=server.fan, in_channel=group, locale="ko")).response()
    assert reply.content == "이 명령어는 Marquee를 추가한 서버에서, 그 서버의 관리자만 쓸 수 있어요."


async def test_countdown_show_footer_in_korean_outside_a_server(server: Server) -> None:
    """The show pack's card in a Korean client's DM ends with the Korean footer."""
    reply = await (
        await server.fd.invoke("countdown show", user=server.fan, in_channel=server.fd.dm(server.fan), locale="ko")
    ).response()
    assert reply.embeds[0]["footer"]["text"].startswith("Marquee 작품 정보에 기록된 내용이에요.")


async def test_countdown_setup_in_the_server_still_needs_manage_server(server: Server) -> None:
    """In a server, a fan without Manage Server is still told which permission /countdown setup needs."""
    reply = await (await server.fd.invoke("countdown setup", user=server.fan, in_channel=server.channel)).response()
    assert reply.ephemeral and "Manage Server" in reply.content
    assert server.fd.pins(server.channel) == []


async def test_about_in_a_dm_lists_what_works_there(server: Server) -> None:
    """/about in a DM lists the lookups a fan can use there, not the server's setup commands."""
    reply = await (await server.fd.invoke("about", user=server.fan, in_channel=server.fd.dm(server.fan))).response()
    listed = text_of(reply.embeds[0])
    assert "`/cast`" in listed and "`/recap`" in listed and "`/countdown show`" in listed
    assert "`/feeds add`" not in listed and "`/countdown setup`" not in listed and "`/news`" not in listed
    in_server = await (await server.fd.invoke("about", user=server.mod, in_channel=server.channel)).response()
    assert "`/feeds add`" in text_of(in_server.embeds[0]) and "`/countdown setup`" in text_of(in_server.embeds[0])


async def test_server_commands_are_not_offered_in_a_dm(server: Server) -> None:
    """/feeds and /news do not exist in a DM: Discord does not offer them there."""
    dm = server.fd.dm(server.mod)
    for command in ("feeds list", "news"):
        with pytest.raises(InvocationError, match="not offered"):
            await server.fd.invoke(command, user=server.mod, in_channel=dm)


async def test_synced_commands_say_where_they_work(server: Server) -> None:
    """Lookups are installable to servers and users and usable in servers, DMs and group DMs; the rest server-only."""
    synced = {c["name"]: c for c in server.fd.commands.get(None)}
    assert set(synced) >= ANYWHERE | {"feeds", "news"}
    for name, command in synced.items():
        if name in ANYWHERE:
            assert (command["integration_types"], command["contexts"]) == ([0, 1], [0, 1, 2]), name
        else:
            assert (command["integration_types"], command["contexts"]) == ([0], [0]), name


async def test_a_fans_dm_answer_reaches_only_the_dm(fake_discord: FakeDiscord, server: Server) -> None:
    """What Marquee answers in a group DM shows there and nowhere else."""
    group = place(server, "group")
    before = len(fake_discord.messages(server.channel))
    await (await fake_discord.invoke("cast", user=server.fan, in_channel=group, name="Cheong-san")).response()
    assert len(fake_discord.messages(group)) == 1
    assert len(fake_discord.messages(server.channel)) == before


async def test_cast_autocomplete_works_in_a_dm(server: Server) -> None:
    """Typing 'namra' into /cast in a DM offers Nam-ra first, as in a server."""
    dm = server.fd.dm(server.fan)
    choices = await server.fd.autocomplete("cast", "name", "namra", user=server.fan, in_channel=dm)
    assert 0 < len(choices) <= 25 and "Nam-ra" in choices[0]["name"]
