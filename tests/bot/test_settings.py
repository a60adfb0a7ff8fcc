"""Settings: what a moderator sees when the environment is right or wrong."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.errors import ConfigError
from bot.settings import LIMITS, Limits, Settings

TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4OQ.GabcdE.abcdefghijklmnopqrstuvwxyz0123"


def env(**overrides: str) -> dict[str, str]:
    return {"DISCORD_TOKEN": TOKEN, **overrides}


def test_defaults() -> None:
    """With only a token, every other setting takes its documented default."""
    s = Settings.from_env(env())
    assert s.token == TOKEN
    assert s.database_path == Path("marquee.db")
    assert s.show == "all-of-us-are-dead"
    assert s.dev_guild_id is None
    assert s.log_level == "INFO"
    assert s.feed_poll_interval == 600
    assert s.discord_api_url == "https://discord.com/api/v10"
    assert s.discord_gateway_url == "wss://gateway.discord.gg/"
    assert s.feeds_allow_private_networks is False


@pytest.mark.parametrize(
    ("overrides", "attr", "expected"),
    [
        ({"DEV_GUILD_ID": "123456789012345678"}, "dev_guild_id", 123456789012345678),
        ({"LOG_LEVEL": "debug"}, "log_level", "DEBUG"),
        ({"FEED_POLL_INTERVAL": "60"}, "feed_poll_interval", 60),
        ({"FEED_POLL_INTERVAL": " 900 "}, "feed_poll_interval", 900),
        ({"FEEDS_ALLOW_PRIVATE_NETWORKS": "yes"}, "feeds_allow_private_networks", True),
        ({"FEEDS_ALLOW_PRIVATE_NETWORKS": "0"}, "feeds_allow_private_networks", False),
        ({"DISCORD_API_URL": "http://127.0.0.1:9000/api/v10"}, "discord_api_url", "http://127.0.0.1:9000/api/v10"),
        ({"DISCORD_GATEWAY_URL": "ws://127.0.0.1:9000/gateway"}, "discord_gateway_url", "ws://127.0.0.1:9000/gateway"),
        ({"SHOW": "my-show"}, "show", "my-show"),
        ({"DATABASE_PATH": ""}, "database_path", Path("marquee.db")),
        ({"DATABASE_URL": "postgres://m@db:5432/marquee"}, "store", "postgres://m@db:5432/marquee"),
        ({"DATABASE_URL": " postgresql+asyncpg://m@db/marquee "}, "store", "postgresql+asyncpg://m@db/marquee"),
        ({"DATABASE_URL": ""}, "store", Path("marquee.db")),
    ],
)
def test_good_values(overrides: dict[str, str], attr: str, expected: object) -> None:
    """Accepted values are parsed into their typed form."""
    assert getattr(Settings.from_env(env(**overrides)), attr) == expected


@pytest.mark.parametrize(
    ("overrides", "variable", "hint"),
    [
        ({"DISCORD_TOKEN": ""}, "DISCORD_TOKEN", "python -m bot demo"),
        ({"DISCORD_TOKEN": "Bot " + TOKEN}, "DISCORD_TOKEN", "without the prefix"),
        ({"DISCORD_TOKEN": f'"{TOKEN}"'}, "DISCORD_TOKEN", "quotes"),
        ({"DISCORD_TOKEN": "client-secret-1234"}, "DISCORD_TOKEN", "client secret"),
        ({"DATABASE_PATH": "/nonexistent/dir/x.db"}, "DATABASE_PATH", "mkdir -p /nonexistent/dir"),
        ({"DATABASE_PATH": "/"}, "DATABASE_PATH", "is a directory"),
        ({"SHOW": "Not A Show!"}, "SHOW", "bundled show"),
        ({"SHOW": "/nonexistent/show.toml"}, "SHOW", "does not exist"),
        ({"DEV_GUILD_ID": "my server"}, "DEV_GUILD_ID", "Copy Server ID"),
        ({"DEV_GUILD_ID": "-5"}, "DEV_GUILD_ID", "Copy Server ID"),
        ({"LOG_LEVEL": "loud"}, "LOG_LEVEL", "DEBUG, INFO"),
        ({"FEED_POLL_INTERVAL": "5"}, "FEED_POLL_INTERVAL", "between 60 and 86400"),
        ({"FEED_POLL_INTERVAL": "ten minutes"}, "FEED_POLL_INTERVAL", "whole number"),
        ({"DISCORD_API_URL": "discord.com/api"}, "DISCORD_API_URL", "http://"),
        ({"DISCORD_GATEWAY_URL": "https://gateway.discord.gg"}, "DISCORD_GATEWAY_URL", "ws://"),
        ({"FEEDS_ALLOW_PRIVATE_NETWORKS": "maybe"}, "FEEDS_ALLOW_PRIVATE_NETWORKS", "on/off"),
        ({"DATABASE_URL": "mysql://m@db/marquee"}, "DATABASE_URL", "postgresql://marquee:PASSWORD@"),
        ({"DATABASE_URL": "localhost:5432/marquee"}, "DATABASE_URL", "leave it unset"),
        ({"DATABASE_URL": "postgresql://m@db:port/marquee"}, "DATABASE_URL", "Fix the :PORT part"),
    ],
)
def test_bad_values(overrides: dict[str, str], variable: str, hint: str) -> None:
    """A bad value is refused with a message naming the variable and the fix, never echoing the token."""
    with pytest.raises(ConfigError) as caught:
        Settings.from_env(env(**overrides))
    message = str(caught.value)
    assert message.startswith(f"{variable}: ")
    assert hint in message
    assert TOKEN not in message


def test_token_not_in_repr() -> None:
    """Printing the settings (e.g. in a debug log) does not reveal the token, nor the database's password."""
    shown = repr(Settings.from_env(env(DATABASE_URL="postgresql://marquee:hunter2secret@db/marquee")))
    assert TOKEN not in shown and "hunter2secret" not in shown


def test_token_optional_when_not_required() -> None:
    """The demo runs without a token."""
    assert Settings.from_env({}, require_token=False).token is None


def run_cli(*args: str, extra_env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"DISCORD_TOKEN", "DATABASE_PATH", "FEED_POLL_INTERVAL"}}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env={**clean, **extra_env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("extra_env", "expected"),
    [
        ({}, "DISCORD_TOKEN: is not set"),
        ({"DISCORD_TOKEN": TOKEN, "DATABASE_PATH": "/nonexistent/dir/x.db"}, "DATABASE_PATH: the directory"),
        ({"DISCORD_TOKEN": TOKEN, "FEED_POLL_INTERVAL": "5"}, "FEED_POLL_INTERVAL: 5 seconds is out of range"),
    ],
)
def test_cli_exits_2_with_one_line(tmp_path: Path, extra_env: dict[str, str], expected: str) -> None:
    """`python -m bot` with a bad environment exits 2 with a single line naming the variable."""
    result = run_cli(extra_env=extra_env, cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert expected in lines[0]
    assert TOKEN not in result.stderr + result.stdout


def test_dotenv_file_is_read(tmp_path: Path) -> None:
    """A .env file in the working directory supplies settings (here a bad one, to see it was read)."""
    (tmp_path / ".env").write_text(f"DISCORD_TOKEN={TOKEN}\nFEED_POLL_INTERVAL=7\n")
    result = run_cli(extra_env={}, cwd=tmp_path)
    assert result.returncode == 2
    assert "FEED_POLL_INTERVAL: 7 seconds" in result.stderr


def test_cli_broken_show_pack_exits_2_naming_the_mistake(tmp_path: Path) -> None:
    """A community's own show file with a mistake stops start-up with one line naming file and key."""
    pack = tmp_path / "broken.toml"
    pack.write_text('[show]\nid = "x"\n')
    result = run_cli(extra_env={"DISCORD_TOKEN": TOKEN, "SHOW": str(pack)}, cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "broken.toml" in lines[0]


def test_every_limit_has_a_default_and_reads_a_new_value() -> None:
    """Each per-server limit starts at its documented default, and an operator's value replaces it."""
    base = {"DATABASE_PATH": "marquee.db"}
    defaults = Settings.from_env(base, require_token=False)
    for field_name, limit in LIMITS.items():
        assert getattr(defaults.limits, field_name) == limit.default == getattr(Limits(), field_name)
        changed = Settings.from_env({**base, limit.variable: str(limit.low)}, require_token=False)
        assert getattr(changed.limits, field_name) == limit.low


@pytest.mark.parametrize("raw", ["lots", "-1", "999999999"])
def test_a_bad_limit_names_its_variable_and_the_range(raw: str) -> None:
    """A limit that is not a number in range stops start-up with the variable, the problem and the fix."""
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({"DATABASE_PATH": "marquee.db", "FEEDS_PER_SERVER": raw}, require_token=False)
    text = str(caught.value)
    assert "FEEDS_PER_SERVER" in text
    assert "FEEDS_PER_SERVER=50" in text or "between 1 and 1000" in text


def test_every_limit_is_documented() -> None:
    """README's settings table and .env.example name every limit with its default."""
    root = Path(__file__).resolve().parents[2]
    readme = (root / "README.md").read_text(encoding="utf-8")
    example = (root / ".env.example").read_text(encoding="utf-8")
    for limit in LIMITS.values():
        assert f"| `{limit.variable}` | `{limit.default}` |" in readme
        assert f"# {limit.variable}={limit.default}" in example
