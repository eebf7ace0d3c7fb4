"""Each breakdown on the hand-built data set (conftest.py's `activity`) and a few
more rows with known answers: assessments, monitoring sheets, alerts, a second
care type, a second labelled structure and the patients' profiles.

The suite runs on SQLite and on PostgreSQL: this one table holds both engines to
the same rows, labels and figures.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from oncolien.aftercare.models import ActKind, PostCancerProgramme, ProgrammeAct
from oncolien.assessments.models import Assessment, InstrumentVersion
from oncolien.directory.models import Service
from oncolien.directory.tests.factories import make_service
from oncolien.indicators.breakdowns import BREAKDOWNS
from oncolien.indicators.figures import COMPUTATIONS, Figure
from oncolien.indicators.periods import parse
from oncolien.pathways.ages import age_on
from oncolien.pathways.models import Alert, MonitoringRecord, Pathway, Patient, Treatment, Visit
from oncolien.reference.models import CareType
from oncolien.referrals.models import Referral, ReferralEvent
from oncolien.territories.models import Commune

from .conftest import paris

pytestmark = pytest.mark.django_db


def _pathway(number: int) -> Pathway:
    return Pathway.objects.get(patient__last_name=f"Patient{number}")


@pytest.fixture
def more_activity(activity, coordinator, outsider, sud_tarn):
    """Followed in November: Patient0 (closed on 15 November), 1, 2 and 4 (October's);
    Patient3 was never included."""
    p0, p1, p2, p3, p4 = (_pathway(number) for number in range(5))
    # Profiles: ages on 30 November 2026 of 35, 68, 80 (born that day) and 79.
    for pathway, born, sex, site in [
        (p0, date(1990, 12, 1), "M", ""),
        (p1, date(1958, 4, 12), "F", "breast"),
        (p2, date(1946, 11, 30), "F", "breast"),
        (p4, date(1946, 12, 1), "F", "lung"),
    ]:
        Patient.objects.filter(pk=pathway.patient_id).update(birth_date=born, sex=sex)
        Pathway.objects.filter(pk=pathway.pk).update(cancer_site=site)
    Patient.objects.filter(pk=p0.patient_id).update(
        commune=Commune.objects.get(insee_code="12098")  # Estaing
    )
    for pathway, kind, started_on in [
        (p1, "chemotherapy", date(2026, 10, 1)),
        (p1, "surgery", date(2026, 9, 1)),
        (p2, "chemotherapy", date(2026, 12, 5)),  # not started on 30 November
        (p4, "radiotherapy", date(2026, 8, 1)),
        (p3, "hormone_therapy", date(2026, 8, 1)),  # never included: not counted
    ]:
        Treatment.objects.create(pathway=pathway, kind=kind, started_on=started_on)
    Pathway.objects.filter(pk=p4.pk).update(end_of_active_treatment_on=date(2026, 11, 20))
    Pathway.objects.filter(pk=p0.pk).update(phase_override="after_treatment")

    # Needs: two assessments of Patient1, one of Patient2 at 23:30 on 30 November; one
    # in December and one draft do not count.
    instrument = InstrumentVersion.objects.create(
        code="test", version="1", title="Test", audience="professional", definition={}
    )
    for pathway, status, completed_at, needs in [
        (p1, "completed", paris(2026, 11, 10, 9), {"nutrition": "priority", "pain": "none"}),
        (
            p1,
            "completed",
            paris(2026, 11, 20, 9),
            {"nutrition": "to_discuss", "pain": "to_discuss"},
        ),
        (p1, "completed", paris(2026, 11, 21, 9), {"psychological": "to_discuss"}),
        (p2, "completed", paris(2026, 11, 30, 23, 30), {"nutrition": "none", "pain": "none"}),
        (p4, "completed", paris(2026, 12, 1, 0, 30), {"nutrition": "priority"}),
        (p0, "draft", None, {"psychological": "priority"}),
    ]:
        Assessment.objects.create(
            pathway=pathway,
            instrument=instrument,
            respondent="professional",
            status=status,
            completed_at=completed_at,
            results={"needs": needs, "scales": {}, "scores": []},
        )

    # Referrals: the declined and the proposed ones become psychological; the first
    # done one had its appointment on 14 November (10 days), the second was marked
    # done on 9 November (4 days).
    november = Referral.objects.filter(pathway=p1, created_at__gte=paris(2026, 11, 1))
    by_day = {timezone.localtime(referral.created_at).day: referral for referral in november}
    by_day[4].appointment_on = date(2026, 11, 14)
    by_day[4].save(update_fields=["appointment_on"])
    ReferralEvent.objects.filter(referral=by_day[5], to_status="done").update(
        at=paris(2026, 11, 9, 10)
    )
    Referral.objects.filter(pk__in=[by_day[7].pk, by_day[8].pk]).update(
        care_type=CareType.objects.get(code="psychological")
    )

    # Monitoring sheets: 3 in November (one of Sud Tarn does not count), one in December.
    sheets = [
        MonitoringRecord.objects.create(pathway=pathway, author=coordinator, recorded_at=at)
        for pathway, at in [
            (p1, paris(2026, 11, 10, 10)),
            (p2, paris(2026, 11, 11, 10)),
            (p2, paris(2026, 11, 12, 10)),
            (p2, paris(2026, 12, 2, 10)),
        ]
    ]
    for record, rule, raised_at, delay in [
        (sheets[0], "fever", paris(2026, 11, 10, 10), timedelta(hours=4)),
        (sheets[0], "pain", paris(2026, 11, 10, 10), None),
        (sheets[1], "fever", paris(2026, 11, 11, 10), timedelta(hours=6)),
        (sheets[3], "fever", paris(2026, 12, 2, 10), timedelta(hours=1)),
        (None, "distress", paris(2026, 11, 15, 10), timedelta(hours=3)),
    ]:
        Alert.objects.create(
            pathway=record.pathway if record else p1,
            record=record,
            source="" if record else "assessment:1",
            rule=rule,
            severity="high",
            message="test",
            raised_at=raised_at,
            acknowledged_at=raised_at + delay if delay else None,
        )

    # Visits: Patient4 has 7 in November (6 and more).
    for day in range(1, 8):
        Visit.objects.create(
            pathway=p4, kind="phone", occurred_at=paris(2026, 11, day, 14), author=coordinator
        )

    # A second labelled structure, offering physical activity, includes Patient4.
    sport = make_service(
        cpts=activity,
        name="Maison sport santé",
        care_types=["physical_activity"],
        commune="12096",
    )
    Service.objects.get(name="Offre 0").care_types.add(CareType.objects.get(code="pain"))
    make_service(cpts=sud_tarn, name="Ailleurs", care_types=["pain"], commune="81065")
    programme = PostCancerProgramme.objects.create(
        pathway=p4,
        prescriber_role="gp",
        prescriber_name="Dr Test",
        prescribed_on=date(2026, 11, 25),
        service=sport,
        rules_version="test",
        created_by=coordinator,
    )
    ProgrammeAct.objects.create(
        programme=programme,
        kind="physical_activity_assessment",
        done_on=date(2026, 11, 28),
        amount=Decimal("180"),
    )
    ProgrammeAct.objects.create(programme=programme, kind="dietary_follow_up")
    return activity


def share(count: int, total: int) -> Figure:
    return Figure(count, numerator=count, denominator=total)


NO_MEDIAN = Figure(None, numerator=0, denominator=0)
SHEET_RULE_UNUSED = {
    "alerts": share(0, 8),
    "sheets": share(0, 3),
    "acknowledgement_hours": NO_MEDIAN,
}

EXPECTED: dict[str, list[tuple[str, dict[str, Figure]]]] = {
    # Patient1 counts once per care type, whichever of her assessments found the need.
    "needs_by_care_type": [
        ("Prise en charge de la douleur", {"found": share(1, 2), "priority": share(0, 2)}),
        (
            "Prise en charge diététique et nutritionnelle",
            {"found": share(1, 2), "priority": share(1, 2)},
        ),
        ("Prise en charge psychologique", {"found": share(1, 1), "priority": share(0, 1)}),
    ],
    # The rows add up to the single figures: 3 accepted of 4 sent, 2 done of 3 ended.
    "referrals_by_care_type": [
        (
            "Prise en charge diététique et nutritionnelle",
            {
                "referrals": Figure(3),
                "accepted": share(3, 3),
                "honoured": share(2, 3),
                "days_to_care": Figure(7.0, numerator=2, denominator=2),
            },
        ),
        (
            "Prise en charge psychologique",
            {
                "referrals": Figure(2),
                "accepted": share(0, 1),
                "honoured": share(0, 0),
                "days_to_care": NO_MEDIAN,
            },
        ),
    ],
    # 8 alerts in November: 5 pain (4 without sheet), 2 fever, 1 distress (an assessment).
    "alerts_by_rule": [
        (
            "Fièvre",
            {
                "alerts": share(2, 8),
                "sheets": share(2, 3),
                "acknowledgement_hours": Figure(5.0, numerator=2, denominator=2, p90=6.0),
            },
        ),
        ("Vomissements réfractaires", SHEET_RULE_UNUSED),
        (
            "Douleur EVA > 5",
            {
                "alerts": share(5, 8),
                "sheets": share(1, 3),
                "acknowledgement_hours": Figure(2.0, numerator=3, denominator=5, p90=30.0),
            },
        ),
        ("Problème de voie d'abord", SHEET_RULE_UNUSED),
        ("Désaturation", SHEET_RULE_UNUSED),
        ("Perte de poids ≥ 5 %", SHEET_RULE_UNUSED),
        (
            "Détresse ≥ 4",
            {
                "alerts": share(1, 8),
                "sheets": Figure(None),
                "acknowledgement_hours": Figure(3.0, numerator=1, denominator=1, p90=3.0),
            },
        ),
    ],
    # 4, 1, 2 and 7 visits.
    "visits_distribution": [
        ("1 visite", {"patients": share(1, 4)}),
        ("2 visites", {"patients": share(1, 4)}),
        ("3 visites", {"patients": share(0, 4)}),
        ("4 visites", {"patients": share(1, 4)}),
        ("5 visites", {"patients": share(0, 4)}),
        ("6 visites et plus", {"patients": share(1, 4)}),
    ],
    "aftercare_by_structure": [
        (
            "Maison sport santé",
            {
                "patients": share(1, 2),
                "acts_done": share(1, 2),
                "amount": Figure(180.0, numerator=1),
            },
        ),
        (
            "Structure labellisée",
            {
                "patients": share(1, 2),
                "acts_done": share(2, 3),
                "amount": Figure(90.0, numerator=2),
            },
        ),
        (
            "Ensemble",
            {
                "patients": share(2, 2),
                "acts_done": share(3, 5),
                "amount": Figure(270.0, numerator=3),
            },
        ),
    ],
    "aftercare_by_act": [
        (
            ActKind.PHYSICAL_ACTIVITY_ASSESSMENT.label,
            {"acts_done": share(1, 1), "amount": Figure(180.0, numerator=1)},
        ),
        (
            ActKind.DIETARY_ASSESSMENT.label,
            {"acts_done": share(2, 3), "amount": Figure(90.0, numerator=2)},
        ),
        (
            ActKind.DIETARY_FOLLOW_UP.label,
            {"acts_done": share(0, 1), "amount": Figure(0.0, numerator=0)},
        ),
    ],
    # 6 active services of the CPTS (the closed one and Sud Tarn's do not count); the
    # care types offered by none are checked apart (0 sur 6).
    "directory_by_care_type": [
        ("Prise en charge de la douleur", {"services": share(1, 6)}),
        ("Prise en charge diététique et nutritionnelle", {"services": share(5, 6)}),
        ("Activité physique", {"services": share(1, 6)}),
    ],
    "profile_age": [
        ("Moins de 18 ans", {"patients": share(0, 4)}),
        ("18 à 39 ans", {"patients": share(1, 4)}),
        ("40 à 49 ans", {"patients": share(0, 4)}),
        ("50 à 59 ans", {"patients": share(0, 4)}),
        ("60 à 69 ans", {"patients": share(1, 4)}),
        ("70 à 79 ans", {"patients": share(1, 4)}),
        ("80 ans et plus", {"patients": share(1, 4)}),
    ],
    "profile_sex": [
        ("Femme", {"patients": share(3, 4)}),
        ("Homme", {"patients": share(1, 4)}),
        ("Autre / non précisé", {"patients": share(0, 4)}),
    ],
    "profile_cancer_site": [
        ("Sein", {"patients": share(2, 4)}),
        ("Poumon", {"patients": share(1, 4)}),
        ("Non renseignée", {"patients": share(1, 4)}),
    ],
    "profile_treatments": [
        ("Chirurgie", {"patients": share(1, 4)}),
        ("Chimiothérapie", {"patients": share(2, 4)}),
        ("Radiothérapie", {"patients": share(1, 4)}),
        ("Hormonothérapie", {"patients": share(0, 4)}),
        ("Immunothérapie", {"patients": share(0, 4)}),
        ("Thérapie ciblée", {"patients": share(0, 4)}),
        ("Autre", {"patients": share(0, 4)}),
        ("Aucun traitement renseigné", {"patients": share(1, 4)}),
    ],
    # On 30 November: Patient0 chose « après », Patient4 ended on 20 November,
    # Patient1 is in treatment, Patient2's starts in December.
    "profile_phase": [
        ("Phase diagnostique", {"patients": share(1, 4)}),
        ("Traitement actif (PPS)", {"patients": share(1, 4)}),
        ("Après-cancer (PPAC)", {"patients": share(2, 4)}),
    ],
    "profile_commune": [
        ("Espalion", {"patients": share(3, 4)}),
        ("Estaing", {"patients": share(1, 4)}),
    ],
}


def table(code: str, cpts, period: str) -> list[tuple[str, dict[str, Figure]]]:
    return [(row.label, row.figures) for row in BREAKDOWNS[code].compute(cpts, parse(period))]


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_each_breakdown_on_known_data(more_activity, code):
    rows = table(code, more_activity, "2026-11")
    if code == "directory_by_care_type":
        assert len(rows) == CareType.objects.filter(active=True).count()
        assert {figures["services"] for _, figures in rows if not figures["services"].value} == {
            share(0, 6)
        }
        rows = [(label, figures) for label, figures in rows if figures["services"].value]
    assert rows == EXPECTED[code]


# Tested on questionnaires really sent and answered: test_satisfaction_breakdowns.py.
TESTED_APART = {"satisfaction_sending", "satisfaction_answers"}
# On campaigns, their visits and contact requests: outreach/tests/test_counts.py.
TESTED_APART |= {"contact_requests_by_campaign"}


def test_every_breakdown_is_tested():
    assert set(EXPECTED) | TESTED_APART == set(BREAKDOWNS)


def test_the_rows_add_up_to_the_single_figures(more_activity):
    november = parse("2026-11")
    referrals = table("referrals_by_care_type", more_activity, "2026-11")
    accepted = COMPUTATIONS["referrals_accepted"](more_activity, november)
    assert sum(f["accepted"].numerator for _, f in referrals) == accepted.numerator
    assert sum(f["accepted"].denominator for _, f in referrals) == accepted.denominator
    visits = table("visits_distribution", more_activity, "2026-11")
    per_patient = COMPUTATIONS["visits_per_patient"](more_activity, november)
    assert sum(f["patients"].numerator for _, f in visits) == per_patient.denominator
    alerts = table("alerts_by_rule", more_activity, "2026-11")
    acknowledged = COMPUTATIONS["alert_acknowledgement_hours"](more_activity, november)
    assert sum(f["alerts"].numerator for _, f in alerts) == acknowledged.denominator


def test_an_empty_period_gives_zero_denominators(more_activity):
    assert table("needs_by_care_type", more_activity, "2025-01") == []
    assert table("visits_distribution", more_activity, "2025-01")[0] == (
        "1 visite",
        {"patients": share(0, 0)},
    )
    assert table("aftercare_by_structure", more_activity, "2025-01") == [
        (
            "Ensemble",
            {"patients": share(0, 0), "acts_done": share(0, 0), "amount": Figure(0.0, numerator=0)},
        )
    ]


def test_age_is_counted_on_the_birthday():
    assert age_on(date(1946, 11, 30), date(2026, 11, 30)) == 80
    assert age_on(date(1946, 12, 1), date(2026, 11, 30)) == 79
