"""``python -m bot.release``: read release claims from text, for moderators and for checking the reader.

Argument mode prints one JSON array for the text given; with no text, each stdin line is a JSON object
``{"text", "published", "show"}`` and each output line the array for it. Bad input stops with exit code 2
and one line on stderr naming the problem, so a script feeding it notices.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from datetime import date
from typing import Any, TextIO

from bot.release.claims import ReleaseClaim
from bot.release.reader import read_claims

log = logging.getLogger(__name__)

DEFAULT_SHOW_NAMES: tuple[str, ...] = (
    "All of Us Are Dead",
    "지금 우리 학교는",
    "AOUAD",
    "All of Us Are Dead season 2",
)
EXIT_BAD_INPUT = 2


class BadInput(Exception):
    """Input the reader cannot take; the message is the one line printed on stderr."""


def _publish_date(text: object, where: str) -> date:
    if not isinstance(text, str):
        raise BadInput(f"{where}: published must be a YYYY-MM-DD string, got {text!r}")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BadInput(f"{where}: bad date {text!r}, expected YYYY-MM-DD") from None


def _show_names(extra: Sequence[str]) -> list[str]:
    """``--show`` names come first (the claim carries the first one); the defaults stay as aliases."""
    return [*extra, *(n for n in DEFAULT_SHOW_NAMES if n not in extra)]


def _as_json(claims: Sequence[ReleaseClaim]) -> str:
    rows = [
        {"start": c.start.isoformat(), "end": c.end.isoformat(), "precision": c.precision.value,
         "status": c.status.value}
        for c in claims
    ]
    return json.dumps(rows, ensure_ascii=False)


def _read_lines(stdin: TextIO, stdout: TextIO, extra_names: Sequence[str]) -> None:
    for number, line in enumerate(stdin, start=1):
        if not line.strip():
            stdout.write("[]\n")  # keep output lines aligned with input lines
            continue
        try:
            item: Any = json.loads(line)
        except json.JSONDecodeError as error:
            raise BadInput(f"bad JSON on line {number}: {error.msg}") from None
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise BadInput(f"line {number}: expected an object with a \"text\" string")
        published = _publish_date(item.get("published"), f"line {number}")
        show = item.get("show")
        if show is not None and not isinstance(show, str):
            raise BadInput(f"line {number}: \"show\" must be a string")
        names = _show_names([show, *extra_names] if show else list(extra_names))
        stdout.write(_as_json(read_claims(item["text"], published, names)) + "\n")
        stdout.flush()


def main(argv: Sequence[str] | None = None, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot.release",
        description="Print the release claims the news reader finds in an article's headline and summary.",
    )
    parser.add_argument("--published", help="the article's publish date, YYYY-MM-DD (argument mode)")
    parser.add_argument("--show", action="append", default=[], help="a name of the show (repeatable)")
    parser.add_argument("text", nargs="?", help="headline and summary; omit to read JSON lines from stdin")
    args = parser.parse_args(argv)
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    try:
        if args.text is None:
            _read_lines(stdin, stdout, args.show)
        else:
            if args.published is None:
                raise BadInput("--published YYYY-MM-DD is required with a text")
            published = _publish_date(args.published, "--published")
            stdout.write(_as_json(read_claims(args.text, published, _show_names(args.show))) + "\n")
    except BadInput as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return 0


if __name__ == "__main__":
    sys.exit(main())
