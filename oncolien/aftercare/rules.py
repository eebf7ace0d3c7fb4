"""The allowance rules of the post-cancer programme, as data, and their checks.

The figures (180 € a year, 45 € an assessment, 22.50 € a follow-up, at most 6
follow-ups, 12 months from the first assessment) come from the 2020 texts but
live in `data/allowance_rules.json`, each set with a version, the date it
applies from and its legal source: when the texts change, a new version is
added to the file and no code changes. A programme records the version it was
prescribed under, so its acts keep being checked against the same rules.

"Within 12 months" is counted in calendar months, both ends included: from a
first assessment on 15/01/2026 the window runs to 15/01/2027 inclusive (day 365
of a common year), and 16/01/2027 (day 366) is outside. A 29 February maps to
28 February. The same count gives the prescription window after the end of
active treatment ("jusqu'à douze mois après la fin de son traitement").

The checks are pure functions on plain values (`Act`): the services feed them
the programme's acts and refuse with the French message they return.
"""

import calendar
import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

RULES_FILE = Path(__file__).parent / "data" / "allowance_rules.json"

PHYSICAL_ACTIVITY_ASSESSMENT = "physical_activity_assessment"
DIETARY_ASSESSMENT = "dietary_assessment"
PSYCHOLOGICAL_ASSESSMENT = "psychological_assessment"
DIETARY_FOLLOW_UP = "dietary_follow_up"
PSYCHOLOGICAL_FOLLOW_UP = "psychological_follow_up"
ASSESSMENT_KINDS = (PHYSICAL_ACTIVITY_ASSESSMENT, DIETARY_ASSESSMENT, PSYCHOLOGICAL_ASSESSMENT)
FOLLOW_UP_KINDS = (DIETARY_FOLLOW_UP, PSYCHOLOGICAL_FOLLOW_UP)
KIND_LABELS = {
    PHYSICAL_ACTIVITY_ASSESSMENT: "Bilan fonctionnel et motivationnel d'activité physique",
    DIETARY_ASSESSMENT: "Bilan diététique",
    PSYCHOLOGICAL_ASSESSMENT: "Bilan psychologique",
    DIETARY_FOLLOW_UP: "Consultation de suivi diététique",
    PSYCHOLOGICAL_FOLLOW_UP: "Consultation de suivi psychologique",
}


class RulesFileError(ValueError):
    """The rules file is malformed: the application refuses to use it."""


@dataclass(frozen=True)
class EligibilityRules:
    requires_cancer_ald: bool
    months_after_end_of_treatment: int
    prescriber_roles: tuple[str, ...]


@dataclass(frozen=True)
class AllowanceRules:
    version: str
    valid_from: date
    source: str
    eligibility: EligibilityRules
    cap: Decimal
    assessment_amount: Decimal
    follow_up_amount: Decimal
    max_follow_ups: int
    max_assessments_per_kind: int
    window_months: int
    follow_up_requires_prior_assessment: bool

    def tariff(self, kind: str) -> Decimal:
        return self.assessment_amount if kind in ASSESSMENT_KINDS else self.follow_up_amount


@dataclass(frozen=True)
class Act:
    """An act done, as the rules see it (a prescribed act has neither date nor amount)."""

    kind: str
    on: date
    amount: Decimal


# --- Loading -------------------------------------------------------------------


def _amount(raw, where: str) -> Decimal:
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        raise RulesFileError(f"{where} : montant invalide « {raw} ».") from None
    if value <= 0:
        raise RulesFileError(f"{where} : le montant doit être positif.")
    return value


def parse_rules(document: dict) -> list[AllowanceRules]:
    """Every version of the rules in a parsed file, oldest first; RulesFileError if bad."""
    versions = []
    for raw in document.get("versions") or []:
        where = f"Version {raw.get('version', '?')}"
        try:
            eligibility, allowance = raw["eligibility"], raw["allowance"]
            rules = AllowanceRules(
                version=str(raw["version"]),
                valid_from=date.fromisoformat(raw["valid_from"]),
                source=str(raw["source"]).strip(),
                eligibility=EligibilityRules(
                    requires_cancer_ald=bool(eligibility["requires_cancer_ald"]),
                    months_after_end_of_treatment=int(eligibility["months_after_end_of_treatment"]),
                    prescriber_roles=tuple(eligibility["prescriber_roles"]),
                ),
                cap=_amount(allowance["cap_eur"], where),
                assessment_amount=_amount(allowance["assessment_eur"], where),
                follow_up_amount=_amount(allowance["follow_up_eur"], where),
                max_follow_ups=int(allowance["max_follow_ups"]),
                max_assessments_per_kind=int(allowance["max_assessments_per_kind"]),
                window_months=int(allowance["window_months_after_first_assessment"]),
                follow_up_requires_prior_assessment=bool(
                    allowance["follow_up_requires_prior_assessment"]
                ),
            )
        except KeyError as missing:
            raise RulesFileError(f"{where} : champ manquant {missing}.") from None
        except (TypeError, ValueError) as error:
            raise RulesFileError(f"{where} : valeur invalide ({error}).") from None
        if not rules.source:
            raise RulesFileError(f"{where} : la source réglementaire est obligatoire.")
        versions.append(rules)
    if not versions:
        raise RulesFileError("Le fichier de règles ne contient aucune version.")
    names = [rules.version for rules in versions]
    if len(set(names)) != len(names):
        raise RulesFileError("Le fichier de règles contient deux fois la même version.")
    return sorted(versions, key=lambda rules: rules.valid_from)


@cache
def all_rules() -> tuple[AllowanceRules, ...]:
    return tuple(parse_rules(json.loads(RULES_FILE.read_text(encoding="utf-8"))))


def rules_on(day: date) -> AllowanceRules:
    """The rules in force on `day` (the first version for earlier days)."""
    versions = all_rules()
    applicable = [rules for rules in versions if rules.valid_from <= day]
    return applicable[-1] if applicable else versions[0]


def rules_version(version: str) -> AllowanceRules:
    for rules in all_rules():
        if rules.version == version:
            return rules
    raise RulesFileError(f"Version de règles inconnue : {version}.")


# --- Dates and amounts in French --------------------------------------------------


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later, clamped to the month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def euros(amount: Decimal) -> str:
    return f"{amount:.2f} €".replace(".", ",")


def french_date(day: date) -> str:
    return day.strftime("%d/%m/%Y")


# --- The allowance -----------------------------------------------------------------


@dataclass(frozen=True)
class Allowance:
    """Where a programme stands: what is used and what remains."""

    rules: AllowanceRules
    used: Decimal
    remaining: Decimal
    follow_ups_done: int
    follow_ups_remaining: int
    first_assessment_on: date | None
    window_ends_on: date | None

    @property
    def cap(self) -> Decimal:
        return self.rules.cap


def first_assessment_on(done: list[Act]) -> date | None:
    days = [act.on for act in done if act.kind in ASSESSMENT_KINDS]
    return min(days) if days else None


def allowance(rules: AllowanceRules, done: list[Act]) -> Allowance:
    used = sum((act.amount for act in done), Decimal("0.00"))
    follow_ups = sum(1 for act in done if act.kind in FOLLOW_UP_KINDS)
    first = first_assessment_on(done)
    return Allowance(
        rules=rules,
        used=used,
        remaining=max(rules.cap - used, Decimal("0.00")),
        follow_ups_done=follow_ups,
        follow_ups_remaining=max(rules.max_follow_ups - follow_ups, 0),
        first_assessment_on=first,
        window_ends_on=add_months(first, rules.window_months) if first else None,
    )


def check_done(rules: AllowanceRules, done: list[Act], candidate: Act) -> list[str]:
    """Why `candidate` may not be recorded as done next to the acts already `done`
    (empty list: it may). Each message names the rule and what remains."""
    label = KIND_LABELS[candidate.kind]
    tariff = rules.tariff(candidate.kind)
    before = allowance(rules, done)
    errors = []
    if candidate.amount <= 0:
        errors.append("Le montant de l'acte doit être positif.")
    elif candidate.amount > tariff:
        errors.append(
            f"Le montant d'un acte « {label} » est au plus de {euros(tariff)} "
            f"(règles {rules.version})."
        )
    if candidate.kind in ASSESSMENT_KINDS:
        same = sum(1 for act in done if act.kind == candidate.kind)
        if same >= rules.max_assessments_per_kind:
            errors.append(
                f"Le « {label} » a déjà été réalisé : il n'est pris en charge qu'une fois."
            )
    else:
        if before.follow_ups_remaining == 0:
            errors.append(
                f"Au plus {rules.max_follow_ups} consultations de suivi sont prises en charge : "
                f"{before.follow_ups_done} sont déjà réalisées, il n'en reste aucune."
            )
        if rules.follow_up_requires_prior_assessment:
            if before.first_assessment_on is None:
                errors.append(
                    "Une consultation de suivi vient après un bilan : aucun bilan n'est encore "
                    "enregistré comme réalisé. Enregistrez d'abord le bilan."
                )
            elif candidate.on < before.first_assessment_on:
                errors.append(
                    f"Une consultation de suivi ne peut pas précéder le premier bilan "
                    f"(réalisé le {french_date(before.first_assessment_on)})."
                )
    after = [*done, candidate]
    first = first_assessment_on(after)
    if first is not None:
        window_end = add_months(first, rules.window_months)
        late = [act for act in after if act.on > window_end]
        if late:
            errors.append(
                f"Les actes du parcours doivent être réalisés dans les {rules.window_months} mois "
                f"suivant le premier bilan (du {french_date(first)} au "
                f"{french_date(window_end)} inclus) : le {french_date(max(a.on for a in late))} "
                f"est en dehors."
            )
    if candidate.amount > 0 and before.used + candidate.amount > rules.cap:
        errors.append(
            f"Le forfait de {euros(rules.cap)} par patient et par an serait dépassé : "
            f"{euros(before.used)} déjà utilisés, il reste {euros(before.remaining)} "
            f"et cet acte coûte {euros(candidate.amount)}."
        )
    return errors


def prescribed_amount(rules: AllowanceRules, kinds: list[str]) -> Decimal:
    return sum((rules.tariff(kind) for kind in kinds), Decimal("0.00"))


def check_prescribed(rules: AllowanceRules, kinds: list[str]) -> list[str]:
    """Why a set of prescribed acts (all the programme's, new ones included) cannot
    be paid in full by the allowance (empty list: it can)."""
    errors = []
    if not kinds:
        errors.append("Prescrivez au moins un bilan ou une consultation de suivi.")
    for kind in ASSESSMENT_KINDS:
        if kinds.count(kind) > rules.max_assessments_per_kind:
            errors.append(f"Le « {KIND_LABELS[kind]} » n'est pris en charge qu'une fois.")
    follow_ups = sum(1 for kind in kinds if kind in FOLLOW_UP_KINDS)
    if follow_ups > rules.max_follow_ups:
        errors.append(
            f"Au plus {rules.max_follow_ups} consultations de suivi sont prises en charge : "
            f"{follow_ups} sont prescrites."
        )
    if follow_ups and not any(kind in ASSESSMENT_KINDS for kind in kinds):
        errors.append("Les consultations de suivi viennent après un bilan : prescrivez un bilan.")
    total = prescribed_amount(rules, kinds)
    if total > rules.cap:
        errors.append(
            f"Les actes prescrits coûtent {euros(total)}, au-delà du forfait de "
            f"{euros(rules.cap)} par patient et par an : retirez des actes."
        )
    return errors
