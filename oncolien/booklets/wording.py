"""The alert signs of the booklet, in the patient's words, as versioned data.

`data/patient-alert-signs.json` says, for each alert rule of the nurse monitoring
sheet (`pathways.alerts.RULES`), the sign as a patient notices it and what to do;
it is validated as a whole: a version, a review note, every sheet rule covered and
no unknown rule, texts of bounded length, at least one source each, and no
placeholder other than `{fever_threshold}` (the CPTS protocol's fever threshold).
"""

import json
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from oncolien.pathways import alerts

SIGNS_FILE = Path(__file__).parent / "data" / "patient-alert-signs.json"
TEXT_MAX = 400
PLACEHOLDERS = {"fever_threshold"}


class WordingError(ValueError):
    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class Sign:
    code: str
    sign: str
    what_to_do: str


@dataclass(frozen=True)
class Wording:
    version: str
    intro: str
    signs: tuple[Sign, ...]


def _known_codes() -> list[str]:
    return [
        *(rule.code for rule in alerts.RULES),
        *(rule.code for rule in alerts.SCORE_RULES),
        *(rule.code for rule in alerts.FINDING_RULES),
    ]


def _check_text(where: str, value: object, errors: list[str]) -> str:
    if not isinstance(value, str) or not value.strip():
        errors.append(f"{where} : texte manquant.")
        return ""
    if len(value) > TEXT_MAX:
        errors.append(f"{where} : texte trop long (au plus {TEXT_MAX} caractères).")
    for name in re.findall(r"\{(\w*)\}", value):
        if name not in PLACEHOLDERS:
            errors.append(f"{where} : « {{{name}}} » n'est pas une valeur connue.")
    return value.strip()


def validate_wording(data: object) -> Wording:
    """The wording of a whole file, or WordingError listing every problem."""
    if not isinstance(data, dict):
        raise WordingError(["Le fichier doit contenir un objet JSON."])
    errors: list[str] = []
    version = data.get("version")
    if not isinstance(version, str) or not version.strip():
        errors.append("« version » manquante.")
    if not isinstance(data.get("review"), str) or not data["review"].strip():
        errors.append("« review » manquante : qui a relu ces textes, ou qu'ils sont à relire.")
    intro = _check_text("« intro »", data.get("intro"), errors)
    entries = data.get("signs")
    if not isinstance(entries, dict):
        raise WordingError([*errors, "« signs » doit être un objet par code de règle."])
    known = _known_codes()
    for code in entries:
        if code not in known:
            errors.append(f"« {code} » n'est pas une règle d'alerte connue.")
    for rule in alerts.RULES:
        if rule.code not in entries:
            errors.append(f"Règle « {rule.code} » : texte pour le patient manquant.")
    signs = []
    for code in known:
        entry = entries.get(code)
        if entry is None:
            continue
        where = f"Règle « {code} »"
        if not isinstance(entry, dict):
            errors.append(f"{where} : doit être un objet {{sign, what_to_do, sources}}.")
            continue
        sign = _check_text(f"{where}, signe", entry.get("sign"), errors)
        todo = _check_text(f"{where}, que faire", entry.get("what_to_do"), errors)
        sources = entry.get("sources")
        if (
            not isinstance(sources, list)
            or not sources
            or not all(isinstance(s, dict) and s.get("title") for s in sources)
        ):
            errors.append(f"{where} : au moins une source citée (avec un titre) est obligatoire.")
        signs.append(Sign(code, sign, todo))
    if errors:
        raise WordingError(errors)
    assert isinstance(version, str)
    return Wording(version.strip(), intro, tuple(signs))


@cache
def patient_wording() -> Wording:
    with SIGNS_FILE.open(encoding="utf-8") as handle:
        return validate_wording(json.load(handle))


def signs_for(fever_threshold_c: Decimal) -> list[tuple[str, str]]:
    """(sign, what to do) of every rule, the CPTS's fever threshold written in."""
    threshold = f"{Decimal(fever_threshold_c):.1f} °C".replace(".", ",")
    return [
        (
            sign.sign.replace("{fever_threshold}", threshold),
            sign.what_to_do.replace("{fever_threshold}", threshold),
        )
        for sign in patient_wording().signs
    ]
