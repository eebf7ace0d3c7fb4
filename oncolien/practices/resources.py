"""Regional platforms, tools and trainings that CPTS may lean on, with their
conditions of use: shipped as data (data/resources.json), validated when read."""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

RESOURCES_FILE = Path(__file__).resolve().parent / "data" / "resources.json"
FIELDS = ("code", "name", "kind", "summary", "conditions", "contact")


class ResourcesError(ValueError):
    pass


@dataclass(frozen=True)
class Resource:
    code: str
    name: str
    kind: str
    summary: str
    offers: tuple[str, ...]
    conditions: str
    contact: str


def parse_resources(document: Any) -> list[Resource]:
    errors = []
    items = document.get("resources") if isinstance(document, dict) else None
    if not isinstance(items, list) or not items:
        raise ResourcesError("Ressources régionales : la liste « resources » manque ou est vide.")
    result = []
    for number, item in enumerate(items, start=1):
        missing = [f for f in FIELDS if not isinstance(item.get(f), str) or not item[f].strip()]
        if missing:
            errors.append(f"ressource {number} : {', '.join(missing)} manque(nt)")
            continue
        offers = item.get("offers", [])
        if not isinstance(offers, list) or not all(isinstance(o, str) for o in offers):
            errors.append(f"ressource {number} : « offers » doit être une liste de textes")
            continue
        result.append(Resource(**{f: item[f] for f in FIELDS}, offers=tuple(offers)))
    if errors:
        raise ResourcesError("Ressources régionales invalides : " + " ; ".join(errors))
    return result


@cache
def regional_resources() -> list[Resource]:
    return parse_resources(json.loads(RESOURCES_FILE.read_text(encoding="utf-8")))
