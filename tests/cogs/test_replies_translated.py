"""Replies in the language of the user's Discord client, end to end: the real bot through fakediscord.

A Korean client (``locale="ko"``) gets errors, check failures and status answers in Korean; an English one
gets exactly the English it always got. What the whole channel sees (the pinned countdown) stays English.
"""

from __future__ import annotations

from typing import Any

from fakediscord.feeds import SAMPLE_WORDPRESS
from fakediscord.server import Reply
from tests.helpers.marquee import Server
from tests.helpers.newsdesk import NewsDesk

KOREAN = "ko"
ENGLISH = "en-US"


async def ask(server: Server, command: str, *, locale: str, as_mod: bool = False, **options: Any) -> Reply:
    user = server.mod if as_mod else server.fan
    handle = await server.fd.invoke(command, user=user, in_channel=server.channel, locale=locale, options=options)
    return await handle.response()


def field_text(reply: Reply) -> str:
    embed = reply.embeds[0]
    return "\n".join([str(embed.get("title", "")), *(f"{f['name']}\n{f['value']}" for f in embed.get("fields", []))])


async def test_an_error_is_korean_for_a_korean_client_and_english_for_an_english_one(server: Server) -> None:
    """A ``UserFacingError`` raised in a cog answers each user in their own client's language."""
    korean = await ask(server, "cast", locale=KOREAN, season=7)
    english = await ask(server, "cast", locale=ENGLISH, season=7)
    assert korean.ephemeral and english.ephemeral
    assert korean.content == "시즌 7은(는) 없어요. 알고 있는 시즌: 1, 2."
    assert english.content == "There is no season 7 here. Seasons I know: 1, 2."


async def test_a_did_you_mean_is_korean_with_the_names_as_they_are(server: Server) -> None:
    """The suggestions are the pack's names; only the sentence around them is translated."""
    reply = await ask(server, "cast", locale=KOREAN, name="Hyun Bin")
    assert reply.ephemeral
    assert reply.content.startswith("“Hyun Bin”(이)라는 사람은 모르겠어요. 혹시 ")
    assert "Cho Yi-hyun" in reply.content and "Did you mean" not in reply.content


async def test_a_check_failure_is_korean_for_a_korean_client(server: Server) -> None:
    """The command tree's own sentences (a missing permission) follow the user's language too."""
    korean = await ask(server, "countdown setup", locale=KOREAN)
    english = await ask(server, "countdown setup", locale=ENGLISH)
    assert korean.content == "이 명령어를 쓰려면 Manage Server 권한이 필요해요."
    assert english.content == "You need the Manage Server permission to use this command."


async def test_countdown_replies_speak_the_moderators_language_and_the_pin_stays_english(server: Server) -> None:
    """A Korean moderator gets Korean confirmations and a Korean history; the pinned card is the server's."""
    setup = await ask(server, "countdown setup", locale=KOREAN, as_mod=True)
    assert setup.content.startswith(f"<#{server.channel.id}>에 카운트다운을 고정했어요.")
    (pinned,) = server.fd.pins(server.channel)
    assert pinned.embeds[0]["footer"]["text"].startswith("Follows the news by itself.")  # the channel's, English

    locked = await ask(server, "countdown lock", locale=KOREAN, as_mod=True)
    assert locked.content == "잠갔어요: 이제 소식이 카운트다운을 바꾸지 않아요."

    korean = await ask(server, "countdown history", locale=KOREAN, as_mod=True)
    english = await ask(server, "countdown history", locale=ENGLISH, as_mod=True)
    assert korean.ephemeral and english.ephemeral
    assert korean.embeds[0]["title"] == "카운트다운 기록 (최신순, 최근 15개)"
    assert korean.embeds[0]["footer"]["text"] == "✅ 카운트다운에 반영됨 · ✗ 반영 안 됨 (이유와 함께)"
    assert english.embeds[0]["title"] == "Countdown history (newest first, last 15)"

    shown = await ask(server, "countdown show", locale=KOREAN, as_mod=True)
    assert "최근 변경" in [f["name"] for f in shown.embeds[0]["fields"]]


async def test_feeds_status_is_korean_for_a_korean_moderator(desk: NewsDesk) -> None:
    """/feeds status: title and labels in Korean, the feed's own name, URL and HTTP status as they are."""
    desk.fs.add_sample("/dispatch", SAMPLE_WORDPRESS)
    added = await desk.fd.invoke(
        "feeds add", user=desk.mod, in_channel=desk.channel, locale=KOREAN, url=desk.url("/dispatch")
    )
    confirmation = (await added.response()).content
    assert f"이제 <#{desk.channel.id}>에서 **" in confirmation and "본 것으로 쳐요" in confirmation

    replies = {}
    for locale in (KOREAN, ENGLISH):
        handle = await desk.fd.invoke("feeds status", user=desk.mod, in_channel=desk.channel, locale=locale)
        replies[locale] = await handle.response()
    korean, english = replies[KOREAN], replies[ENGLISH]
    assert korean.ephemeral
    assert korean.embeds[0]["title"] == "피드 상태"
    (field,) = korean.embeds[0]["fields"]
    assert "K-Drama Dispatch" in field["name"]
    for expected in ("마지막 확인: <t:", "HTTP 200", "다음 확인: <t:", "최근 90일 동안 여기 올린 글: 0개"):
        assert expected in field["value"], expected
    assert "Last check" not in field_text(korean)
    assert english.embeds[0]["title"] == "Feed status"
    assert "Last check: <t:" in field_text(english)


async def test_feeds_errors_from_the_service_are_korean(desk: NewsDesk) -> None:
    """An error raised deep in the feed service (no such subscription) reaches a Korean client in Korean."""
    handle = await desk.fd.invoke(
        "feeds remove", user=desk.mod, in_channel=desk.channel, locale=KOREAN, subscription=999
    )
    reply = await handle.response()
    assert reply.ephemeral
    assert reply.content == "이 서버에 그런 구독은 없어요. `/피드 목록`에서 구독을 볼 수 있어요."
