"""Check a JSON body against one component schema of Discord's OpenAPI description."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from openapi_schema_validator import OAS31Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

ROOT = Path(__file__).resolve().parents[2]
CANDIDATES = (
    ROOT / "fakediscord" / "spec" / "discord-openapi.json",
    ROOT.parent / "shared" / "reference" / "discord-openapi.json",
)


@cache
def _registry() -> Registry[Any]:
    path = next(p for p in CANDIDATES if p.exists())
    spec = json.loads(path.read_text(encoding="utf-8"))
    return Registry().with_resource("urn:discord-spec", Resource.from_contents(spec, DRAFT202012))


def schema_errors(instance: Any, name: str) -> list[str]:
    """Every way ``instance`` breaks ``#/components/schemas/<name>``, as "path: message" lines."""
    validator = OAS31Validator({"$ref": f"urn:discord-spec#/components/schemas/{name}"}, registry=_registry())
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(instance)]
