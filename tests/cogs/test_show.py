"""/cast and /recap as a fan uses them, end to end through fakediscord."""

from __future__ import annotations

import re

from tests.helpers.marquee import Server


def text_of(embed: dict[str, object]) -> str:
    fields = embed.get("fields") or []
    assert isinstance(fields, list)
    parts = [str(embed.get("title", "")), str(embed.get("description", ""))]
    parts += [f"{f['name']}\n{f['value']}" for f in fields]
    return "\n".join(parts)


async def test_cast_by_nickname_shows_actor_and_character_in_both_scripts(server: Server) -> None:
    """/cast Nam-ra: Cho Yi-hyun ↔ Choi Nam-ra in romanisation and Hangul, fate only behind spoiler tags."""
    handle = await server.fd.invoke("cast", user=server.fan, in_channel=server.channel, name="Nam-ra")
    reply = await handle.response()
    assert not reply.ephemeral
    text = text_of(reply.embeds[0])
    assert "Choi Nam-ra" in text and "최남라" in text
    assert "Cho Yi-hyun" in text and "조이현" in text
    fate = next(f for f in reply.embeds[0]["fields"] if f["name"].startswith("End of season 1"))
    assert fate["value"].startswith("||") and fate["value"].endswith("||")
    assert not server.fd.pings(reply.message)


async def test_cast_by_real_name_of_stage_named_actor(server: Server) -> None:
    """Park Solomon finds Lomon and his character Lee Su-hyeok, with season-2 status and its source."""
    reply = await (
        await server.fd.invoke("cast", user=server.fan, in_channel=server.channel, name="Park Solomon")
    ).response()
    text = text_of(reply.embeds[0])
    assert "Lomon" in text and "Lee Su-hyeok" in text
    season_two = next(f for f in reply.embeds[0]["fields"] if f["name"] == "Season 2")
    assert "Netflix" in season_two["value"]


async def test_cast_unknown_name_suggests_closest_privately(server: Server) -> None:
    """A name nobody has gets an ephemeral "did you mean" with real names."""
    reply = await (
        await server.fd.invoke("cast", user=server.fan, in_channel=server.channel, name="Hyun Bin")
    ).response()
    assert reply.ephemeral
    assert "Did you mean" in reply.content and "Cho Yi-hyun" in reply.content


async def test_cast_without_name_pages_with_buttons(server: Server) -> None:
    """The whole season-1 cast comes in pages; Next shows the following page in the same message."""
    reply = await (await server.fd.invoke("cast", user=server.fan, in_channel=server.channel, season=1)).response()
    first = text_of(reply.embeds[0])
    assert "Park Ji-hu" in first
    buttons = [c for row in reply.components for c in row["components"]]
    labels = [b.get("label") for b in buttons]
    assert "Next" in labels and any(re.fullmatch(r"1 of \d+", str(label)) for label in labels)
    next_id = next(b["custom_id"] for b in buttons if b.get("label") == "Next")
    assert reply.message is not None
    await (await server.fd.click(reply.message, next_id, user=server.fan)).acknowledged()
    edited = server.fd.messages(server.channel)[-1]
    assert edited.id == reply.message.id
    assert text_of(edited.embeds[0]) != first
    assert any("2 of" in str(c.get("label")) for row in edited.components for c in row["components"])


async def test_cast_season_out_of_range(server: Server) -> None:
    """Asking for a season the show does not have says which seasons exist, privately."""
    reply = await (await server.fd.invoke("cast", user=server.fan, in_channel=server.channel, season=7)).response()
    assert reply.ephemeral
    assert "season" in reply.content.lower() and "2" in reply.content


async def test_cast_autocomplete_finds_spellings(server: Server) -> None:
    """Typing 'namra' or Hangul offers Nam-ra first; never more than 25 choices."""
    for typed in ("namra", "최남라", "Cho Yi Hyun"):
        choices = await server.fd.autocomplete("cast", "name", typed, user=server.fan, in_channel=server.channel)
        assert 0 < len(choices) <= 25
        assert "Nam-ra" in choices[0]["name"], (typed, choices[0])
    everyone = await server.fd.autocomplete("cast", "name", "", user=server.fan, in_channel=server.channel)
    assert len(everyone) == 25


async def test_recap_without_options_is_the_season_overview(server: Server) -> None:
    """/recap alone gives the season in brief, publicly."""
    reply = await (await server.fd.invoke("recap", user=server.fan, in_channel=server.channel)).response()
    assert not reply.ephemeral
    assert "season 1" in reply.embeds[0]["title"].lower()
    assert len(reply.embeds[0]["description"]) > 200


async def test_recap_episode_and_out_of_range(server: Server) -> None:
    """An episode's recap is shown; episode 13 of a 12-episode season is a clear private error."""
    reply = await (await server.fd.invoke("recap", user=server.fan, in_channel=server.channel, episode=3)).response()
    assert "episode 3" in reply.embeds[0]["title"]
    bad = await (await server.fd.invoke("recap", user=server.fan, in_channel=server.channel, episode=13)).response()
    assert bad.ephemeral
    assert "12" in bad.content


async def test_recap_character_up_to_never_shows_later_episodes(server: Server) -> None:
    """Cheong-san up to episode 5: beats from episodes 1–5 only, deaths in spoiler tags, no ending."""
    choices = await server.fd.autocomplete(
        "recap", "character", "cheongsan", user=server.fan, in_channel=server.channel
    )
    value = choices[0]["value"]
    handle = await server.fd.invoke("recap", user=server.fan, in_channel=server.channel, character=value, up_to=5)
    description = (await handle.response()).embeds[0]["description"]
    episodes = {int(n) for n in re.findall(r"Ep\. (\d+)", description)}
    assert episodes and max(episodes) <= 5
    assert "End of season" not in description
    assert "||His mother is bitten" in description


async def test_recap_private_is_ephemeral_and_plain(server: Server) -> None:
    """private:true answers only the asker, with spoilers written plainly."""
    handle = await server.fd.invoke(
        "recap", user=server.fan, in_channel=server.channel, character="Lee Cheong-san", private=True
    )
    reply = await handle.response()
    assert reply.ephemeral
    assert "||" not in reply.embeds[0]["description"]
    assert "End of season 1" in reply.embeds[0]["description"]


async def test_recap_public_puts_fates_in_spoilers(server: Server) -> None:
    """A public character recap hides the fate at the end of the season inside spoiler tags."""
    handle = await server.fd.invoke("recap", user=server.fan, in_channel=server.channel, character="Gwi-nam")
    description = (await handle.response()).embeds[0]["description"]
    fate_line = next(line for line in description.splitlines() if line.startswith("**End of season 1:**"))
    assert fate_line.endswith("||") and "||" in fate_line.split(":**", 1)[1][:4]


async def test_recap_up_to_alone_catches_up_episode_by_episode(server: Server) -> None:
    """/recap up_to:3 pages through episodes 1 to 3 and no further."""
    reply = await (await server.fd.invoke("recap", user=server.fan, in_channel=server.channel, up_to=3)).response()
    labels = [c.get("label") for row in reply.components for c in row["components"]]
    assert "1 of 3" in labels
    assert "episode 1" in reply.embeds[0]["title"]


async def test_commands_are_translated_to_korean(server: Server) -> None:
    """Korean clients see /출연진 and /줄거리 with Korean descriptions."""
    synced = {c["name"]: c for c in server.fd.commands.get(None)}
    assert synced["cast"]["name_localizations"]["ko"] == "출연진"
    assert synced["recap"]["name_localizations"]["ko"] == "줄거리"
    assert synced["recap"]["description_localizations"]["ko"]


async def test_paged_answers_leave_nothing_held_in_memory_per_message(server: Server) -> None:
    """Paged replies and page turns keep no view alive in the bot (a long-running bot must not grow with use)."""
    for season in (1, 2, 1):
        reply = await (
            await server.fd.invoke("cast", user=server.fan, in_channel=server.channel, season=season)
        ).response()
    assert reply.message is not None
    next_id = next(c["custom_id"] for row in reply.components for c in row["components"] if c.get("label") == "Next")
    await (await server.fd.click(reply.message, next_id, user=server.fan)).acknowledged()
    assert server.bot.persistent_views == []
