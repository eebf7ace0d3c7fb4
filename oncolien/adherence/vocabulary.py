"""The hormone-therapy follow-up's vocabulary as data: the drugs, the side effects asked
at each contact, their severities, the conditions that raise an alert and how many
days before a contact the nurse is reminded (`data/hormone-therapy.json`).

The file is validated as a whole: a problem anywhere refuses all of it, with every
problem listed in French; the application does not start with a broken file
(AppConfig.ready). Each plan and contact keeps the version it was written with.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from oncolien.pathways.alerts import FINDING_RULES_BY_CODE

VOCABULARY_FILE = Path(__file__).parent / "data" / "hormone-therapy.json"
# What a contact may say that raises an alert; the file says which rule each raises.
CONDITIONS = ("stopped", "intends_to_stop", "frequent_missed_doses")


class VocabularyError(ValueError):
    """Every problem of a vocabulary file, in French."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class Term:
    code: str
    label: str
    group: str = ""


@dataclass(frozen=True)
class AlertCondition:
    rule: str
    when: str


@dataclass(frozen=True)
class Vocabulary:
    version: str
    reminder_days_before: int
    drugs: tuple[Term, ...]
    severities: tuple[Term, ...]
    side_effects: tuple[Term, ...]
    alerts: tuple[AlertCondition, ...]

    def drug_label(self, code: str) -> str:
        return _label(self.drugs, code)

    def side_effect_label(self, code: str) -> str:
        return _label(self.side_effects, code)

    def severity_label(self, code: str) -> str:
        return _label(self.severities, code)

    def rules_when(self, condition: str) -> list[str]:
        return [alert.rule for alert in self.alerts if alert.when == condition]


def _label(terms: tuple[Term, ...], code: str) -> str:
    # A code of an older version of the file is shown as it was stored.
    return next((term.label for term in terms if term.code == code), code)


def _terms(data: dict, key: str, errors: list[str], *, label_key: str = "label") -> list[Term]:
    entries = data.get(key)
    if not isinstance(entries, list) or not entries:
        errors.append(f"« {key} » doit être une liste non vide.")
        return []
    terms: list[Term] = []
    seen: set[str] = set()
    for position, entry in enumerate(entries, start=1):
        where = f"« {key} », entrée {position}"
        if not isinstance(entry, dict):
            errors.append(f"{where} : doit être un objet.")
            continue
        code, label = entry.get("code"), entry.get(label_key)
        if not isinstance(code, str) or not code.strip():
            errors.append(f"{where} : code manquant.")
            continue
        if code in seen:
            errors.append(f"{where} : le code « {code} » est en double.")
        seen.add(code)
        if not isinstance(label, str) or not label.strip():
            errors.append(f"{where} : libellé manquant.")
            continue
        terms.append(Term(code, label.strip(), str(entry.get("class", "")).strip()))
    return terms


def validate_vocabulary(data: object) -> Vocabulary:
    """The vocabulary of a whole file, or VocabularyError listing every problem."""
    if not isinstance(data, dict):
        raise VocabularyError(["Le fichier doit contenir un objet JSON."])
    errors: list[str] = []
    version = data.get("version")
    if not isinstance(version, str) or not version.strip():
        errors.append("« version » manquante.")
    days = data.get("reminder_days_before")
    if not isinstance(days, int) or isinstance(days, bool) or not 0 <= days <= 14:
        errors.append("« reminder_days_before » doit être un nombre de jours entre 0 et 14.")
    drugs = _terms(data, "drugs", errors, label_key="name")
    severities = _terms(data, "severities", errors)
    side_effects = _terms(data, "side_effects", errors)
    alerts: list[AlertCondition] = []
    entries = data.get("alerts")
    if not isinstance(entries, list):
        errors.append("« alerts » doit être une liste (éventuellement vide).")
        entries = []
    for position, entry in enumerate(entries, start=1):
        where = f"« alerts », entrée {position}"
        if not isinstance(entry, dict):
            errors.append(f"{where} : doit être un objet {{rule, when}}.")
            continue
        rule, when = entry.get("rule"), entry.get("when")
        if rule not in FINDING_RULES_BY_CODE:
            errors.append(f"{where} : « {rule} » n'est pas une règle d'alerte connue.")
        if when not in CONDITIONS:
            errors.append(
                f"{where} : condition « {when} » inconnue (attendu : {', '.join(CONDITIONS)})."
            )
        if isinstance(rule, str) and isinstance(when, str):
            alerts.append(AlertCondition(rule, when))
    if errors:
        raise VocabularyError(errors)
    assert isinstance(version, str) and isinstance(days, int)
    return Vocabulary(
        version=version.strip(),
        reminder_days_before=days,
        drugs=tuple(drugs),
        severities=tuple(severities),
        side_effects=tuple(side_effects),
        alerts=tuple(alerts),
    )


@cache
def vocabulary() -> Vocabulary:
    with VOCABULARY_FILE.open(encoding="utf-8") as handle:
        return validate_vocabulary(json.load(handle))
