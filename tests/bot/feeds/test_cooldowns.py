"""The /feeds add and /feeds test ration: a sliding minute per user and per server, refusals that name the wait."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.feeds.cooldowns import FetchCommandRation, MinuteWindow, Refusal

NOW = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)
MOD, OTHER_MOD, GUILD, OTHER_GUILD = 1, 2, 10, 20


def take(ration: FetchCommandRation, at: datetime, *, guild: int = GUILD, user: int = MOD) -> Refusal | None:
    return ration.take(guild, user, per_user=30, per_server=60, now=at)


def test_a_moderator_setting_up_twenty_feeds_in_a_minute_is_never_stopped() -> None:
    """Twenty commands a few seconds apart all go through."""
    ration = FetchCommandRation()
    assert all(take(ration, NOW + timedelta(seconds=2 * n)) is None for n in range(20))


def test_the_31st_command_in_a_minute_waits_until_the_first_leaves_the_minute() -> None:
    """The 31st command by one person is refused until a minute after their first, then works."""
    ration = FetchCommandRation()
    for n in range(30):
        assert take(ration, NOW + timedelta(seconds=n)) is None
    assert take(ration, NOW + timedelta(seconds=40)) == Refusal("user", 30, NOW + timedelta(minutes=1))
    assert take(ration, NOW + timedelta(seconds=59)) is not None  # refusals do not push the wait further out
    assert take(ration, NOW + timedelta(minutes=1)) is None


def test_a_servers_minute_stops_all_its_moderators_but_no_other_server() -> None:
    """With 60 commands used in one server, a fresh moderator there waits; another server does not."""
    ration = FetchCommandRation()
    for n in range(60):
        assert take(ration, NOW, user=100 + n) is None
    refused = take(ration, NOW + timedelta(seconds=5), user=OTHER_MOD)
    assert refused == Refusal("server", 60, NOW + timedelta(minutes=1))
    assert take(ration, NOW + timedelta(seconds=5), guild=OTHER_GUILD, user=OTHER_MOD) is None


def test_one_persons_minute_follows_them_to_every_server() -> None:
    """A person who used their 30 in one server is refused in another server too."""
    ration = FetchCommandRation()
    for _ in range(30):
        assert take(ration, NOW) is None
    refused = take(ration, NOW, guild=OTHER_GUILD)
    assert refused is not None and refused.scope == "user"


def test_the_refusal_names_the_later_of_two_waits() -> None:
    """When both the person's and the server's minute are used up, the wait named is the one that lets them in."""
    ration = FetchCommandRation()
    assert ration.take(GUILD, MOD, per_user=5, per_server=5, now=NOW) is None
    assert ration.take(GUILD, OTHER_MOD, per_user=5, per_server=5, now=NOW + timedelta(seconds=10)) is None
    later = NOW + timedelta(seconds=20)
    assert ration.take(GUILD, MOD, per_user=1, per_server=3, now=later) == Refusal(
        "user", 1, NOW + timedelta(seconds=60)
    )
    assert ration.take(GUILD, MOD, per_user=1, per_server=1, now=later) == Refusal(
        "server", 1, NOW + timedelta(seconds=70)
    )
    assert ration.take(GUILD, OTHER_MOD, per_user=1, per_server=2, now=later) == Refusal(
        "user", 1, NOW + timedelta(seconds=70)
    )


def test_people_who_came_once_are_forgotten_after_a_minute() -> None:
    """A crowd of one-off users leaves nothing in memory a minute later."""
    window = MinuteWindow()
    for user in range(1000):
        window.use(user, NOW)
    assert len(window) == 1000
    assert window.again(MOD, 30, NOW + timedelta(minutes=1)) is None
    assert len(window) == 0
