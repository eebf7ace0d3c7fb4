"""Lists and checks are one rule: for every permission that scopes objects, each
persona's `visible()` list holds exactly the objects `is_allowed()` grants them.

A list built by hand beside the rule (as `pathways_visible_to` was) could show
what a check refuses, or hide what it allows; this test fails the day they differ.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from oncolien.accounts.authorization import PERMISSIONS, is_allowed, visible
from oncolien.accounts.models import User
from oncolien.directory.models import Organization
from oncolien.directory.tests.factories import make_service
from oncolien.outreach.models import Campaign, ContactRequest
from oncolien.pathways import services as pathway_services
from oncolien.pathways.models import Alert, IntakeCall, Pathway
from oncolien.pathways.tests.factories import make_pathway
from oncolien.practices.models import Practice, Status
from oncolien.practices.tests.factories import make_practice
from oncolien.reference.models import CareType
from oncolien.referrals import services as referral_services
from oncolien.referrals.models import Referral
from oncolien.referrals.services import Answer
from oncolien.territories.models import Cpts
from oncolien.trainings.models import Event

pytestmark = pytest.mark.django_db

PERSONAS = [
    "coordinator",
    "coordinating_nurse",
    "community_nurse",
    "physician",
    "provider",
    "regional",
    "administrator",
    "outsider",
]


@pytest.fixture
def world(request, coordinating_nurse, community_nurse, provider, outsider):
    """Pathways of two CPTS, one with the community nurse on its team; referrals to a
    service whose organisation writes from the provider's address, and to another."""
    followed = make_pathway(actor=coordinating_nurse, last_name="Suivi")
    other = make_pathway(actor=coordinating_nurse, last_name="Autre")
    tarn = make_pathway(actor=outsider, cpts="cpts-sud-tarn", commune="81065", last_name="Tarnais")
    # An alert on each pathway (who may acknowledge it is a rule too).
    for pathway, author in (
        (followed, coordinating_nurse),
        (other, coordinating_nurse),
        (tarn, outsider),
    ):
        pathway_services.monitoring_record_add(
            actor=author, pathway=pathway, values={"temperature_c": "39"}
        )
    pathway_services.care_team_add(
        actor=coordinating_nurse, pathway=followed, user=community_nurse, role="community_nurse"
    )
    nutrition = CareType.objects.get(code="nutrition")
    mine = make_service(
        cpts="cpts-nord-aveyron", name="Diététique", care_types=["nutrition"], commune="12096"
    )
    Organization.objects.filter(pk=mine.organization_id).update(email=provider.email)
    other = make_service(
        cpts="cpts-nord-aveyron", name="Autre diététique", care_types=["nutrition"], commune="12096"
    )
    for service in (mine, other):
        referral = referral_services.referral_create(
            actor=coordinating_nurse, pathway=followed, care_type=nutrition, service=service
        )
        referral_services.referral_transition(
            actor=coordinating_nurse, referral=referral, answer=Answer("sent")
        )
    # Practices of both CPTS at each step of their review.
    for cpts in Cpts.objects.filter(slug__in=["cpts-nord-aveyron", "cpts-sud-tarn"]):
        for status in (Status.DRAFT, Status.SUBMITTED, Status.PUBLISHED):
            make_practice(cpts, title=f"{cpts.name} {status}", status=status)
    # Events of both CPTS and of two regions, public and private (the calendar).
    start = timezone.now() + timedelta(days=3)
    for cpts in Cpts.objects.filter(slug__in=["cpts-nord-aveyron", "cpts-sud-tarn"]):
        for public in (True, False):
            Event.objects.create(
                cpts=cpts,
                title="É",
                organiser="O",
                starts_at=start,
                ends_at=start + timedelta(hours=1),
                place="Ici",
                is_public=public,
                created_by=outsider,
            )
    for region in ("76", "93"):
        Event.objects.create(
            region_code=region,
            title="R",
            organiser="O",
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            remote=True,
            created_by=outsider,
        )
    # A campaign of each CPTS, each with a contact request.
    for cpts, author in (("cpts-nord-aveyron", coordinating_nurse), ("cpts-sud-tarn", outsider)):
        campaign = Campaign.objects.create(
            cpts=Cpts.objects.get(slug=cpts), name="radiologie", created_by=author
        )
        ContactRequest.objects.create(
            campaign=campaign,
            name="Demande",
            phone="06 12 34 56 78",
            commune=campaign.cpts.communes.first(),
            preferred_time="any",
            consented_at=timezone.now(),
            sender_fingerprint="test",
        )
    return {name: request.getfixturevalue(name) for name in PERSONAS}


MODELS = {
    "practices.practice": Practice,
    "pathways.pathway": Pathway,
    "pathways.intakecall": IntakeCall,
    "pathways.alert": Alert,
    "referrals.referral": Referral,
    "directory.organization": Organization,
    "territories.cpts": Cpts,
    "trainings.event": Event,
    "outreach.campaign": Campaign,
    "outreach.contactrequest": ContactRequest,
}
SCOPED = sorted(name for name, rule in PERMISSIONS.items() if rule.model)


def test_every_rule_that_scopes_objects_is_checked_here():
    assert {PERMISSIONS[name].model for name in SCOPED} <= set(MODELS)
    assert "pathway.read" in SCOPED and "referral.respond" in SCOPED


@pytest.mark.parametrize("permission", SCOPED)
def test_the_list_is_exactly_what_the_check_allows(world, permission):
    model = MODELS[PERMISSIONS[permission].model]
    objects = list(model.objects.all())
    assert objects, "the world must hold objects of every scoped model"
    for name, user in world.items():
        listed = set(visible(user, permission, model.objects.all()).values_list("pk", flat=True))
        allowed = {obj.pk for obj in objects if is_allowed(user, permission, obj)}
        assert listed == allowed, f"{permission} for {name}"


def test_a_community_nurse_sees_only_the_pathway_she_is_on(world):
    nurse = world["community_nurse"]
    assert list(
        visible(nurse, "pathway.read", Pathway.objects.all()).values_list(
            "patient__last_name", flat=True
        )
    ) == ["Suivi"]


def test_an_unverified_session_sees_nothing(world):
    nurse = User.objects.get(pk=world["coordinating_nurse"].pk)  # no second factor
    assert not visible(nurse, "pathway.read", Pathway.objects.all()).exists()


def test_a_rule_refuses_a_queryset_of_another_model(world):
    with pytest.raises(ValueError):
        visible(world["coordinator"], "pathway.read", Referral.objects.all())
