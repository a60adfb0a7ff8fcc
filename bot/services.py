"""The feature services one Marquee runs, built once by start-up and handed to the cogs.

Cogs sit above the services and below start-up: they must not import the ``Bot`` subclass, so they find
their service through ``services_of(bot)`` instead of reaching into ``bot.bot.Marquee``.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.cluster import Cluster
from bot.countdown.service import CountdownService
from bot.feeds.service import FeedService
from bot.housekeeping.service import HousekeepingService
from bot.show import Show
from bot.show.search import ShowIndex


@dataclass(frozen=True, slots=True)
class Services:
    show: Show
    show_index: ShowIndex
    feeds: FeedService
    countdown: CountdownService
    housekeeping: HousekeepingService
    cluster: Cluster


def services_of(client: object) -> Services:
    """The services of the bot an extension is loaded into; a clear error for any other client."""
    services = getattr(client, "services", None)
    if not isinstance(services, Services):
        raise TypeError(f"{type(client).__name__} carries no Marquee services; load cogs into bot.bot.Marquee")
    return services
