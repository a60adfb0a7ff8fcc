"""``python -m bot`` (or ``marquee``): run the bot, print its invite link, run the offline demo, or show the health of
the processes sharing its database (``status``).

Start-up owns the resources: settings are read here, the HTTP session and the database are opened here with
``async with`` and handed to the bot, and every one of them is closed on the way out, whatever the reason.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Sequence
from datetime import timedelta

import discord
from dotenv import find_dotenv, load_dotenv

from bot import migrate_db, status
from bot.bot import Marquee
from bot.errors import ConfigError
from bot.invite import REQUIRED_PERMISSIONS, client_id_from_token, invite_url, user_install_url
from bot.logs import setup_logging
from bot.runner import built_bot
from bot.settings import SETUP_HELP, Settings
from bot.shards import refusal
from bot.show import ShowPackError
from db import DatabaseError
from db.database import DatabaseFileError

log = logging.getLogger("bot")

EXIT_CONFIG = 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Marquee, a Discord bot for TV-show fans.")
    sub = parser.add_subparsers(dest="command", metavar="{run,demo,invite,migrate-db,status}")
    sub.add_parser("run", help="connect to Discord and serve (the default)")
    demo = sub.add_parser("demo", help="run the bot offline against a local Discord and play a tour")
    demo.add_argument("--interactive", action="store_true", help="type slash commands yourself")
    invite = sub.add_parser("invite", help="print the link that adds Marquee to a server")
    invite.add_argument("--client-id", type=int, help="the application id (default: read from DISCORD_TOKEN)")
    migrate = sub.add_parser("migrate-db", help=migrate_db.HELP, description=migrate_db.DESCRIPTION)
    migrate.add_argument("--to", required=True, metavar=migrate_db.URL_FORM, help="an empty PostgreSQL database")
    health = sub.add_parser("status", help="show each Marquee process sharing the database, its leases, and the outbox")
    health.add_argument(
        "--max-backlog",
        type=int,
        default=int(status.MAX_BACKLOG.total_seconds()),
        metavar="SECONDS",
        help="unhealthy (exit 1) when the oldest waiting post is older than this (default: %(default)s)",
    )
    args = parser.parse_args(argv)

    if args.command == "demo":
        from bot import demo as demo_module  # the demo pulls in fakediscord; only load it when asked

        return demo_module.main(interactive_mode=args.interactive, out=sys.stdout)

    load_dotenv(find_dotenv(usecwd=True))  # the .env of the working directory; the real environment wins
    if args.command == "migrate-db":
        return migrate_db.main(args.to)
    if args.command == "status":
        return status.main(max_backlog=timedelta(seconds=args.max_backlog))
    try:
        if args.command == "invite":
            return print_invite(args.client_id)
        settings = Settings.from_env()
    except ConfigError as exc:
        print(f"marquee: error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    setup_logging(settings.log_level, secrets=[settings.token or ""])
    try:
        asyncio.run(run(settings))
    except DatabaseFileError as exc:
        print(f"marquee: error: {ConfigError(exc.setting, exc.problem, exc.fix)}", file=sys.stderr)
        return EXIT_CONFIG
    except (ConfigError, DatabaseError, ShowPackError) as exc:
        print(f"marquee: error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except discord.LoginFailure:
        print(
            "marquee: error: DISCORD_TOKEN: Discord rejected the token. Reset it in the Developer Portal "
            "(your application > Bot > Reset Token) and put the new one in .env",
            file=sys.stderr,
        )
        return EXIT_CONFIG
    except discord.ConnectionClosed as exc:
        if (refused := refusal(exc.code)) is None:
            raise
        print(f"marquee: error: {refused}", file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        pass
    return 0


def print_invite(client_id: int | None) -> int:
    if client_id is None:
        settings = Settings.from_env()
        assert settings.token is not None  # from_env requires it
        client_id = client_id_from_token(settings.token)
        if client_id is None:
            raise ConfigError("DISCORD_TOKEN", "does not contain an application id", "Pass --client-id instead")
    print(invite_url(client_id))
    print("\nMarquee asks for these permissions, and nothing else:")
    for name, why in REQUIRED_PERMISSIONS.items():
        print(f"  - {name.replace('_', ' ').title()}: to {why}")
    print("and the applications.commands scope, for its slash commands.")
    print("A feature whose permission is taken away keeps the rest working and says what to grant.")
    print("\nFor fans to use /cast, /recap and /countdown show in their own DMs (User Install enabled under")
    print("Installation in the Developer Portal), this link installs Marquee to their account:")
    print(user_install_url(client_id))
    return 0


async def run(settings: Settings) -> None:
    """Run until Discord closes the connection or SIGINT/SIGTERM asks us to stop."""
    if settings.token is None:
        raise ConfigError("DISCORD_TOKEN", "is not set", SETUP_HELP)
    async with built_bot(settings) as bot:
        stop_on_signals(bot)
        await bot.start(settings.token)
    log.info("Marquee stopped cleanly")


def stop_on_signals(bot: Marquee) -> None:
    """Turn SIGINT/SIGTERM into ``bot.close()``: cogs unload (loops stop), pending work stays in the database."""
    loop = asyncio.get_running_loop()
    closing: set[asyncio.Task[None]] = set()

    def request_stop(sig: signal.Signals) -> None:
        log.info("Received %s; shutting down", sig.name)
        task = loop.create_task(bot.close())
        closing.add(task)
        task.add_done_callback(closing.discard)

    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):  # not on Windows' default loop
            loop.add_signal_handler(sig, request_stop, sig)


if __name__ == "__main__":
    sys.exit(main())
