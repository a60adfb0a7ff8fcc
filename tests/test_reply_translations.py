"""Every reply a user can get has a Korean translation with the same placeholders.

The templates are found in the source, not listed by hand: every string literal handed to ``Text``,
``translate``, ``reply_text`` or a ``TranslatableError`` (``UserFacingError``, ``FilterError`` and their
subclasses, their ``super().__init__`` included). A new reply without a translation fails here, by name.
"""

from __future__ import annotations

import ast
import string
import tomllib
from collections.abc import Iterator
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("bot", "cogs")
KOREAN = ROOT / "bot" / "locales" / "ko.toml"
# Which positional argument is the template.
TEMPLATE_CALLS = {"Text": 0, "translate": 0, "reply_text": 1}
ERROR_ROOT = "TranslatableError"

Placeholders = frozenset[tuple[str, str | None, str | None]]


def parsed_modules() -> Iterator[tuple[str, ast.Module]]:
    for package in SOURCES:
        for path in sorted((ROOT / package).rglob("*.py")):
            yield str(path.relative_to(ROOT)), ast.parse(path.read_text(encoding="utf-8"), str(path))


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


class ErrorClasses:
    """``TranslatableError`` and every class deriving from it (by name) anywhere in the sources.

    ``called_with_template`` are those whose first argument is the template: a subclass with its own
    ``__init__`` (``SeasonNotFound(season, known)``) takes other values, and its ``super().__init__`` holds
    the template instead.
    """

    def __init__(self, modules: list[tuple[str, ast.Module]]) -> None:
        classes = [node for _, tree in modules for node in ast.walk(tree) if isinstance(node, ast.ClassDef)]
        bases = {node.name: {b for b in map(_name, node.bases) if b} for node in classes}
        own_init = {
            node.name
            for node in classes
            if any(isinstance(item, ast.FunctionDef) and item.name == "__init__" for item in node.body)
        }
        self.all = {ERROR_ROOT}
        while grown := {cls for cls, parents in bases.items() if parents & self.all} - self.all:
            self.all |= grown
        self.called_with_template = {ERROR_ROOT}
        while (
            grown := {cls for cls in self.all - own_init if bases.get(cls, set()) & self.called_with_template}
            - self.called_with_template
        ):
            self.called_with_template |= grown


def literals(node: ast.expr) -> list[str]:
    """The template strings an argument can be: a literal, or either side of ``a if cond else b``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return literals(node.body) + literals(node.orelse)
    return []


def _is_super_init(call: ast.Call) -> bool:
    func = call.func
    return (
        isinstance(func, ast.Attribute)
        and func.attr == "__init__"
        and isinstance(func.value, ast.Call)
        and _name(func.value.func) == "super"
    )


@cache
def templates() -> dict[str, list[str]]:
    """Every reply template in the sources → where it is written (``path:line``)."""
    modules = list(parsed_modules())
    errors = ErrorClasses(modules)
    found: dict[str, list[str]] = {}

    def record(path: str, call: ast.Call, index: int) -> None:
        if len(call.args) > index:
            for text in literals(call.args[index]):
                found.setdefault(text, []).append(f"{path}:{call.lineno}")

    for path, tree in modules:
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = _name(node.func)
                if name in TEMPLATE_CALLS:
                    record(path, node, TEMPLATE_CALLS[name])
                elif name in errors.called_with_template:
                    record(path, node, 0)
            elif isinstance(node, ast.ClassDef) and node.name in errors.all:
                for inner in ast.walk(node):
                    if isinstance(inner, ast.Call) and _is_super_init(inner):
                        record(path, inner, 0)
    return found


def placeholders(template: str) -> Placeholders:
    """The fields a template fills in, with their conversion and format (``{seconds:.0f}``)."""
    return frozenset(
        (name, conversion, spec) for _, name, spec, conversion in string.Formatter().parse(template) if name is not None
    )


def korean_tables() -> dict[str, dict[str, str]]:
    return tomllib.loads(KOREAN.read_text(encoding="utf-8"))


def test_the_scan_finds_the_replies() -> None:
    """The scan itself works: it sees errors, subclasses' own messages, cog replies and the tree's sentences."""
    found = templates()
    assert len(found) > 100
    for known in (
        "This server follows no feeds yet: try `/feeds add`.",  # a Text constant in a service
        "There is no season {season} here. Seasons I know: {listed}.",  # a subclass's super().__init__
        "Keywords are limited to {limit} characters.",  # a FilterError
        "Feed status",  # an embed title in a cog
        "The countdown was not locked.",  # one side of a conditional
        "You cannot use this command here.",  # a check failure in the tree
    ):
        assert known in found, known


def test_every_reply_has_a_korean_translation_with_the_same_placeholders() -> None:
    """Every reply template in bot/ and cogs/ has a Korean translation with the same placeholders."""
    tables = korean_tables()
    korean = {**tables.get("strings", {}), **tables.get("replies", {})}
    problems = []
    for template, places in sorted(templates().items()):
        translation = korean.get(template)
        if not translation:
            problems.append(f"missing: {template!r} ({places[0]})")
        elif placeholders(translation) != placeholders(template):
            problems.append(f"placeholders differ: {template!r} → {translation!r} ({places[0]})")
    assert not problems, "ko.toml:\n" + "\n".join(problems)


def test_every_korean_reply_is_still_used() -> None:
    """A reply reworded in the code leaves its old translation behind; this names it so it is updated."""
    stale = sorted(set(korean_tables().get("replies", {})) - set(templates()))
    assert not stale, "translations of replies no longer in the code: " + ", ".join(map(repr, stale))


def test_a_text_is_translated_in_only_one_table() -> None:
    """Command names and replies share one lookup, so an English text must not be in both tables."""
    tables = korean_tables()
    assert not set(tables.get("strings", {})) & set(tables.get("replies", {}))
