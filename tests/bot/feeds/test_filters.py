"""Filters: moderators choose what is posted, and pirate pages never are."""

from __future__ import annotations

import pytest

from bot.feeds.filters import (
    DEFAULT_BLOCKLIST,
    Blocklist,
    FilterError,
    drop_reason,
    normalise_domain,
    parse_keywords,
)
from bot.feeds.normalise import NewsItem
from bot.feeds.urls import host_of
from tests.helpers.feeds import news_item, sample_feed


@pytest.mark.parametrize(
    ("keywords", "title", "matches"),
    [
        ("zombie", "A ZOMBIE drama returns", True),
        ("zombie", "Zombies everywhere", False),
        ("zombie*", "Zombies everywhere", True),
        ("cast", "Broadcast ratings climb", False),
        ("cast", "New cast announced", True),
        ("season 2", "Season   2 wraps filming", True),
        ("season 2", "Season 20 of a show", False),
        ("on-jo", "Fan art of On-jo", True),
        ("학교", "'지금 우리 학교는' 시즌2", True),
        ("우리 학교", "지금 우리 학교는 촬영 종료", True),
        ("학교", "대학교 축제", False),
        ("시즌2", "'지금 우리 학교는' 시즌2, 촬영 종료", True),
    ],
)
def test_include_keywords_match_whole_words_and_hangul(keywords: str, title: str, matches: bool) -> None:
    """Keywords ignore case, respect word boundaries and work with Korean particles."""
    include = parse_keywords(keywords)
    reason = drop_reason(news_item(title=title, summary="", categories=()), include=include)
    assert (reason is None) == matches


def test_exclude_keywords_drop_items_and_say_which_keyword() -> None:
    """An excluded word in the title, summary or a category drops the item and is named in the reason."""
    exclude = parse_keywords("recap, spoiler")
    assert drop_reason(news_item(summary="Full episode 5 recap inside"), exclude=exclude) == "excluded keyword 'recap'"
    assert drop_reason(news_item(categories=("Spoiler",)), exclude=exclude) == "excluded keyword 'spoiler'"
    assert drop_reason(news_item(), exclude=exclude) is None


def test_an_item_with_none_of_the_include_keywords_is_dropped_with_the_list() -> None:
    """An off-topic article is dropped and the reason lists what was looked for."""
    off_topic = sample_feed("kdrama-dispatch-wordpress.xml").items[2]
    reason = drop_reason(off_topic, include=parse_keywords("All of Us Are Dead, 지금 우리 학교는"))
    assert reason == "none of the include keywords (All of Us Are Dead, 지금 우리 학교는)"


@pytest.mark.parametrize(
    "title",
    [
        "Watch All of Us Are Dead Season 2 Online Free Full Episodes Eng Sub",
        "All of Us Are Dead S2 Eng Sub Download 1080p",
        "Download All of Us Are Dead season 2 English subbed",
        "All of Us Are Dead 2 full episodes free HD",
        "지금 우리 학교는 시즌2 다시보기 무료",
        "FREE Netflix premium accounts giveaway",
    ],
)
def test_pirate_and_spam_titles_are_blocked_by_default(title: str) -> None:
    """Fake "watch free" pages and account-giveaway spam are never posted, with a readable reason."""
    reason = drop_reason(news_item(title=title, link="https://random.example/x", outlet_url=None))
    assert reason is not None
    assert reason.startswith("looks like")


@pytest.mark.parametrize(
    "title",
    [
        "Netflix confirms All of Us Are Dead season 2 premiere date",
        "Where the cast watched the finale together",
        "Season 2 teaser: the survivors are back",
    ],
)
def test_real_news_passes_the_default_blocklist(title: str) -> None:
    """Ordinary headlines about the show are not mistaken for pirate pages."""
    assert drop_reason(news_item(title=title)) is None


@pytest.mark.parametrize(
    "link",
    [
        "https://moviehot25.com/watch/all-of-us-are-dead-2",
        "https://movie.niwszone.com/3330",
        "https://news.gymroomathome.com/1351",
        "https://closeness0927.tistory.com/406",
        "https://www.2plusq.com/review",
    ],
)
def test_known_fabricated_pages_are_blocked_by_domain(link: str) -> None:
    """The fabricated "season 2 is out" sites from the research are blocked, subdomains included."""
    reason = drop_reason(news_item(title="Season 2 review", link=link))
    assert reason is not None
    assert reason.startswith("blocked domain")


def test_the_blocklist_checks_the_google_news_outlet_too() -> None:
    """A pirate page reached through Google News is blocked by its <source> domain."""
    pirate = sample_feed("google-news-search.xml").items[2]
    assert drop_reason(pirate, blocklist=DEFAULT_BLOCKLIST.extended()) is not None


def test_a_server_can_extend_the_blocklist_with_domains_and_phrases() -> None:
    """A server's own blocked domains (with subdomains) and phrases add to the default list."""
    blocklist = DEFAULT_BLOCKLIST.extended(domains=["https://www.Clickbait.example/"], phrases=["coming next month"])
    assert drop_reason(news_item(link="https://m.clickbait.example/a"), blocklist=blocklist) == (
        "blocked domain clickbait.example"
    )
    assert drop_reason(news_item(title="Season 2 COMING next month!"), blocklist=blocklist) == (
        "blocked phrase 'coming next month'"
    )
    assert drop_reason(news_item(link="https://notclickbait.example/a"), blocklist=blocklist) is None
    assert drop_reason(news_item(title="Watch online free"), blocklist=blocklist) is not None


@pytest.mark.parametrize("bad", ["", "not a domain", "localhost"])
def test_unusable_domains_are_refused(bad: str) -> None:
    """A moderator typing something that is not a domain gets an error instead of a silent no-op."""
    with pytest.raises(FilterError):
        normalise_domain(bad)


def test_too_many_or_too_long_keywords_are_refused() -> None:
    """Keyword lists stay small enough to check quickly and to show in /feeds list."""
    with pytest.raises(FilterError):
        parse_keywords(",".join(f"w{i}" for i in range(30)))
    with pytest.raises(FilterError):
        parse_keywords("x" * 100)


def test_a_reddit_post_linking_to_a_blocked_domain_is_blocked() -> None:
    """Sharing a pirate site through Reddit does not get it past a server's domain blocklist."""
    spam = sample_feed("reddit-allofusaredead.xml").items[1]
    blocklist = DEFAULT_BLOCKLIST.extended(domains=["free-premium-accounts.example"])
    assert drop_reason(spam, blocklist=blocklist) == "blocked domain free-premium-accounts.example"


def one_entry_at_a_time(blocklist: Blocklist, item: NewsItem) -> str | None:
    """The blocklist as it was checked before: every domain in alphabetical order, then every pattern in turn."""
    for url in (item.link, item.outlet_url or "", item.external_link or ""):
        host = host_of(url)
        for domain in sorted(blocklist.domains):
            if host and (host == domain or host.endswith("." + domain)):
                return f"blocked domain {domain}"
    for pattern, what in blocklist.patterns:
        if pattern.search(item.title):
            return what
    return None


FULL_BLOCKLIST = DEFAULT_BLOCKLIST.extended(
    domains=[*(f"site{n}.example" for n in range(100)), "example.net", "deep.example.net", "블로그.kr"],
    phrases=[
        *(f"promo code {n}" for n in range(90)),
        "zombie*",
        "학교",
        "on-jo",
        "#ad",
        "promo",
        "free trial",
        "trial",
        "C++ tips",
        "Ärger",
        "ſpecial",
    ],
)


@pytest.mark.parametrize(
    ("title", "link"),
    [
        ("Season 2 teaser released", "https://news.example/a"),
        ("Season 2 teaser released", "https://a.b.site42.example/x"),
        ("Season 2 teaser released", "https://site420.example/x"),
        ("Season 2 teaser released", "https://x.deep.example.net/y"),
        ("Season 2 teaser released", "https://notexample.net/y"),
        ("Season 2 teaser released", "https://블로그.kr/글"),
        ("Use PROMO CODE 42 and promo code 7", "https://news.example/a"),
        ("A free trial of the trial version", "https://news.example/a"),
        ("Promo code 420 is not in the list", "https://news.example/a"),
        ("Zombies return in promo code 3", "https://news.example/a"),
        ("지금 우리 학교는 시즌2", "https://news.example/a"),
        ("대학교 축제", "https://news.example/a"),
        ("Fan art of On-jo #ad", "https://news.example/a"),
        ("Onjo and #adverts", "https://news.example/a"),
        ("c++ TIPS for fans", "https://news.example/a"),
        ("Kein ärger mit Spoilern", "https://news.example/a"),
        ("A special episode", "https://news.example/a"),
        ("Watch free full episodes online with promo code 1", "https://site3.example/a"),
    ],
)
def test_a_full_blocklist_names_the_same_entry_as_checking_each_in_turn(title: str, link: str) -> None:
    """However a server's 200 entries are looked up, moderators see the same reason for each dropped article."""
    item = news_item(title=title, link=link, outlet_url=None)
    assert FULL_BLOCKLIST.reason(item) == one_entry_at_a_time(FULL_BLOCKLIST, item)


def test_a_full_blocklist_drops_what_its_entries_name() -> None:
    """A subdomain of a blocked site and a phrase in other letter case are dropped; a lookalike site is not."""
    subdomain = news_item(title="Season 2 news", link="https://m.site5.example/a")
    assert FULL_BLOCKLIST.reason(subdomain) == "blocked domain site5.example"
    assert FULL_BLOCKLIST.reason(news_item(title="Use PROMO  Code 9 today")) == "blocked phrase 'promo code 9'"
    assert FULL_BLOCKLIST.reason(news_item(title="Season 2 news", link="https://site5.example.org/a")) is None
