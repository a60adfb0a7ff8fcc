"""Settings from the environment (and ``.env``), validated once at start-up.

Every problem is a ``ConfigError`` naming the variable and the fix, so a moderator setting Marquee up sees one
line that tells them what to change instead of a traceback from deep inside the bot. The token is never part
of any message or ``repr``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from bot.errors import ConfigError
from db.database import is_server_url

DISCORD_API_URL = "https://discord.com/api/v10"
DISCORD_GATEWAY_URL = "wss://gateway.discord.gg/"

DEFAULT_DATABASE_PATH = "./marquee.db"
DEFAULT_SHOW = "all-of-us-are-dead"
DEFAULT_POLL_INTERVAL = 600
MIN_POLL_INTERVAL = 60
MAX_POLL_INTERVAL = 86_400
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


@dataclass(frozen=True, slots=True)
class Limit:
    """A per-server (or per-channel, per-user) limit an operator may change: its variable, default and range."""

    variable: str
    default: int
    low: int
    high: int
    meaning: str


@dataclass(frozen=True, slots=True)
class Limits:
    """The limits in force; the services take these, so a test can tighten one without touching the environment."""

    feeds_per_server: int = 50
    blocklist_per_server: int = 200
    queued_posts_per_channel: int = 100
    items_per_document: int = 200
    fetch_slots_per_server: int = 4
    feeds_commands_per_user_minute: int = 30
    feeds_commands_per_server_minute: int = 60
    send_concurrency: int = 4
    cleanup_grace_days: int = 7
    edit_window_hours: int = 48
    ping_window_seconds: int = 600
    lease_seconds: int = 30
    database_connections: int = 10


# Many servers share one Marquee and anyone can create a server: no one server may use more than its share.
# Keyed by the ``Limits`` field each variable sets; the defaults here and there must agree (a test checks).
LIMITS = {
    "feeds_per_server": Limit("FEEDS_PER_SERVER", 50, 1, 1000, "feed subscriptions one server may have"),
    "blocklist_per_server": Limit("BLOCKLIST_PER_SERVER", 200, 0, 10_000, "blocked sites and phrases per server"),
    "queued_posts_per_channel": Limit(
        "QUEUED_POSTS_PER_CHANNEL", 100, 10, 10_000, "posts waiting for one channel; beyond it the oldest are dropped"
    ),
    "items_per_document": Limit("ITEMS_PER_DOCUMENT", 200, 10, 5000, "newest items read from one fetched feed"),
    "fetch_slots_per_server": Limit("FETCH_SLOTS_PER_SERVER", 4, 1, 16, "fetches one server's feeds may run at once"),
    "feeds_commands_per_user_minute": Limit(
        "FEEDS_COMMANDS_PER_USER_MINUTE", 30, 1, 600, "/feeds add and /feeds test per user per minute"
    ),
    "feeds_commands_per_server_minute": Limit(
        "FEEDS_COMMANDS_PER_SERVER_MINUTE", 60, 1, 600, "/feeds add and /feeds test per server per minute"
    ),
    "send_concurrency": Limit("SEND_CONCURRENCY", 4, 1, 20, "news posts in flight to Discord at once"),
    "cleanup_grace_days": Limit(
        "CLEANUP_GRACE_DAYS", 7, 0, 90, "days a removed server's or deleted channel's setup is kept before it goes"
    ),
    "edit_window_hours": Limit(
        "EDIT_WINDOW_HOURS", 48, 0, 168, "hours after its first post a changed article edits its post; 0 never"
    ),
    "ping_window_seconds": Limit(
        "PING_WINDOW_SECONDS", 600, 60, 86_400, "seconds in which a role is pinged at most once per channel by news"
    ),
    "lease_seconds": Limit(
        "LEASE_SECONDS",
        30,
        5,
        600,
        "seconds a process holds shared work (a due feed, a channel's posts, a countdown) before another takes it over",
    ),
    "database_connections": Limit(
        "DATABASE_CONNECTIONS", 10, 2, 100, "connections one process keeps open to PostgreSQL (SQLite uses one)"
    ),
}

# Far beyond the largest bots' (Discord recommends one shard per 1,000 servers); it keeps a typo from making start-up
# build millions of shard ids.
MAX_SHARD_COUNT = 100_000
_SHARD_ITEM = re.compile(r"(?P<low>[0-9]+)(?:\s*-\s*(?P<high>[0-9]+))?")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
_SHOW_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# A bot token is three dot-separated base64url segments; checking the shape catches a pasted client secret,
# a "Bot " prefix or stray quotes before Discord answers with an opaque 401.
_TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{20,}$")

SETUP_HELP = (
    "Copy .env.example to .env and set DISCORD_TOKEN to your bot's token "
    "(Discord Developer Portal > your application > Bot > Reset Token), "
    "or run `python -m bot demo` to try Marquee offline without one"
)


@dataclass(frozen=True, slots=True)
class Shards:
    """The gateway shards this process connects, out of the bot's total across every process.

    ``ids`` are sorted, unique and each below ``count``; Discord gives each shard the servers with
    ``(guild_id >> 22) % count`` equal to its id, and direct messages to shard 0.
    """

    count: int
    ids: tuple[int, ...]

    def holds(self, guild_id: int) -> bool:
        """Whether Discord sends this server's events (and its commands) to this process."""
        return (guild_id >> 22) % self.count in self.ids


@dataclass(frozen=True, slots=True)
class Settings:
    token: str | None = field(repr=False)
    database_path: Path
    show: str
    dev_guild_id: int | None
    log_level: str
    feed_poll_interval: int
    discord_api_url: str
    discord_gateway_url: str
    feeds_allow_private_networks: bool
    limits: Limits = field(default_factory=lambda: Limits())
    shards: Shards | None = None  # None: one process, one unsharded session (a single-server install)
    # PostgreSQL instead of the SQLite file; kept out of repr because the URL may hold a password.
    database_url: str | None = field(default=None, repr=False)

    @property
    def store(self) -> Path | str:
        """Where the data lives: the PostgreSQL URL when one is set, else the SQLite file."""
        return self.database_url if self.database_url is not None else self.database_path

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, *, require_token: bool = True) -> Settings:
        """Read and validate every setting; raise ``ConfigError`` for the first bad one."""
        env = os.environ if env is None else env
        return cls(
            token=_token(env.get("DISCORD_TOKEN", ""), required=require_token),
            database_path=_database_path(env.get("DATABASE_PATH", DEFAULT_DATABASE_PATH)),
            show=_show(env.get("SHOW", DEFAULT_SHOW)),
            dev_guild_id=_snowflake("DEV_GUILD_ID", env.get("DEV_GUILD_ID", "")),
            log_level=_log_level(env.get("LOG_LEVEL", "INFO")),
            feed_poll_interval=_poll_interval(env.get("FEED_POLL_INTERVAL", "")),
            discord_api_url=_url("DISCORD_API_URL", env.get("DISCORD_API_URL", ""), DISCORD_API_URL, ("http", "https")),
            discord_gateway_url=_url(
                "DISCORD_GATEWAY_URL", env.get("DISCORD_GATEWAY_URL", ""), DISCORD_GATEWAY_URL, ("ws", "wss")
            ),
            feeds_allow_private_networks=_flag(
                "FEEDS_ALLOW_PRIVATE_NETWORKS", env.get("FEEDS_ALLOW_PRIVATE_NETWORKS", "")
            ),
            limits=Limits(**{name: _limit(limit, env.get(limit.variable, "")) for name, limit in LIMITS.items()}),
            shards=_shards(env.get("SHARD_COUNT", ""), env.get("SHARD_IDS", "")),
            database_url=_database_url(env.get("DATABASE_URL", "")),
        )


def _token(raw: str, *, required: bool) -> str | None:
    value = raw.strip()
    if not value:
        if required:
            raise ConfigError("DISCORD_TOKEN", "is not set", SETUP_HELP)
        return None
    if value.lower().startswith("bot "):
        raise ConfigError("DISCORD_TOKEN", "starts with 'Bot '", "Set it to the token alone, without the prefix")
    if value[0] in "'\"" or value[-1] in "'\"":
        raise ConfigError("DISCORD_TOKEN", "is wrapped in quotes", "Remove the quotes around the token")
    if not _TOKEN_SHAPE.match(value):
        raise ConfigError(
            "DISCORD_TOKEN",
            "does not look like a bot token (three dot-separated parts)",
            "Copy the token from Developer Portal > Bot > Reset Token; the client secret is not the token",
        )
    return value


def _database_url(raw: str) -> str | None:
    """A PostgreSQL URL, or ``None`` for the embedded SQLite store; refused early rather than at the first query."""
    value = raw.strip()
    if not value:
        return None
    if not is_server_url(value):
        raise ConfigError(
            "DATABASE_URL",
            "is not a postgresql:// URL",
            "Set it like DATABASE_URL=postgresql://marquee:PASSWORD@localhost:5432/marquee, "
            "or leave it unset to keep the SQLite file at DATABASE_PATH",
        )
    try:
        port = urlsplit(value).port
    except ValueError:
        port = -1
    if port == -1:
        raise ConfigError("DATABASE_URL", "has a port that is not a number from 1 to 65535", "Fix the :PORT part")
    return value


def _database_path(raw: str) -> Path:
    value = raw.strip() or DEFAULT_DATABASE_PATH
    path = Path(value).expanduser()
    if path.is_dir():
        raise ConfigError(
            "DATABASE_PATH", f"{value} is a directory", "Point it at a file, e.g. DATABASE_PATH=./marquee.db"
        )
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise ConfigError(
            "DATABASE_PATH",
            f"the directory {parent} does not exist",
            f"Create it (mkdir -p {parent}) or point DATABASE_PATH at a file in an existing directory",
        )
    if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise ConfigError(
            "DATABASE_PATH",
            f"{value} is not writable",
            "Point it at a file Marquee may write, or fix the permissions",
        )
    return path


def _show(raw: str) -> str:
    value = raw.strip() or DEFAULT_SHOW
    if value.endswith(".toml") or "/" in value or os.sep in value:
        if not Path(value).expanduser().is_file():
            raise ConfigError("SHOW", f"the show file {value} does not exist", "Point SHOW at a show pack .toml file")
        return value
    if not _SHOW_NAME.match(value):
        raise ConfigError(
            "SHOW",
            f"{value!r} is not a show name",
            f"Use a bundled show such as {DEFAULT_SHOW}, or the path to a show pack .toml file",
        )
    return value


def _snowflake(name: str, raw: str) -> int | None:
    value = raw.strip()
    if not value:
        return None
    if not value.isdigit() or not 0 < int(value) < 2**63:
        raise ConfigError(
            name,
            f"{value!r} is not a Discord ID",
            "Use the server's numeric ID (Developer Mode on, right-click the server > Copy Server ID), "
            "or leave it empty",
        )
    return int(value)


def _log_level(raw: str) -> str:
    value = raw.strip().upper() or "INFO"
    if value not in LOG_LEVELS:
        raise ConfigError("LOG_LEVEL", f"{raw.strip()!r} is not a log level", f"Use one of {', '.join(LOG_LEVELS)}")
    return value


def _poll_interval(raw: str) -> int:
    value = raw.strip()
    if not value:
        return DEFAULT_POLL_INTERVAL
    try:
        seconds = int(value)
    except ValueError:
        raise ConfigError(
            "FEED_POLL_INTERVAL", f"{value!r} is not a whole number of seconds", "Use e.g. FEED_POLL_INTERVAL=600"
        ) from None
    if not MIN_POLL_INTERVAL <= seconds <= MAX_POLL_INTERVAL:
        raise ConfigError(
            "FEED_POLL_INTERVAL",
            f"{seconds} seconds is out of range",
            f"Use between {MIN_POLL_INTERVAL} and {MAX_POLL_INTERVAL} seconds (news sites ask for no more "
            "than one fetch a minute)",
        )
    return seconds


def _url(name: str, raw: str, default: str, schemes: tuple[str, ...]) -> str:
    value = raw.strip() or default
    parts = urlsplit(value)
    if parts.scheme not in schemes or not parts.hostname:
        raise ConfigError(
            name,
            f"{value!r} is not a {' or '.join(s + '://' for s in schemes)} URL",
            f"Leave it empty for Discord's own ({default}) or give a full URL",
        )
    return value


def _flag(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(name, f"{raw.strip()!r} is not on or off", "Use 1/0, true/false, yes/no or on/off")


def _limit(limit: Limit, raw: str) -> int:
    value = raw.strip()
    if not value:
        return limit.default
    try:
        number = int(value)
    except ValueError:
        raise ConfigError(
            limit.variable, f"{value!r} is not a whole number", f"Use e.g. {limit.variable}={limit.default}"
        ) from None
    if not limit.low <= number <= limit.high:
        raise ConfigError(
            limit.variable,
            f"{number} is out of range",
            f"Use between {limit.low} and {limit.high} ({limit.meaning}; default {limit.default})",
        )
    return number


def _shards(raw_count: str, raw_ids: str) -> Shards | None:
    count_text, ids_text = raw_count.strip(), raw_ids.strip()
    if not count_text:
        if ids_text:
            raise ConfigError(
                "SHARD_IDS",
                "is set without SHARD_COUNT",
                "Set SHARD_COUNT to the total number of shards across every Marquee process (e.g. SHARD_COUNT=2), "
                "or leave SHARD_IDS empty",
            )
        return None
    try:
        count = int(count_text)
    except ValueError:
        raise ConfigError(
            "SHARD_COUNT",
            f"{count_text!r} is not a whole number",
            "Use the total number of shards across every Marquee process, e.g. SHARD_COUNT=2",
        ) from None
    if count < 1:
        raise ConfigError(
            "SHARD_COUNT",
            f"{count} is not a positive number of shards",
            "Use 1 or more, or leave it empty to run one process without sharding",
        )
    if count > MAX_SHARD_COUNT:
        raise ConfigError(
            "SHARD_COUNT",
            f"{count} shards is far more than Discord asks for",
            f"Use at most {MAX_SHARD_COUNT} (Discord recommends one shard per 1,000 servers: GET /gateway/bot)",
        )
    if not ids_text:
        return Shards(count, tuple(range(count)))
    ids: set[int] = set()
    for part in ids_text.split(","):
        for shard in _shard_range(part.strip(), count):
            if shard in ids:
                raise ConfigError(
                    "SHARD_IDS",
                    f"shard {shard} is listed twice",
                    f"Name each shard once, e.g. SHARD_IDS={_example(count)}",
                )
            ids.add(shard)
    return Shards(count, tuple(sorted(ids)))


def _shard_range(part: str, count: int) -> range:
    """One item of SHARD_IDS: an id (``3``) or an inclusive range (``0-1``), every id below ``count``."""
    matched = _SHARD_ITEM.fullmatch(part)
    if matched is None:
        raise ConfigError(
            "SHARD_IDS",
            f"{part!r} is not a shard id or a range of them",
            f"Use ids and ranges separated by commas, e.g. SHARD_IDS={_example(count)}",
        )
    low = int(matched["low"])
    high = low if matched["high"] is None else int(matched["high"])
    if high < low:
        raise ConfigError("SHARD_IDS", f"the range {part} runs backwards", f"Write it low to high, {high}-{low}")
    if high >= count:
        raise ConfigError(
            "SHARD_IDS",
            f"shard {high} is not below SHARD_COUNT={count}",
            f"Shard ids run from 0 to {count - 1}; raise SHARD_COUNT on every process or use ids below it",
        )
    return range(low, high + 1)


def _example(count: int) -> str:
    return "0" if count == 1 else f"0-{count - 1}" if count == 2 else f"0-1,{count - 1}"
