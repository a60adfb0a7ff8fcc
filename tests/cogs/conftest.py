"""Fixtures for the cogs' end-to-end tests: the news desk (Marquee with the feeds cog and a local feed server).

The fan server (``server``), the fake Discord and the feed server are in ``tests/conftest.py``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from fakediscord.feeds import FeedServer
from fakediscord.server import FakeDiscord
from tests.helpers.corpus import (
    FEEDPARSER,
    REPORT,
    CorpusUnavailableError,
    Document,
    cache_dir,
    fetch_sdist,
    in_ci,
    read_documents,
)
from tests.helpers.marquee import fan_server, marquee_settings
from tests.helpers.newsdesk import FEEDS_ONLY, NewsDesk, feeds_bot, feeds_cog


@pytest.fixture
def desk_extensions() -> tuple[str, ...]:
    """The extensions the news desk's Marquee loads; a module that needs more overrides this fixture."""
    return FEEDS_ONLY


@pytest_asyncio.fixture
async def desk(
    fake_discord: FakeDiscord, feed_server: FeedServer, tmp_path: Path, desk_extensions: tuple[str, ...]
) -> AsyncIterator[NewsDesk]:
    """Marquee with FEEDS_ALLOW_PRIVATE_NETWORKS on (the feeds are on loopback) and a short fetch budget."""
    guild, fan, mod = fan_server(fake_discord)
    settings = marquee_settings(fake_discord, tmp_path, FEEDS_ALLOW_PRIVATE_NETWORKS="1")
    async with feeds_bot(settings, desk_extensions) as bot:
        yield NewsDesk(fake_discord, bot, feeds_cog(bot), feed_server, guild, fake_discord.general(guild), fan, mod)


@pytest.fixture(scope="session")
def feedparser_corpus() -> list[Document]:
    """feedparser 6.0.11's test documents: the sdist from PyPI, pinned by sha256, cached in ~/.cache/marquee-tests.

    Without PyPI (and no cached copy) CI fails, saying why; a developer's run offline skips, saying the same.
    """
    try:
        return read_documents(fetch_sdist(FEEDPARSER, cache_dir()))
    except CorpusUnavailableError as exc:
        message = f"the feed corpus is unavailable: {exc}; put {FEEDPARSER.url} in {cache_dir()} to run offline"
        if in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    """The feed corpus's counts (documents, entries, posts, refusals by reason, time) after every run that read it."""
    if (report := config.stash.get(REPORT, None)) is not None:
        terminalreporter.write_sep("-", "feed corpus")
        terminalreporter.write_line(report)
