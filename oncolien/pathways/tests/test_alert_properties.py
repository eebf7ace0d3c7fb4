"""Property-based tests of the alert rules: for any valid sheet, an alert exists for a
rule if and only if the sheet breaches it, and never twice for one sheet and rule.

The oracle below is written from the wording of the issue and the field document,
not from `pathways.alerts`, so that a slip in the rules table shows up here.
"""

from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from oncolien.pathways.models import (
    Alert,
    AlertProtocol,
    Flush,
    LocalAspect,
    MonitoringRecord,
    Transit,
    VenousAccess,
    Vomiting,
)
from oncolien.pathways.monitoring import RANGES
from oncolien.pathways.services import alerts_raise_for, monitoring_record_add
from oncolien.pathways.tests.factories import make_pathway

pytestmark = pytest.mark.django_db

PROPERTY_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    # One pathway serves every example: each example checks only its own sheet.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def tenths(low: Decimal, high: Decimal):
    return st.integers(int(low * 10), int(high * 10)).map(lambda n: Decimal(n) / 10)


def integers_of(field: str):
    spec = RANGES[field]
    return st.integers(int(spec.minimum), int(spec.maximum))


def as_typed(value):
    """A nurse's input as a form or the API would send it: number, "38.6" or "38,6"."""
    if value is None:
        return st.just(None)
    return st.sampled_from([value, str(value), str(value).replace(".", ",")])


def optional(strategy):
    return st.one_of(st.none(), strategy)


@st.composite
def sheets(draw) -> dict:
    values = {
        "weight_kg": draw(
            optional(tenths(RANGES["weight_kg"].minimum, RANGES["weight_kg"].maximum))
        ),
        "temperature_c": draw(
            optional(tenths(RANGES["temperature_c"].minimum, RANGES["temperature_c"].maximum))
        ),
        "saturation_pct": draw(optional(integers_of("saturation_pct"))),
        "pain_score": draw(optional(integers_of("pain_score"))),
        "pulse_bpm": draw(optional(integers_of("pulse_bpm"))),
        "vomiting": draw(st.sampled_from(Vomiting.values)),
        "venous_access": draw(st.sampled_from(VenousAccess.values)),
        "venous_access_flush": draw(st.sampled_from(["", *Flush.values])),
        "venous_access_aspect": draw(st.sampled_from(["", *LocalAspect.values])),
        "transit": draw(st.sampled_from(["", *Transit.values])),
        "dyspnoea": draw(optional(st.booleans())),
        "nausea": draw(optional(st.booleans())),
        "mucositis": draw(optional(st.booleans())),
        "pain_location": draw(st.sampled_from(["", "abdomen"])),
    }
    # Blood pressure is valid only with the diastolic below the systolic.
    if draw(st.booleans()):
        systolic = draw(integers_of("systolic_bp"))
        values["systolic_bp"] = systolic
        values["diastolic_bp"] = draw(st.integers(30, min(160, systolic - 1)))
    typed = {name: draw(as_typed(value)) for name, value in values.items()}
    return {"values": values, "typed": typed}


def expected_rules(values: dict, *, threshold: Decimal, reference: Decimal | None) -> set[str]:
    """The alerts the issue asks for, computed from the sheet as the nurse filled it."""
    breached = set()
    temperature = values["temperature_c"]
    if temperature is not None and temperature >= threshold:
        breached.add("fever")
    if values["vomiting"] == "refractory":
        breached.add("refractory_vomiting")
    if values["pain_score"] is not None and values["pain_score"] > 5:
        breached.add("pain")
    device = values["venous_access"] != "none"
    trouble = values["venous_access_flush"] == "impossible" or values["venous_access_aspect"] in {
        "redness",
        "swelling",
        "discharge",
        "pain",
    }
    if device and trouble:
        breached.add("venous_access")
    if values["saturation_pct"] is not None and values["saturation_pct"] < 92:
        breached.add("desaturation")
    weight = values["weight_kg"]
    if weight is not None and reference is not None:
        loss = Fraction(reference - weight) / Fraction(reference)
        if loss >= Fraction(5, 100):
            breached.add("weight_loss")
    return breached


@pytest.fixture
def pathway(coordinating_nurse):
    return make_pathway(actor=coordinating_nurse)


def with_protocol(pathway, threshold: Decimal | None, reference: Decimal | None) -> Decimal:
    """Set the CPTS fever threshold (or the safe default) and the reference weight."""
    if threshold is None:
        AlertProtocol.objects.filter(cpts=pathway.cpts).delete()
    else:
        AlertProtocol.objects.update_or_create(
            cpts=pathway.cpts, defaults={"fever_threshold_c": threshold}
        )
    pathway.reference_weight_kg = reference
    pathway.save(update_fields=["reference_weight_kg"])
    return Decimal("38.0") if threshold is None else threshold


BOUNDARY = {
    "weight_kg": Decimal("66.5"),
    "temperature_c": Decimal("38.0"),
    "saturation_pct": 92,
    "pain_score": 5,
    "pulse_bpm": None,
    "vomiting": "present",
    "venous_access": "picc",
    "venous_access_flush": "not_done",
    "venous_access_aspect": "normal",
    "transit": "",
    "dyspnoea": None,
    "nausea": None,
    "mucositis": None,
    "pain_location": "",
}
OVER = {
    **BOUNDARY,
    "weight_kg": Decimal("66.4"),
    "temperature_c": Decimal("38.5"),
    "saturation_pct": 91,
    "pain_score": 6,
    "vomiting": "refractory",
    "venous_access_flush": "impossible",
}


@PROPERTY_SETTINGS
@given(
    sheet=sheets(),
    threshold=optional(tenths(Decimal("37.8"), Decimal("38.5"))),
    reference=optional(tenths(Decimal(20), Decimal(300))),
)
# The edges, exactly: 5 % of 70 kg, 38.0 °C at the default threshold, 92 %, VAS 5,
# a device with nothing wrong; then over each edge (38.5 °C at the highest threshold),
# and without a reference weight (no weight-loss alert whatever the weight).
@example(sheet={"values": BOUNDARY, "typed": BOUNDARY}, threshold=None, reference=Decimal(70))
@example(sheet={"values": OVER, "typed": OVER}, threshold=Decimal("38.5"), reference=Decimal(70))
@example(sheet={"values": OVER, "typed": OVER}, threshold=None, reference=None)
def test_an_alert_exists_for_a_rule_if_and_only_if_the_sheet_breaches_it(
    pathway, coordinating_nurse, sheet, threshold, reference
):
    effective = with_protocol(pathway, threshold, reference)

    record = monitoring_record_add(actor=coordinating_nurse, pathway=pathway, values=sheet["typed"])

    rules = list(Alert.objects.filter(record=record).values_list("rule", flat=True))
    expected = expected_rules(sheet["values"], threshold=effective, reference=reference)
    assert sorted(rules) == sorted(expected)
    assert len(rules) == len(set(rules))

    # Raising again (a retry, a second worker) never opens a second alert.
    assert alerts_raise_for(record) == []
    assert Alert.objects.filter(record=record).count() == len(expected)
    assert set(Alert.objects.filter(record=record).values_list("pathway_id", flat=True)) <= {
        pathway.pk
    }


@st.composite
def out_of_range(draw) -> tuple[str, Decimal]:
    field = draw(st.sampled_from(sorted(RANGES)))
    spec = RANGES[field]
    below = spec.minimum - draw(st.integers(1, 50))
    above = spec.maximum + draw(st.integers(1, 50))
    return field, draw(st.sampled_from([below, above]))


@PROPERTY_SETTINGS
@given(wrong=out_of_range(), sheet=sheets())
def test_an_out_of_range_value_stores_nothing_and_raises_no_alert(
    pathway, coordinating_nurse, wrong, sheet
):
    field, value = wrong
    records, alerts = MonitoringRecord.objects.count(), Alert.objects.count()

    with pytest.raises(ValidationError) as error:
        monitoring_record_add(
            actor=coordinating_nurse, pathway=pathway, values={**sheet["typed"], field: value}
        )

    assert field in error.value.message_dict
    assert error.value.message_dict[field][0].startswith(("Valeur impossible", "Un nombre"))
    assert (MonitoringRecord.objects.count(), Alert.objects.count()) == (records, alerts)
