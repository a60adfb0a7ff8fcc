"""Reading messages back: the nonce a bot sent is in Discord's answer to the send, not in the channel's history."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fakediscord.server import FakeDiscord
from tests.helpers.rawapi import call, send

OPENAPI = Path(__file__).resolve().parents[3] / "shared" / "reference" / "discord-openapi.json"


async def test_history_and_a_fetched_message_carry_no_nonce(fake_discord: FakeDiscord) -> None:
    """A bot that looks for its post after a crash finds the post in history, but never its nonce."""
    fd = fake_discord
    channel = fd.general(fd.add_guild("AOUAD Fans"))
    body = {"embeds": [{"title": "Season 2", "url": "https://news.example/s2"}], "nonce": "d-42", "enforce_nonce": True}
    created = await send(fd, channel.id, body)
    assert created.status == 200 and created.body["nonce"] == "d-42"

    history = await call(fd, "GET", f"/channels/{channel.id}/messages", params={"limit": "50"})
    (listed,) = [m for m in history.body if m["id"] == created.body["id"]]
    fetched = await call(fd, "GET", f"/channels/{channel.id}/messages/{created.body['id']}")
    for message in (listed, fetched.body):
        assert "nonce" not in message
        assert message["embeds"][0]["url"] == "https://news.example/s2"


def test_the_spec_does_not_promise_a_nonce_on_read_messages() -> None:
    """Discord's OpenAPI description lists nonce as optional in the message returned by GET channel messages."""
    if not OPENAPI.exists():
        pytest.skip(f"Discord's OpenAPI description is not at {OPENAPI}")
    spec = json.loads(OPENAPI.read_text(encoding="utf-8"))
    listed = spec["paths"]["/channels/{channel_id}/messages"]["get"]["responses"]["200"]
    item = listed["content"]["application/json"]["schema"]["items"]["$ref"].rsplit("/", 1)[-1]
    message = spec["components"]["schemas"][item]
    assert "nonce" in message["properties"]
    assert "nonce" not in message["required"]
