"""Alert rules of the monitoring sheet: one table, read by one function.

The four alerts of the field document (fever, vomiting refractory to treatment,
pain VAS > 5, venous access problem) plus desaturation and weight loss. Each
CPTS may set its fever threshold (within 37.8-38.5 °C) and its escalation delay
in an `AlertProtocol`; without one, the defaults below apply.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from oncolien.pathways.models import (
    AlertProtocol,
    Flush,
    LocalAspect,
    MonitoringRecord,
    Severity,
    VenousAccess,
    Vomiting,
)
from oncolien.pathways.monitoring import french_number

DEFAULT_FEVER_THRESHOLD_C = Decimal("38.0")
FEVER_THRESHOLD_BOUNDS = (Decimal("37.8"), Decimal("38.5"))
DEFAULT_ESCALATION_MINUTES = 240
DESATURATION_BELOW_PCT = 92
PAIN_ABOVE = 5
WEIGHT_LOSS_FRACTION = Decimal("0.05")


@dataclass(frozen=True)
class Context:
    """What a rule needs beyond the sheet: the CPTS protocol and the pathway's reference weight."""

    fever_threshold_c: Decimal = DEFAULT_FEVER_THRESHOLD_C
    reference_weight_kg: Decimal | None = None


@dataclass(frozen=True)
class AlertRule:
    code: str
    label: str
    severity: str
    breached: Callable[[MonitoringRecord, Context], bool]
    message: Callable[[MonitoringRecord, Context], str]


def _venous_access_problem(record: MonitoringRecord, _: Context) -> bool:
    if record.venous_access == VenousAccess.NONE:
        return False
    return record.venous_access_flush == Flush.IMPOSSIBLE or record.venous_access_aspect not in (
        "",
        LocalAspect.NORMAL,
    )


def _weight_loss(record: MonitoringRecord, context: Context) -> bool:
    reference = context.reference_weight_kg
    if record.weight_kg is None or not reference:
        return False
    return (Decimal(reference) - Decimal(record.weight_kg)) >= Decimal(
        reference
    ) * WEIGHT_LOSS_FRACTION


def _weight_loss_message(record: MonitoringRecord, context: Context) -> str:
    # Only called for a record _weight_loss flagged, so both weights are known.
    assert record.weight_kg is not None and context.reference_weight_kg is not None
    reference = Decimal(context.reference_weight_kg)
    loss = (reference - Decimal(record.weight_kg)) / reference * 100
    return (
        f"Perte de poids de {french_number(round(loss, 1))} % ({french_number(record.weight_kg)} kg pour "
        f"{french_number(reference)} kg de référence) : proposer une évaluation nutritionnelle."
    )


RULES: tuple[AlertRule, ...] = (
    AlertRule(
        "fever",
        "Fièvre",
        Severity.HIGH,
        lambda r, c: (
            r.temperature_c is not None and Decimal(r.temperature_c) >= c.fever_threshold_c
        ),
        lambda r, c: (
            f"Fièvre : {french_number(r.temperature_c)} °C (seuil {french_number(c.fever_threshold_c)} °C)."
        ),
    ),
    AlertRule(
        "refractory_vomiting",
        "Vomissements réfractaires",
        Severity.HIGH,
        lambda r, c: r.vomiting == Vomiting.REFRACTORY,
        lambda r, c: "Vomissements réfractaires au traitement.",
    ),
    AlertRule(
        "pain",
        "Douleur EVA > 5",
        Severity.HIGH,
        lambda r, c: r.pain_score is not None and r.pain_score > PAIN_ABOVE,
        lambda r, c: (
            f"Douleur : EVA {r.pain_score}/10"
            + (f" ({r.pain_location})." if r.pain_location else ".")
        ),
    ),
    AlertRule(
        "venous_access",
        "Problème de voie d'abord",
        Severity.HIGH,
        _venous_access_problem,
        lambda r, c: (
            "Problème de voie d'abord ("
            + ", ".join(
                part
                for part in (
                    r.get_venous_access_display(),
                    r.get_venous_access_flush_display() if r.venous_access_flush else "",
                    r.get_venous_access_aspect_display() if r.venous_access_aspect else "",
                )
                if part
            )
            + ")."
        ),
    ),
    AlertRule(
        "desaturation",
        "Désaturation",
        Severity.HIGH,
        lambda r, c: r.saturation_pct is not None and r.saturation_pct < DESATURATION_BELOW_PCT,
        lambda r, c: f"Saturation à {r.saturation_pct} % (< {DESATURATION_BELOW_PCT} %).",
    ),
    AlertRule(
        "weight_loss",
        "Perte de poids ≥ 5 %",
        Severity.MEDIUM,
        _weight_loss,
        _weight_loss_message,
    ),
)
RULES_BY_CODE = {rule.code: rule for rule in RULES}


def context_for(pathway) -> Context:
    protocol = AlertProtocol.objects.filter(cpts_id=pathway.cpts_id).first()
    return Context(
        fever_threshold_c=protocol.fever_threshold_c if protocol else DEFAULT_FEVER_THRESHOLD_C,
        reference_weight_kg=pathway.reference_weight_kg,
    )


def breached_rules(record: MonitoringRecord, context: Context) -> list[AlertRule]:
    """The rules this sheet breaches, in table order, each at most once."""
    return [rule for rule in RULES if rule.breached(record, context)]


def escalation_minutes_for(cpts_id: int) -> int:
    protocol = AlertProtocol.objects.filter(cpts_id=cpts_id).first()
    return protocol.escalation_after_minutes if protocol else DEFAULT_ESCALATION_MINUTES


# --- Rules on assessment scores (symptom scales, distress thermometer) ------------------

SYMPTOM_ALERT_FROM = 7
DISTRESS_ALERT_FROM = 4


@dataclass(frozen=True)
class ScoreRule:
    """A rule on a named score of an assessment (e.g. ESAS-r item, distress thermometer)."""

    code: str
    label: str
    severity: str
    breached: Callable[[str, float], bool]
    message: Callable[[str, str, float], str]


SCORE_RULES: tuple[ScoreRule, ...] = (
    ScoreRule(
        "symptom_score",
        "Symptôme ≥ 7",
        Severity.HIGH,
        lambda kind, value: kind == "symptom" and value >= SYMPTOM_ALERT_FROM,
        lambda kind, label, value: (
            f"{label} : {french_number(value)}/10 (alerte à partir de {SYMPTOM_ALERT_FROM})."
        ),
    ),
    ScoreRule(
        "distress",
        "Détresse ≥ 4",
        Severity.HIGH,
        lambda kind, value: kind == "distress" and value >= DISTRESS_ALERT_FROM,
        lambda kind, label, value: (
            f"{label} : {french_number(value)}/10 (suivi à partir de {DISTRESS_ALERT_FROM})."
        ),
    ),
)


# --- Rules an assessment instrument raises by its own data --------------------------------
# The conditions are in the instrument's file (`scoring.alerts`, e.g. the SOS screening's
# pain ≥ 7/10 or « douleur non soulagée »); this table names the rules it may raise.


@dataclass(frozen=True)
class FindingRule:
    code: str
    label: str
    severity: str


FINDING_RULES: tuple[FindingRule, ...] = (
    FindingRule("sos_pain", "Douleur forte ou non soulagée (repérage SOS)", Severity.HIGH),
    # Raised by a contact of the hormone-therapy follow-up (adherence app): the
    # conditions are in its vocabulary file (`alerts`), as an instrument's are in its own.
    FindingRule("adherence_stop", "Arrêt ou projet d'arrêt de l'hormonothérapie", Severity.HIGH),
    FindingRule("adherence_missed_doses", "Oublis fréquents de l'hormonothérapie", Severity.MEDIUM),
)
FINDING_RULES_BY_CODE = {rule.code: rule for rule in FINDING_RULES}
