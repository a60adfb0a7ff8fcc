"""Discord's rules for what it accepts, answered the way Discord answers them.

A bot that breaks a limit in production gets a 400 with error code 50035 and a tree of ``_errors``
naming the offending field; discord.py flattens that tree into the exception text. Reproducing the
exact shape here means a test sees the same exception, with the same message, as production would.
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)

JSON = dict[str, Any]

CONTENT_LIMIT = 2000
EMBEDS_PER_MESSAGE = 10
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_FIELDS = 25
EMBED_FIELD_NAME = 256
EMBED_FIELD_VALUE = 1024
EMBED_FOOTER = 2048
EMBED_AUTHOR = 256
EMBED_TOTAL = 6000
COMPONENT_ROWS = 5
COMPONENTS_PER_ROW = 5
CUSTOM_ID = 100
BUTTON_LABEL = 80
COMPONENTS_V2_FLAG = 1 << 15
COMMAND_NAME = 32
COMMAND_DESCRIPTION = 100
COMMAND_OPTIONS = 25
OPTION_CHOICES = 25
CHOICE_NAME = 100
CHOICE_STRING_VALUE = 100
GLOBAL_CHAT_COMMANDS = 100

# Discord's locale list (https://discord.com/developers/docs/reference#locales).
LOCALES = frozenset(
    {
        "id", "da", "de", "en-GB", "en-US", "es-ES", "es-419", "fr", "hr", "it", "lt", "hu", "nl", "no",
        "pl", "pt-BR", "ro", "fi", "sv-SE", "vi", "tr", "cs", "el", "bg", "ru", "uk", "hi", "th", "zh-CN",
        "ja", "zh-TW", "ko",
    }
)  # fmt: skip

CHAT_INPUT, USER_COMMAND, MESSAGE_COMMAND = 1, 2, 3
SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER, ATTACHMENT = range(3, 12)


class DiscordError(Exception):
    """An error response exactly as Discord sends it: status, numeric code, message, optional field tree."""

    def __init__(self, status: int, code: int, message: str, errors: JSON | None = None) -> None:
        super().__init__(f"{status} {code} {message}")
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors

    def body(self) -> JSON:
        body: JSON = {"message": self.message, "code": self.code}
        if self.errors:
            body["errors"] = self.errors
        return body


def missing_permissions() -> DiscordError:
    return DiscordError(403, 50013, "Missing Permissions")


def missing_access() -> DiscordError:
    return DiscordError(403, 50001, "Missing Access")


def unknown_channel() -> DiscordError:
    return DiscordError(404, 10003, "Unknown Channel")


def unknown_guild() -> DiscordError:
    return DiscordError(404, 10004, "Unknown Guild")


def unknown_message() -> DiscordError:
    return DiscordError(404, 10008, "Unknown Message")


def unknown_interaction() -> DiscordError:
    return DiscordError(404, 10062, "Unknown interaction")


def unknown_webhook() -> DiscordError:
    return DiscordError(404, 10015, "Unknown Webhook")


def invalid_webhook_token() -> DiscordError:
    return DiscordError(401, 50027, "Invalid Webhook Token")


def already_acknowledged() -> DiscordError:
    return DiscordError(400, 40060, "Interaction has already been acknowledged.")


def unauthorized() -> DiscordError:
    return DiscordError(401, 0, "401: Unauthorized")


def not_found() -> DiscordError:
    return DiscordError(404, 0, "404: Not Found")


def empty_message() -> DiscordError:
    return DiscordError(400, 50006, "Cannot send an empty message")


def max_pins(limit: int) -> DiscordError:
    return DiscordError(400, 30003, f"Maximum number of pins reached ({limit})")


def cannot_edit_others() -> DiscordError:
    return DiscordError(403, 50005, "Cannot edit a message authored by another user")


def wrong_channel_type() -> DiscordError:
    return DiscordError(400, 50024, "Cannot execute action on this channel type")


def thread_archived() -> DiscordError:
    return DiscordError(400, 50083, "Thread is archived")


def thread_locked() -> DiscordError:
    return DiscordError(400, 160005, "Thread is locked")


def thread_exists() -> DiscordError:
    return DiscordError(400, 160004, "A thread has already been created for this message")


def forum_message() -> DiscordError:
    return DiscordError(400, 40058, "Cannot send messages in a forum channel")


def tag_required() -> DiscordError:
    return DiscordError(400, 40067, "A tag is required to create a forum post in this channel")


@dataclass
class FormErrors:
    """Collects field errors into Discord's nested ``{"field": {"_errors": [...]}}`` tree."""

    tree: JSON = field(default_factory=dict)

    def add(self, path: tuple[str | int, ...], code: str, message: str) -> None:
        node = self.tree
        for part in path:
            node = node.setdefault(str(part), {})
        node.setdefault("_errors", []).append({"code": code, "message": message})

    def raise_if_any(self) -> None:
        if self.tree:
            raise DiscordError(400, 50035, "Invalid Form Body", self.tree)


def _max_length(errors: FormErrors, path: tuple[str | int, ...], value: Any, limit: int) -> None:
    if isinstance(value, str | list) and len(value) > limit:
        errors.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")


def _embed_size(embed: JSON) -> int:
    size = len(str(embed.get("title") or "")) + len(str(embed.get("description") or ""))
    size += len(str((embed.get("footer") or {}).get("text") or ""))
    size += len(str((embed.get("author") or {}).get("name") or ""))
    for f in embed.get("fields") or []:
        size += len(str(f.get("name") or "")) + len(str(f.get("value") or ""))
    return size


def check_message(body: JSON, *, creating: bool) -> None:
    """Raise Discord's 400 for a message body over any limit (content, embeds, components)."""
    errors = FormErrors()
    content = body.get("content")
    if content is not None and not isinstance(content, str):
        errors.add(("content",), "BASE_TYPE_STRING", "Must be a string.")
    _max_length(errors, ("content",), content, CONTENT_LIMIT)
    embeds = body.get("embeds") or []
    _max_length(errors, ("embeds",), embeds, EMBEDS_PER_MESSAGE)
    total = 0
    for i, embed in enumerate(embeds):
        at = ("embeds", i)
        _max_length(errors, (*at, "title"), embed.get("title"), EMBED_TITLE)
        _max_length(errors, (*at, "description"), embed.get("description"), EMBED_DESCRIPTION)
        _max_length(errors, (*at, "footer", "text"), (embed.get("footer") or {}).get("text"), EMBED_FOOTER)
        _max_length(errors, (*at, "author", "name"), (embed.get("author") or {}).get("name"), EMBED_AUTHOR)
        fields = embed.get("fields") or []
        _max_length(errors, (*at, "fields"), fields, EMBED_FIELDS)
        for j, f in enumerate(fields):
            for key, limit in (("name", EMBED_FIELD_NAME), ("value", EMBED_FIELD_VALUE)):
                value = f.get(key)
                if not value:
                    errors.add((*at, "fields", j, key), "BASE_TYPE_REQUIRED", "This field is required")
                _max_length(errors, (*at, "fields", j, key), value, limit)
        total += _embed_size(embed)
    if total > EMBED_TOTAL:
        errors.add(("embeds",), "MAX_EMBED_SIZE_EXCEEDED", f"Embed size exceeds maximum size of {EMBED_TOTAL}")
    components = body.get("components") or []
    if not int(body.get("flags") or 0) & COMPONENTS_V2_FLAG:
        _max_length(errors, ("components",), components, COMPONENT_ROWS)
        for i, row in enumerate(components):
            children = row.get("components") or []
            _max_length(errors, ("components", i, "components"), children, COMPONENTS_PER_ROW)
            for j, child in enumerate(children):
                where: tuple[str | int, ...] = ("components", i, "components", j)
                _max_length(errors, (*where, "custom_id"), child.get("custom_id"), CUSTOM_ID)
                _max_length(errors, (*where, "label"), child.get("label"), BUTTON_LABEL)
    errors.raise_if_any()
    has_something = content or embeds or body.get("components") or body.get("attachments")
    if creating and not has_something and not body.get("poll") and not body.get("sticker_ids"):
        raise empty_message()


def _valid_name_char(ch: str) -> bool:
    if ch in "-_":
        return True
    if unicodedata.category(ch)[0] in "LN":
        return True
    cp = ord(ch)
    return 0x0900 <= cp <= 0x097F or 0x0E00 <= cp <= 0x0E7F  # Devanagari, Thai


def valid_chat_name(name: Any) -> bool:
    """Discord's ``^[-_\\p{L}\\p{N}\\p{sc=Deva}\\p{sc=Thai}]{1,32}$``, lowercase where a letter has a case."""
    return (
        isinstance(name, str)
        and 1 <= len(name) <= COMMAND_NAME
        and all(_valid_name_char(c) for c in name)
        and name == name.lower()
    )


def _check_localizations(errors: FormErrors, path: tuple[str | int, ...], value: Any, limit: int) -> None:
    if value is None:
        return
    if not isinstance(value, dict):
        errors.add(path, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
        return
    for locale, text in value.items():
        if locale not in LOCALES:
            errors.add((*path, locale), "ENUM_TYPE_COERCE", f'Value "{locale}" is not a valid enum value.')
        elif not isinstance(text, str) or not 1 <= len(text) <= limit:
            errors.add((*path, locale), "BASE_TYPE_BAD_LENGTH", f"Must be between 1 and {limit} in length.")


def _check_description(errors: FormErrors, path: tuple[str | int, ...], value: Any) -> None:
    if not isinstance(value, str) or not 1 <= len(value) <= COMMAND_DESCRIPTION:
        errors.add(path, "BASE_TYPE_BAD_LENGTH", f"Must be between 1 and {COMMAND_DESCRIPTION} in length.")


def _check_options(errors: FormErrors, path: tuple[str | int, ...], options: Any, depth: int) -> None:
    if not isinstance(options, list):
        errors.add(path, "LIST_TYPE_CONVERT", "Only iterables may be used in a ListType")
        return
    _max_length(errors, path, options, COMMAND_OPTIONS)
    seen: set[str] = set()
    optional_seen = False
    for i, opt in enumerate(options):
        at = (*path, i)
        name = opt.get("name")
        if not valid_chat_name(name):
            errors.add((*at, "name"), "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
        if name in seen:
            errors.add((*at, "name"), "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS", "Option name already exists")
        seen.add(str(name))
        _check_description(errors, (*at, "description"), opt.get("description"))
        _check_localizations(errors, (*at, "name_localizations"), opt.get("name_localizations"), COMMAND_NAME)
        _check_localizations(
            errors, (*at, "description_localizations"), opt.get("description_localizations"), COMMAND_DESCRIPTION
        )
        kind = opt.get("type")
        if kind in (SUB_COMMAND, SUB_COMMAND_GROUP):
            if depth >= (1 if kind == SUB_COMMAND_GROUP else 2):
                errors.add((*at, "type"), "APPLICATION_COMMAND_OPTION_TYPE_INVALID", "Subcommands nest too deep")
            _check_options(errors, (*at, "options"), opt.get("options") or [], depth + 1)
            continue
        if kind not in range(STRING, ATTACHMENT + 1):
            errors.add((*at, "type"), "ENUM_TYPE_COERCE", f'Value "{kind}" is not a valid enum value.')
        if opt.get("required"):
            if optional_seen:
                errors.add(
                    (*at, "required"),
                    "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                    "Required options must be placed before non-required options",
                )
        else:
            optional_seen = True
        choices = opt.get("choices") or []
        _max_length(errors, (*at, "choices"), choices, OPTION_CHOICES)
        if choices and opt.get("autocomplete"):
            errors.add(
                (*at, "autocomplete"),
                "APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_AND_CHOICES",
                "Autocomplete cannot be enabled on options that have choices",
            )
        for j, choice in enumerate(choices):
            cname = choice.get("name")
            if not isinstance(cname, str) or not 1 <= len(cname) <= CHOICE_NAME:
                errors.add((*at, "choices", j, "name"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
            value = choice.get("value")
            if isinstance(value, str) and not 1 <= len(value) <= CHOICE_STRING_VALUE:
                errors.add((*at, "choices", j, "value"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")


def check_commands(commands: Any) -> None:
    """Raise Discord's 400 for a bulk command payload that breaks any registration rule."""
    errors = FormErrors()
    if not isinstance(commands, list):
        raise DiscordError(
            400, 50035, "Invalid Form Body", {"_errors": [{"code": "LIST_TYPE_CONVERT", "message": "Must be a list."}]}
        )
    seen: set[tuple[int, str]] = set()
    chat = 0
    for i, cmd in enumerate(commands):
        check_command(cmd, errors=errors, path=(i,))
        key = (int(cmd.get("type", CHAT_INPUT)), str(cmd.get("name")))
        if key in seen:
            errors.add(
                (i, "name"),
                "APPLICATION_COMMANDS_DUPLICATE_NAME",
                f"Application command names must be unique: {key[1]}",
            )
        seen.add(key)
        chat += key[0] == CHAT_INPUT
    if chat > GLOBAL_CHAT_COMMANDS:
        errors.add((), "BASE_TYPE_MAX_LENGTH", f"Must be {GLOBAL_CHAT_COMMANDS} or fewer in length.")
    errors.raise_if_any()


INTEGRATION_TYPES = frozenset({0, 1})  # a server's installation, a user's
INTERACTION_CONTEXTS = frozenset({0, 1, 2})  # a server, the app's DM, another DM or a group DM


def _check_enum_list(errors: FormErrors, path: tuple[str | int, ...], value: Any, allowed: frozenset[int]) -> None:
    """``integration_types`` and ``contexts``: null, or a list of values of their enum."""
    if value is None:
        return
    if not isinstance(value, list):
        errors.add(path, "LIST_TYPE_CONVERT", "Must be a list.")
        return
    for i, item in enumerate(value):
        if isinstance(item, bool) or item not in allowed:
            errors.add((*path, i), "ENUM_TYPE_COERCE", f'Value "{item}" is not a valid enum value.')


def check_command(cmd: Any, *, errors: FormErrors | None = None, path: tuple[str | int, ...] = ()) -> None:
    """Check one command; with ``errors`` given, collect into it instead of raising."""
    own = errors is None
    errors = errors or FormErrors()
    if not isinstance(cmd, dict):
        errors.add(path, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
    else:
        kind = cmd.get("type", CHAT_INPUT)
        name = cmd.get("name")
        if kind == CHAT_INPUT:
            if not valid_chat_name(name):
                errors.add((*path, "name"), "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
            _check_description(errors, (*path, "description"), cmd.get("description"))
            _check_options(errors, (*path, "options"), cmd.get("options") or [], depth=0)
        elif not isinstance(name, str) or not 1 <= len(name) <= COMMAND_NAME:
            errors.add((*path, "name"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 32 in length.")
        _check_localizations(errors, (*path, "name_localizations"), cmd.get("name_localizations"), COMMAND_NAME)
        _check_localizations(
            errors, (*path, "description_localizations"), cmd.get("description_localizations"), COMMAND_DESCRIPTION
        )
        _check_enum_list(errors, (*path, "integration_types"), cmd.get("integration_types"), INTEGRATION_TYPES)
        _check_enum_list(errors, (*path, "contexts"), cmd.get("contexts"), INTERACTION_CONTEXTS)
    if own:
        errors.raise_if_any()
