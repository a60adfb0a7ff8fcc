"""Logging set-up, with the token scrubbed from anything that might be logged."""

from __future__ import annotations

import logging

REDACTED = "[token redacted]"


class RedactSecrets(logging.Filter):
    """Replace each secret in a record's rendered message, so a token echoed by a library never reaches a log."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self._secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        if not self._secrets:
            return True
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        changed = False
        for secret in self._secrets:
            if secret in message:
                message = message.replace(secret, REDACTED)
                changed = True
            if record.exc_text and secret in record.exc_text:
                record.exc_text = record.exc_text.replace(secret, REDACTED)
        if changed:
            record.msg, record.args = message, None
        return True


def setup_logging(level: str, *, secrets: list[str]) -> None:
    """Log to stderr at ``level``; discord.py's chatty gateway logs stay at INFO or above."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)-8s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("discord").setLevel(max(logging.INFO, logging.getLevelName(level)))
    # Alembic notes each plugin and migration context it sets up at INFO: the schema's history is rendered at every
    # start, and Marquee logs the revisions it applies itself.
    logging.getLogger("alembic").setLevel(max(logging.WARNING, logging.getLevelName(level)))
