"""A CPTS's alert protocol as data: who acknowledges alerts, and what to do for each rule.

The default instruction of every rule is in `data/alert-instructions.json`, each text
citing its sources, validated as a whole (every rule has one, no unknown rule, French
messages). A CPTS replaces any of them in its `AlertProtocol.instructions`; the roles
that acknowledge its alerts are its `AlertProtocol.acknowledging_roles`.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from oncolien.pathways.models import AlertProtocol, CareTeamMember, CareTeamRole, Pathway

INSTRUCTIONS_FILE = Path(__file__).parent / "data" / "alert-instructions.json"
INSTRUCTION_MAX = 1000

# Codes stored in AlertProtocol.acknowledging_roles, with what the coordinator reads.
ACKNOWLEDGING_ROLES: dict[str, str] = {
    "team_coordinating_nurse": "L'infirmier·ère de coordination de l'équipe de soins",
    "cpts_coordinator": "Les coordinateur·rices de la CPTS",
    "team_gp": "Le médecin traitant de l'équipe de soins (s'il a un compte)",
}
DEFAULT_ACKNOWLEDGING_ROLES = frozenset({"team_coordinating_nurse", "cpts_coordinator"})

# Care-team roles whose phone numbers are shown beside an instruction, hospital first.
CONTACT_ROLES = (
    CareTeamRole.OTHER,
    CareTeamRole.ONCOLOGIST,
    CareTeamRole.COORDINATING_NURSE,
    CareTeamRole.GP,
    CareTeamRole.PHARMACIST,
)


class InstructionsError(ValueError):
    """Every problem of an instruction file, in French."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class Instruction:
    text: str
    sources: tuple[str, ...]
    # True when the text is the CPTS's own, not the default.
    local: bool = False


def _rules() -> list[tuple[str, str]]:
    from oncolien.pathways import alerts

    return [
        *((rule.code, rule.label) for rule in alerts.RULES),
        *((rule.code, rule.label) for rule in alerts.SCORE_RULES),
        *((rule.code, rule.label) for rule in alerts.FINDING_RULES),
    ]


def rule_codes() -> list[str]:
    """Every alert rule code, monitoring sheet and scores alike, in table order."""

    return [code for code, _ in _rules()]


def rule_labels() -> dict[str, str]:

    return dict(_rules())


def _source_text(source: dict) -> str:
    parts = [source["title"], source.get("publisher", ""), source.get("date", "")]
    return ", ".join(part for part in parts if part)


def validate_instructions(data: object, *, codes: Iterable[str]) -> dict[str, Instruction]:
    """The instructions of a whole file, or InstructionsError listing every problem."""
    codes = list(codes)
    errors: list[str] = []
    if not isinstance(data, dict):
        raise InstructionsError(["Le fichier doit contenir un objet JSON."])
    if not isinstance(data.get("version"), str) or not data["version"].strip():
        errors.append("« version » manquante.")
    entries = data.get("instructions")
    if not isinstance(entries, dict):
        raise InstructionsError([*errors, "« instructions » doit être un objet par code de règle."])
    for code in entries:
        if code not in codes:
            errors.append(f"« {code} » n'est pas une règle d'alerte connue.")
    for code in codes:
        if code not in entries:
            errors.append(f"Règle « {code} » : consigne manquante.")
    shaped: dict[str, Instruction] = {}
    for code, entry in entries.items():
        where = f"Règle « {code} »"
        if not isinstance(entry, dict):
            errors.append(f"{where} : doit être un objet {{text, sources}}.")
            continue
        text = entry.get("text")
        if not isinstance(text, str) or not text.strip():
            errors.append(f"{where} : le texte de la consigne manque.")
        elif len(text) > INSTRUCTION_MAX:
            errors.append(f"{where} : consigne trop longue (au plus {INSTRUCTION_MAX} caractères).")
        sources = entry.get("sources")
        if (
            not isinstance(sources, list)
            or not sources
            or not all(isinstance(s, dict) and s.get("title") for s in sources)
        ):
            errors.append(f"{where} : au moins une source citée (avec un titre) est obligatoire.")
            continue
        if isinstance(text, str) and text.strip():
            shaped[code] = Instruction(text.strip(), tuple(_source_text(s) for s in sources))
    if errors:
        raise InstructionsError(errors)
    return shaped


@cache
def default_instructions() -> dict[str, Instruction]:
    with INSTRUCTIONS_FILE.open(encoding="utf-8") as handle:
        return validate_instructions(json.load(handle), codes=rule_codes())


def acknowledging_roles_for(cpts_ids: Iterable[int]) -> dict[int, frozenset[str]]:
    """The acknowledging roles of each CPTS (its protocol's, or the defaults), one query."""
    ids = set(cpts_ids)
    roles = dict.fromkeys(ids, DEFAULT_ACKNOWLEDGING_ROLES)
    if ids:
        for cpts_id, chosen in AlertProtocol.objects.filter(cpts_id__in=ids).values_list(
            "cpts_id", "acknowledging_roles"
        ):
            roles[cpts_id] = frozenset(chosen or ())
    return roles


def instructions_for(cpts_id: int) -> dict[str, Instruction]:
    """Every rule's instruction for a CPTS: its own text where it wrote one."""
    instructions = dict(default_instructions())
    protocol = AlertProtocol.objects.filter(cpts_id=cpts_id).first()
    for code, text in (protocol.instructions if protocol else {}).items():
        if code in instructions and text.strip():
            instructions[code] = Instruction(
                text.strip(), ("Protocole d'alerte de la CPTS",), local=True
            )
    return instructions


@dataclass(frozen=True)
class Contact:
    name: str
    role: str
    phone: str


def contacts_for(pathway: Pathway) -> list[Contact]:
    """The care team's phone numbers (e.g. the treating centre's day hospital), hospital
    first: what the nurse calls when an instruction says so."""
    members = CareTeamMember.objects.filter(pathway=pathway, active=True).exclude(phone="")
    ordered = sorted(
        members,
        key=lambda m: (CONTACT_ROLES.index(m.role) if m.role in CONTACT_ROLES else 99, m.name),
    )
    return [Contact(m.name, m.get_role_display(), m.phone) for m in ordered]
