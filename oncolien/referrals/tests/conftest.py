"""Referral test data: a pathway of CPTS Nord Aveyron (patient in Espalion) taken by
the coordinating nurse, and directory services around it, all through real services."""

import pytest

from oncolien.directory.models import Organization
from oncolien.directory.tests.factories import make_service
from oncolien.pathways.tests.factories import make_pathway
from oncolien.reference.models import CareType
from oncolien.referrals import services
from oncolien.referrals.services import Answer

ESPALION = "12096"
PROVIDER_EMAIL = "dieteticienne.nord@test.invalid"  # the `provider` persona's e-mail


@pytest.fixture
def pathway(coordinating_nurse):
    return make_pathway(
        actor=coordinating_nurse, last_name="Durand", first_name="Jeanne", phone="0612345678"
    )


@pytest.fixture
def nutrition(base_data):
    return CareType.objects.get(code="nutrition")


@pytest.fixture
def dietitian(base_data):
    """A dietitian in Espalion whose organisation's e-mail is the provider persona's."""
    service = make_service(
        cpts="cpts-nord-aveyron",
        name="Consultation diététique",
        organization="Cabinet de diététique d'Espalion",
        care_types=["nutrition"],
        commune=ESPALION,
        cost="remaining_cost",
        remaining_cost_amount="25.00",
    )
    Organization.objects.filter(pk=service.organization_id).update(email=PROVIDER_EMAIL)
    service.organization.refresh_from_db()
    return service


@pytest.fixture
def make_referral(coordinating_nurse, pathway, nutrition, dietitian):
    """A referral of the pathway walked to `status` through legal moves of the team."""

    paths = {
        "proposed": [],
        "sent": ["sent"],
        "accepted": ["sent", "accepted"],
        "declined": ["sent", "declined"],
        "appointment_set": ["sent", "accepted", "appointment_set"],
        "done": ["sent", "accepted", "appointment_set", "done"],
        "not_honoured": ["sent", "accepted", "not_honoured"],
        "cancelled": ["cancelled"],
    }

    def _make(status: str = "proposed"):
        referral = services.referral_create(
            actor=coordinating_nurse, pathway=pathway, care_type=nutrition, service=dietitian
        )
        for step in paths[status]:
            services.referral_transition(
                actor=coordinating_nurse,
                referral=referral,
                answer=Answer(
                    step, reason="motif de test", appointment_on=_date(), appointment_time=_time()
                ),
            )
        return referral

    return _make


def _date():
    # The day before: « done » is accepted from the appointment's day on.
    from datetime import timedelta

    from django.utils import timezone

    return timezone.localdate() - timedelta(days=1)


def _time():
    from datetime import time

    return time(14, 30)
