"""What each campaign brought, counted: on its page (since it began) and in the
indicators' breakdown « demandes de contact par campagne » (per period)."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from oncolien.indicators.breakdowns import BREAKDOWNS
from oncolien.indicators.definitions import current
from oncolien.indicators.figures import Figure
from oncolien.indicators.periods import PARIS, parse
from oncolien.outreach import selectors, services
from oncolien.outreach.models import CampaignVisitDay, ContactRequest
from oncolien.outreach.tests.factories import make_campaign
from oncolien.pathways import services as pathway_services
from oncolien.pathways.models import IntakeCall
from oncolien.territories.models import Commune

pytestmark = pytest.mark.django_db


def _request(campaign, at: datetime) -> ContactRequest:
    request = services.contact_request_submit(
        campaign=campaign,
        name="Jeanne Martin",
        phone="0612345678",
        commune="Espalion",
        preferred_time="any",
        consent=True,
        client_ip=f"192.0.2.{ContactRequest.objects.count() + 1}",
    )
    ContactRequest.objects.filter(pk=request.pk).update(created_at=at)
    return request


def _intake(actor, campaign, *, included: bool, at: datetime) -> IntakeCall:
    espalion = Commune.objects.get(insee_code="12096")
    if included:
        pathway = pathway_services.intake_create(
            actor=actor,
            cpts=campaign.cpts,
            patient={
                "last_name": "Martin",
                "first_name": "Jeanne",
                "birth_date": date(1960, 1, 1),
                "sex": "F",
                "commune": espalion,
            },
            intake_channel="patient",
            first_contact_on=at.date(),
            source=campaign.source,
        )
        call = IntakeCall.objects.get(pathway=pathway)
    else:
        call = pathway_services.intake_call_record(
            actor=actor,
            cpts=campaign.cpts,
            channel="patient",
            commune=espalion,
            outcome="not_included",
            reason="Demande d'information seule",
            source=campaign.source,
        )
    IntakeCall.objects.filter(pk=call.pk).update(called_at=at)
    return call


def test_each_campaign_counts_its_visits_requests_intakes_and_pathways(
    coordinator, coordinating_nurse
):
    radiology = make_campaign(actor=coordinator)
    pharmacy = make_campaign(actor=coordinator, name="pharmacie Bozouls")
    november = datetime(2026, 11, 10, 10, tzinfo=PARIS)
    october = datetime(2026, 10, 31, 23, 30, tzinfo=PARIS)  # 22:30 UTC: still October
    for _ in range(3):
        services.campaign_visit_count(radiology)
    CampaignVisitDay.objects.filter(campaign=radiology).update(day=november.date())
    CampaignVisitDay.objects.create(campaign=radiology, day=october.date(), count=5)
    _request(radiology, november)
    _request(radiology, november + timedelta(days=1))
    _request(radiology, october)
    _request(pharmacy, november)
    _intake(coordinating_nurse, radiology, included=True, at=november)
    _intake(coordinating_nurse, radiology, included=False, at=november)
    _intake(coordinating_nurse, pharmacy, included=False, at=october)
    # A call from no campaign counts for none.
    pathway_services.intake_call_record(
        actor=coordinating_nurse,
        cpts=radiology.cpts,
        channel="phone_line",
        commune=Commune.objects.get(insee_code="12096"),
        outcome="not_included",
        reason="Information",
    )

    since_start = selectors.campaign_counts(user=coordinator, campaigns=[radiology, pharmacy])
    assert since_start[radiology.pk] == selectors.CampaignCounts(
        visits=8, contact_requests=3, called_back=0, intakes=2, pathways=1
    )
    assert since_start[pharmacy.pk] == selectors.CampaignCounts(
        visits=0, contact_requests=1, called_back=0, intakes=1, pathways=0
    )

    rows = BREAKDOWNS["contact_requests_by_campaign"].compute(radiology.cpts, parse("2026-11"))
    assert [(row.label, row.figures) for row in rows] == [
        (
            "pharmacie Bozouls",
            {
                "visits": Figure(0),
                "requests": Figure(1),
                "intakes": Figure(0),
                "pathways": Figure(0),
            },
        ),
        (
            "radiologie Espalion",
            {
                "visits": Figure(3),
                "requests": Figure(2),
                "intakes": Figure(2),
                "pathways": Figure(1),
            },
        ),
    ]


def test_the_breakdown_is_defined_in_the_indicators_data():
    definitions = current()
    breakdown = next(b for b in definitions.breakdowns if b.code == "contact_requests_by_campaign")
    assert breakdown.name == "Demandes de contact par campagne"


def test_a_request_is_erased_a_month_after_its_call_and_still_counted(
    coordinator, coordinating_nurse
):
    campaign = make_campaign(actor=coordinator)
    now = timezone.now()
    called = _request(campaign, now - timedelta(days=40))
    services.contact_request_called_back(actor=coordinating_nurse, request=called)
    ContactRequest.objects.filter(pk=called.pk).update(called_back_at=now - timedelta(days=31))
    recent = _request(campaign, now - timedelta(days=2))
    forgotten = _request(campaign, now - timedelta(days=366))

    assert services.contact_requests_erase(now=now) == 2
    assert services.contact_requests_erase(now=now) == 0
    called.refresh_from_db()
    forgotten.refresh_from_db()
    recent.refresh_from_db()
    assert (called.name, called.phone, called.erased_at) == ("", "", now)
    assert forgotten.name == "" and forgotten.erased_at == now
    assert recent.name == "Jeanne Martin" and recent.erased_at is None
    # The forgotten one leaves the worklist; the campaign still counts all three.
    assert list(selectors.contact_requests_waiting(user=coordinating_nurse)) == [recent]
    counts = selectors.campaign_counts(user=coordinator, campaigns=[campaign])[campaign.pk]
    assert counts.contact_requests == 3


def test_the_erasure_runs_daily_in_the_task_queue():
    from huey.contrib.djhuey import HUEY

    from oncolien.outreach.tasks import erase_contact_requests

    assert any(task.name == erase_contact_requests.name for task in HUEY._registry.periodic_tasks)
