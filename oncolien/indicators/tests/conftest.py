"""The hand-built data set of the indicators' tests (test_figures.py, test_breakdowns.py):
November 2026 in Nord Aveyron, with known answers on both engines."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from oncolien.aftercare.models import PostCancerProgramme, ProgrammeAct
from oncolien.directory.models import Contribution, Service
from oncolien.directory.tests.factories import make_service
from oncolien.pathways.models import Alert, IntakeCall, Pathway, Visit
from oncolien.pathways.services import status_change
from oncolien.pathways.tests.factories import make_pathway
from oncolien.reference.models import CareType
from oncolien.referrals.models import Referral, ReferralEvent
from oncolien.territories.models import Commune

PARIS = ZoneInfo("Europe/Paris")


def paris(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


@pytest.fixture
def activity(coordinator, outsider, nord_aveyron, sud_tarn):
    """November 2026 in Nord Aveyron: 5 pathways opened (one in October), 3 of them
    followed; 2 extra calls without inclusion; visits and alerts at set times."""
    pathways = []
    for number, first_contact in enumerate(
        [
            date(2026, 11, 2),
            date(2026, 11, 5),
            date(2026, 11, 20),
            date(2026, 11, 30),
            date(2026, 10, 31),
        ]
    ):
        pathway = make_pathway(actor=coordinator, last_name=f"Patient{number}")
        Pathway.objects.filter(pk=pathway.pk).update(first_contact_on=first_contact)
        pathways.append(Pathway.objects.get(pk=pathway.pk))
    for pathway in pathways[:3]:
        status_change(actor=coordinator, pathway=pathway, to_status="included")
        status_change(actor=coordinator, pathway=pathway, to_status="followed")
    # The October one: included in October, still followed, so in November's caseload.
    status_change(actor=coordinator, pathway=pathways[4], to_status="included")
    Pathway.objects.filter(pk=pathways[4].pk).update(included_on=date(2026, 10, 31))
    # The first one was closed on 15 November: in October's caseload, not November's end.
    status_change(
        actor=coordinator, pathway=pathways[0], to_status="closed", closing_reason="moved"
    )
    Pathway.objects.filter(pk=pathways[0].pk).update(closed_on=date(2026, 11, 15))
    Pathway.objects.filter(pk__in=[p.pk for p in pathways[:4]]).update(
        included_on=date(2026, 11, 6)
    )
    Pathway.objects.filter(pk=pathways[3].pk).update(included_on=None, status="first_contact")
    # Calls: each pathway's own call (made now by the service) is moved into its month;
    # two calls that opened nothing, one of them at 23:30 on 30 November, Paris time.
    for pathway in pathways:
        IntakeCall.objects.filter(pathway=pathway).update(
            called_at=paris(
                pathway.first_contact_on.year,
                pathway.first_contact_on.month,
                pathway.first_contact_on.day,
                10,
            )
        )
    commune = Commune.objects.get(insee_code="12096")
    for called_at, outcome in [
        (paris(2026, 11, 30, 23, 30), "not_included"),
        (paris(2026, 11, 12, 9), "out_of_territory"),
        (paris(2026, 12, 1, 0, 30), "not_included"),  # December, Paris time
    ]:
        IntakeCall.objects.create(
            cpts=nord_aveyron,
            called_at=called_at,
            channel="phone_line",
            commune=commune,
            in_territory=outcome != "out_of_territory",
            outcome=outcome,
            reason="test",
            recorded_by=coordinator,
        )
    # Another CPTS's activity never counts.
    other = make_pathway(actor=outsider, cpts=sud_tarn, commune="81065")
    Visit.objects.create(
        pathway=other,
        kind="home",
        occurred_at=paris(2026, 11, 3, 9),
        duration_minutes=600,
        author=outsider,
    )
    # Visits: 4 for the first pathway, 1 for the second, 2 for the third (one at home
    # without duration), and one in December.
    visits = [
        (0, "home", paris(2026, 11, 3, 9), 60),
        (0, "home", paris(2026, 11, 10, 9), 50),
        (0, "phone", paris(2026, 11, 12, 9), 15),
        (0, "home", paris(2026, 11, 14, 9), 70),
        (1, "office", paris(2026, 11, 7, 9), 30),
        (2, "home", paris(2026, 11, 21, 9), None),
        (2, "home", paris(2026, 11, 30, 23, 59), 40),
        (2, "home", paris(2026, 12, 1, 0, 1), 45),
    ]
    for index, kind, occurred_at, minutes in visits:
        Visit.objects.create(
            pathway=pathways[index],
            kind=kind,
            occurred_at=occurred_at,
            duration_minutes=minutes,
            author=coordinator,
        )
    # Alerts: acknowledged after 1 h, 2 h, 30 h; one never; one escalated; one in October.
    alerts = [
        (paris(2026, 11, 3, 8), timedelta(hours=1), False),
        (paris(2026, 11, 4, 8), timedelta(hours=2), False),
        (paris(2026, 11, 5, 8), timedelta(hours=30), True),
        (paris(2026, 11, 6, 8), None, True),
        (paris(2026, 10, 30, 8), timedelta(hours=5), False),
    ]
    for number, (raised_at, delay, escalated) in enumerate(alerts):
        Alert.objects.create(
            pathway=pathways[1],
            source=f"test:{number}",
            rule="pain",
            severity="high",
            message="Douleur",
            raised_at=raised_at,
            acknowledged_at=raised_at + delay if delay else None,
            escalated_at=raised_at + timedelta(hours=24) if escalated else None,
        )
    # Referrals created in November: 4 sent (3 accepted), 1 never sent; of those that
    # ended, 2 done and 1 not honoured. One of October does not count.
    care_type = CareType.objects.get(code="nutrition")
    referrals = [
        ("done", ["sent", "accepted", "appointment_set", "done"], paris(2026, 11, 4, 9)),
        ("done", ["sent", "accepted", "done"], paris(2026, 11, 5, 9)),
        ("not_honoured", ["sent", "accepted", "not_honoured"], paris(2026, 11, 6, 9)),
        ("declined", ["sent", "declined"], paris(2026, 11, 7, 9)),
        ("proposed", [], paris(2026, 11, 8, 9)),
        ("done", ["sent", "accepted", "done"], paris(2026, 10, 8, 9)),
    ]
    for status, moves, created_at in referrals:
        referral = Referral.objects.create(
            pathway=pathways[1],
            care_type=care_type,
            external_name="Diététicienne",
            status=status,
            created_by=coordinator,
            status_changed_at=created_at,
        )
        Referral.objects.filter(pk=referral.pk).update(created_at=created_at)
        for move in moves:
            ReferralEvent.objects.create(
                referral=referral, to_status=move, at=created_at, by=coordinator
            )
    # The directory of the CPTS: 3 active services verified 2025-12-15, 2026-06-01, never;
    # one verified on 2025-11-30, more than a year before 30 November 2026; one inactive.
    for number, verified_on in enumerate(
        [date(2025, 12, 15), date(2026, 6, 1), None, date(2025, 11, 30)]
    ):
        service = make_service(
            cpts=nord_aveyron, name=f"Offre {number}", care_types=["nutrition"], commune="12096"
        )
        Service.objects.filter(pk=service.pk).update(last_verified_on=verified_on)
    inactive = make_service(
        cpts=nord_aveyron, name="Fermée", care_types=["nutrition"], commune="12096"
    )
    Service.objects.filter(pk=inactive.pk).update(
        status="inactive", last_verified_on=date(2026, 11, 1)
    )
    # Post-cancer programmes prescribed in November: 3 acts, 2 done; one of October.
    structure = make_service(
        cpts=nord_aveyron, name="Structure labellisée", care_types=["nutrition"], commune="12096"
    )
    for pathway, prescribed_on, acts in [
        (pathways[1], date(2026, 11, 3), [date(2026, 11, 10), None, date(2026, 11, 20)]),
        (pathways[2], date(2026, 10, 3), [date(2026, 10, 10)]),
    ]:
        programme = PostCancerProgramme.objects.create(
            pathway=pathway,
            prescriber_role="gp",
            prescriber_name="Dr Test",
            prescribed_on=prescribed_on,
            service=structure,
            rules_version="test",
            created_by=coordinator,
        )
        for done_on in acts:
            ProgrammeAct.objects.create(
                programme=programme,
                kind="dietary_assessment",
                done_on=done_on,
                amount=Decimal("45") if done_on else None,
            )
    # Contributions decided in November: 2 accepted, 1 rejected; one still pending.
    for status, decided_at in [
        ("accepted", paris(2026, 11, 2, 9)),
        ("accepted", paris(2026, 11, 3, 9)),
        ("rejected", paris(2026, 11, 4, 9)),
        ("pending", None),
        ("accepted", paris(2026, 10, 4, 9)),
    ]:
        Contribution.objects.create(
            cpts=nord_aveyron,
            kind="new",
            sender_fingerprint="x",
            status=status,
            decided_at=decided_at,
        )
    return nord_aveyron
