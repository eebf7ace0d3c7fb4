"""Validation of our responses against the HSDS 3.0 schemas kept in `schemas/`.

Every schema is registered under its canonical URL in the openreferral
repository, so the `$ref`s of openapi.json (absolute) and of taxonomy.json or
tabular.json (relative, e.g. "metadata.json") resolve offline. The object
files those relative references name, and that we do not keep, are the
`definitions` of compiled/service_with_definitions.json.

Formats are checked too: jsonschema knows `uuid` and `email` by itself; `uri`
and `date-time` are added here rather than through extra packages.
"""

import json
from datetime import datetime
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SCHEMAS = Path(__file__).parent / "schemas"
BASE = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"
DEFINITIONS = "compiled/service_with_definitions.json"

formats = FormatChecker()


@formats.checks("date-time", raises=ValueError)
def _is_datetime(value) -> bool:
    if not isinstance(value, str):
        return True
    return "T" in value and datetime.fromisoformat(value).tzinfo is not None


@formats.checks("uri")
def _is_uri(value) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return bool(parts.scheme and parts.netloc)


def _load(relative: str):
    return json.loads((SCHEMAS / relative).read_text(encoding="utf-8"))


@cache
def registry() -> Registry:
    resources = {
        BASE + path.relative_to(SCHEMAS).as_posix(): _load(path.relative_to(SCHEMAS).as_posix())
        for path in SCHEMAS.rglob("*.json")
    }
    for name in _load(DEFINITIONS)["definitions"]:
        resources.setdefault(
            f"{BASE}{name}.json", {"$ref": f"{BASE}{DEFINITIONS}#/definitions/{name}"}
        )
    return Registry().with_resources(
        (uri, Resource.from_contents(contents, default_specification=DRAFT202012))
        for uri, contents in resources.items()
    )


@cache
def _validator(reference: str) -> Draft202012Validator:
    return Draft202012Validator(
        {"$ref": BASE + reference}, registry=registry(), format_checker=formats
    )


def _pointer(*parts: str) -> str:
    return "/".join(part.replace("~", "~0").replace("/", "~1") for part in parts)


def errors(document, reference: str) -> list[str]:
    """Every violation of the schema at `reference` (a file, or file#pointer)."""
    return [
        f"{'/'.join(map(str, error.absolute_path)) or '(racine)'}: {error.message}"
        for error in _validator(reference).iter_errors(document)
    ]


def assert_valid(document, reference: str) -> None:
    found = errors(document, reference)
    assert not found, "\n".join(found[:20])


def assert_valid_response(document, path: str) -> None:
    """Validate against the 200 response of GET `path` in the standard's openapi.json."""
    pointer = _pointer("paths", path, "get", "responses", "200", "content", "application/json")
    assert_valid(document, f"openapi.json#/{pointer}/schema")


PAGE_FIELDS = (
    "total_items",
    "total_pages",
    "page_number",
    "size",
    "first_page",
    "last_page",
    "empty",
    "contents",
)


def assert_page(document, path: str) -> None:
    """A list response: the `Page` schema does not require its fields, we do send them all."""
    assert list(document) == list(PAGE_FIELDS)
    assert_valid_response(document, path)
