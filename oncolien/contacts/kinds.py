"""The vocabulary of announcement contacts (« hôpital de jour », « 3C »…) as versioned data.

The file `data/contact-kinds.json` is validated as a whole (a version, unique codes,
French labels); a contact's kind is one of its codes, checked by the services.
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

KINDS_FILE = Path(__file__).parent / "data" / "contact-kinds.json"
CODE_MAX = 40
LABEL_MAX = 120


class KindsError(ValueError):
    """Every problem of a kinds file, in French."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class Kinds:
    version: str
    labels: dict[str, str]  # code -> label, in the file's order

    def label(self, code: str) -> str:
        return self.labels.get(code, code)

    @property
    def choices(self) -> list[tuple[str, str]]:
        return list(self.labels.items())


def validate_kinds(data: object) -> Kinds:
    """The kinds of a whole file, or KindsError listing every problem."""
    if not isinstance(data, dict):
        raise KindsError(["Le fichier doit contenir un objet JSON."])
    errors: list[str] = []
    version = data.get("version")
    if not isinstance(version, str) or not version.strip():
        errors.append("« version » manquante.")
    entries = data.get("kinds")
    if not isinstance(entries, list) or not entries:
        raise KindsError([*errors, "« kinds » doit être une liste non vide."])
    labels: dict[str, str] = {}
    for position, entry in enumerate(entries, start=1):
        where = f"Sorte n° {position}"
        if not isinstance(entry, dict):
            errors.append(f"{where} : doit être un objet {{code, label}}.")
            continue
        code, label = entry.get("code"), entry.get("label")
        if not isinstance(code, str) or not code or len(code) > CODE_MAX:
            errors.append(f"{where} : code manquant ou trop long (au plus {CODE_MAX}).")
            continue
        if code in labels:
            errors.append(f"{where} : le code « {code} » est en double.")
        if not isinstance(label, str) or not label.strip() or len(label) > LABEL_MAX:
            errors.append(f"{where} : libellé manquant ou trop long (au plus {LABEL_MAX}).")
            continue
        labels[code] = label.strip()
    if errors:
        raise KindsError(errors)
    assert isinstance(version, str)
    return Kinds(version.strip(), labels)


@cache
def contact_kinds() -> Kinds:
    with KINDS_FILE.open(encoding="utf-8") as handle:
        return validate_kinds(json.load(handle))
