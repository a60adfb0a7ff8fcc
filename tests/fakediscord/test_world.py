"""Discord's permission algorithm and mention rules, as the fake computes them."""

from __future__ import annotations

import discord
import pytest

from fakediscord.server import FakeDiscord
from fakediscord.world import Channel, Member, Message, Role, channel_permissions, pings_of

P = discord.Permissions
World = tuple[FakeDiscord, Channel, Member, Role]


@pytest.fixture
def setup() -> tuple[FakeDiscord, Channel, Member, Role]:
    fd = FakeDiscord()
    guild = fd.add_guild("AOUAD Fans")
    fan = fd.add_user("minji")
    mods = fd.add_role(guild, "Moderators", permissions=P(manage_messages=True))
    member = fd.add_member(guild, fan, roles=[mods])
    return fd, fd.add_channel(guild, "news"), member, mods


def perms(channel: Channel, member: Member) -> discord.Permissions:
    return P(channel_permissions(channel, member))


def test_roles_add_to_everyone(setup: World) -> None:
    """A member has @everyone's permissions plus those of each of their roles."""
    _, channel, member, _ = setup
    got = perms(channel, member)
    assert got.send_messages and got.manage_messages and not got.ban_members


def test_overwrites_apply_everyone_then_roles_then_member(setup: World) -> None:
    """A role allow beats an @everyone deny, and a member deny beats both."""
    fd, channel, member, mods = setup
    fd.set_overwrite(channel, channel.guild.everyone, deny=P(send_messages=True))
    assert not perms(channel, member).send_messages
    fd.set_overwrite(channel, mods, allow=P(send_messages=True))
    assert perms(channel, member).send_messages
    fd.set_overwrite(channel, member, deny=P(send_messages=True))
    assert not perms(channel, member).send_messages


def test_no_view_means_nothing(setup: World) -> None:
    """Without view_channel a member has no permissions at all in the channel."""
    fd, channel, member, _ = setup
    fd.set_overwrite(channel, member, deny=P(view_channel=True))
    assert perms(channel, member).value == 0


def test_no_send_strips_embed_links(setup: World) -> None:
    """Denying send_messages also removes embed_links, attach_files and mention_everyone."""
    fd, channel, member, _ = setup
    fd.set_overwrite(channel, member, allow=P(mention_everyone=True), deny=P(send_messages=True))
    got = perms(channel, member)
    assert not got.embed_links and not got.attach_files and not got.mention_everyone and got.view_channel


def test_administrator_and_owner_bypass_overwrites(setup: World) -> None:
    """Administrators and the guild owner keep every permission despite denies."""
    fd, channel, member, mods = setup
    fd.set_overwrite(channel, channel.guild.everyone, deny=P(view_channel=True))
    owner = channel.guild.members[fd.owner.id]
    assert perms(channel, owner) == P.all()
    fd.edit_role(mods, permissions=P(administrator=True))
    assert perms(channel, member) == P.all()


def test_pings_follow_allowed_mentions() -> None:
    """Replies ping their author only with replied_user, and role pings need the role allowed."""
    fd = FakeDiscord()
    guild = fd.add_guild("G")
    fan = fd.add_user("minji")
    mods = fd.add_role(guild, "Moderators")
    base = Message(1, 2, guild.id, fd.bot_user, content=f"hi {mods.mention}")
    base.message_reference = {"message_id": "9", "author_id": str(fan.id)}
    base.allowed_mentions = {"parse": [], "roles": [str(mods.id)], "replied_user": True}
    got = pings_of(base)
    assert got.roles == {mods.id} and got.users == {fan.id}
    base.allowed_mentions = {"parse": ["users"], "replied_user": False}
    assert not pings_of(base)
