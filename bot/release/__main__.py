"""``python -m bot.release``: read release claims from text, for moderators, scripts and checking the reader.

Argument mode prints one JSON array for the text given. With no text, each stdin line is a JSON object
``{"text", "published": "YYYY-MM-DD" or null, "show"}`` and each output line the array for it. A line that
cannot be read prints ``[]`` (so output lines stay aligned with input lines) and one line on stderr naming
it, and the batch goes on; the exit code is 1 when any line failed, 2 for bad arguments.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from datetime import date
from typing import Any, TextIO

from bot.release.reader import Reading, read

log = logging.getLogger(__name__)

DEFAULT_SHOW = "All of Us Are Dead"
EXIT_LINE_FAILED = 1
EXIT_BAD_INPUT = 2


class BadInput(Exception):
    """Input the reader cannot take; the message is the one line printed on stderr."""


def _publish_date(text: object, where: str) -> date | None:
    if text is None:
        return None
    if not isinstance(text, str):
        raise BadInput(f"{where}: published must be a YYYY-MM-DD string or null, got {text!r}")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BadInput(f"{where}: bad date {text!r}, expected YYYY-MM-DD") from None


def _as_json(readings: Sequence[Reading]) -> str:
    rows = [
        {"start": r.start.isoformat(), "end": r.end.isoformat() if r.end else None,
         "precision": r.precision.value, "status": r.status.value}
        for r in readings
    ]
    return json.dumps(rows, ensure_ascii=False)


def _read_line(line: str, number: int, shows: Sequence[str]) -> list[Reading]:
    try:
        item: Any = json.loads(line)
    except json.JSONDecodeError as error:
        raise BadInput(f"line {number}: bad JSON: {error.msg}") from None
    if not isinstance(item, dict) or not isinstance(item.get("text"), str):
        raise BadInput(f"line {number}: expected an object with a \"text\" string")
    published = _publish_date(item.get("published"), f"line {number}")
    show = item.get("show")
    if show is not None and (not isinstance(show, str) or not show.strip()):
        raise BadInput(f"line {number}: \"show\" must be a non-empty string")
    names = [show, *shows] if show else [*shows, DEFAULT_SHOW] if shows else [DEFAULT_SHOW]
    return read(item["text"], published, names)


def _read_lines(stdin: TextIO, stdout: TextIO, stderr: TextIO, shows: Sequence[str]) -> bool:
    """Every line answered; True when all could be read."""
    all_read = True
    for number, line in enumerate(stdin, start=1):
        readings: list[Reading] = []
        if line.strip():
            try:
                readings = _read_line(line, number, shows)
            except BadInput as error:
                print(f"error: {error}", file=stderr)
                all_read = False
        stdout.write(_as_json(readings) + "\n")
        stdout.flush()
    return all_read


def main(argv: Sequence[str] | None = None, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot.release",
        description="Print the release claims the news reader finds in an article's headline and summary.",
    )
    parser.add_argument("--published", help="the article's publish date, YYYY-MM-DD (argument mode; optional)")
    parser.add_argument("--show", action="append", default=[], help="a name of the show (repeatable)")
    parser.add_argument("text", nargs="?", help="headline and summary; omit to read JSON lines from stdin")
    args = parser.parse_args(argv)
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    if args.text is None:
        return 0 if _read_lines(stdin, stdout, sys.stderr, args.show) else EXIT_LINE_FAILED
    try:
        published = _publish_date(args.published, "--published")
    except BadInput as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    stdout.write(_as_json(read(args.text, published, args.show or [DEFAULT_SHOW])) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
