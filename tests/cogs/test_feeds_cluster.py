"""A process posting in a server that is not on its own shards, as it does when it takes over the channels of a
process that died: through REST, without discord.py's cache of that server (cluster mode, issue 17)."""

from __future__ import annotations

from pathlib import Path

from bot.cards import Card
from bot.runner import running_bot
from cogs.feeds._channels import DiscordNewsChannels
from fakediscord.server import FakeDiscord
from tests.helpers.marquee import marquee_settings
from tests.helpers.shards import guilds_on_shards

CARD = Card(title="Netflix sets the season 2 date", url="https://news.example/s2", description="January 29.")


async def test_a_process_without_the_server_in_its_cache_posts_to_its_forum_and_pings_its_role(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    """News taken over from another shard's process still opens its forum post (not refused as a deleted channel),
    still pings the subscription's role, and an edit still reaches the forum post's card."""
    fd = fake_discord
    fd.ratelimits.session_starts.max_concurrency = 2
    elsewhere = guilds_on_shards(fd, 2)[1][0]
    forum = fd.add_forum(elsewhere, "news", tags=["Release date"])
    text = fd.add_channel(elsewhere, "news-feed")
    role = fd.add_role(elsewhere, "News Alerts", mentionable=True)
    settings = marquee_settings(fd, tmp_path, SHARD_COUNT="2", SHARD_IDS="0")
    async with running_bot(settings, guild_ready_timeout=0.05) as bot:
        assert bot.get_guild(elsewhere.id) is None  # not this process's shard
        channels = DiscordNewsChannels(bot)

        post = await channels.post_in_forum(forum.id, elsewhere.id, CARD, title="Season 2 date", tag_id=None)
        (thread,) = fd.threads(forum)
        assert thread.id == post and thread.name == "Season 2 date"
        found = await channels.find_forum_post(forum.id, elsewhere.id, title="Season 2 date", link=CARD.url)
        assert found == post
        await channels.edit_card(forum.id, elsewhere.id, post, Card(title="Netflix confirms January 29"))
        assert fd.messages(thread)[0].embeds[0]["title"] == "Netflix confirms January 29"

        await channels.send_card(text.id, elsewhere.id, CARD, nonce="cluster-1", ping_role=role.id)
    (message,) = fd.messages(text)
    assert message.content == f"<@&{role.id}>"
    assert message.allowed_mentions is not None
    assert [int(r) for r in message.allowed_mentions["roles"]] == [role.id]
