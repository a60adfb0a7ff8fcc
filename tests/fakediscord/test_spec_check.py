"""The spec check itself: it must catch what Discord would not send, or it proves nothing about the fake."""

from __future__ import annotations

import pytest

from fakediscord.exchanges import Exchange
from fakediscord.spec_check import SpecCheck

USER = {"id": "1", "username": "marquee", "discriminator": "0", "avatar": None, "global_name": None,
        "public_flags": 0, "flags": 0, "primary_guild": None, "bot": True}


@pytest.fixture(scope="module")
def check() -> SpecCheck:
    return SpecCheck()


def test_a_complete_user_passes(check: SpecCheck) -> None:
    """GET /users/{user_id} answered as Discord answers it has no violation."""
    assert check.check(Exchange("rest", "GET", "/users/{user_id}", "/users/1", 200, None, USER)) == []


def test_a_missing_required_field_is_caught(check: SpecCheck) -> None:
    """A user without primary_guild is named, field and route."""
    user = {k: v for k, v in USER.items() if k != "primary_guild"}
    found = [str(v) for v in check.check(Exchange("rest", "GET", "/users/{user_id}", "/users/1", 200, None, user))]
    assert found == ["response GET /users/{user_id} 200 (body): 'primary_guild' is a required property"]


def test_a_field_discord_does_not_send_is_caught(check: SpecCheck) -> None:
    """A REST user carrying a member object is reported as a field Discord's API does not have."""
    user = {**USER, "member": {"nick": None}}
    found = [str(v) for v in check.check(Exchange("rest", "GET", "/users/{user_id}", "/users/1", 200, None, user))]
    assert found == ["response GET /users/{user_id} 200 /member: a field Discord's API does not have"]


def test_fake_parameter_names_match_the_specs(check: SpecCheck) -> None:
    """The fake's {token} is the spec's {interaction_token}: the route is found, a wrong status is named."""
    found = check.check(Exchange("rest", "POST", "/interactions/{interaction_id}/{token}/callback",
                                 "/interactions/1/abc/callback", 201, {"type": 5}, None))
    assert found and found[0].message.startswith("status 201 is not among the documented")


def test_allowed_difference_is_not_a_violation(check: SpecCheck) -> None:
    """discord.py's integer role ids in allowed_mentions are allowed, with its reason on record."""
    body = {"content": "news", "allowed_mentions": {"parse": [], "roles": [123]}}
    message = check.check(Exchange("rest", "POST", "/channels/{channel_id}/messages", "/channels/1/messages",
                                   200, body, None))
    assert not [v for v in message if v.direction == "request"]


def test_gateway_pieces_are_checked(check: SpecCheck) -> None:
    """A MESSAGE_CREATE's author without public_flags is caught; guild_id and member are gateway-only."""
    message = {"id": "2", "channel_id": "3", "guild_id": "4", "member": {}, "author": {**USER, "public_flags": None}}
    found = [str(v) for v in check.check(Exchange("gateway", "MESSAGE_CREATE", None, "", 0, response=message))]
    assert any("/author/public_flags" in v for v in found)
    assert not any("/guild_id" in v or "/member:" in v for v in found)
