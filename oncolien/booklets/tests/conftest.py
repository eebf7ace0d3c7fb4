"""Booklet test data: a pathway of CPTS Nord Aveyron taken by the coordinating nurse,
with an oncologist, a chemotherapy, the CPTS's contacts after the announcement and a
dietitian appointment to come, all through the real services."""

from datetime import date, time, timedelta

import pytest
from django.utils import timezone

from oncolien.contacts.services import contact_save
from oncolien.directory.tests.factories import make_service
from oncolien.pathways.services import care_team_add, treatment_add
from oncolien.pathways.tests.factories import make_pathway
from oncolien.reference.models import CareType
from oncolien.referrals.services import Answer, referral_create, referral_transition

APPOINTMENT_TIME = time(14, 30)


def appointment_day() -> date:
    return timezone.localdate() + timedelta(days=9)


@pytest.fixture
def pathway(coordinating_nurse, coordinator, nord_aveyron):
    pathway = make_pathway(actor=coordinating_nurse, last_name="Durand", first_name="Jeanne")
    care_team_add(
        actor=coordinating_nurse,
        pathway=pathway,
        role="oncologist",
        name="Dr Paul Costes",
        phone="05 36 49 30 01",
    )
    treatment_add(
        actor=coordinating_nurse,
        pathway=pathway,
        kind="chemotherapy",
        started_on=date(2026, 11, 3),
        ended_on=date(2027, 2, 15),
        notes="6 cures",
    )
    contact_save(
        actor=coordinator,
        cpts=nord_aveyron,
        kind="day_hospital",
        name="Hôpital de jour d'oncologie",
        establishment="Centre hospitalier de Rodez",
        phone="05 36 49 21 01",
        hours="du lundi au vendredi, 9 h – 17 h",
        position=10,
    )
    dietitian = make_service(
        cpts="cpts-nord-aveyron",
        name="Consultation diététique",
        organization="Cabinet de diététique d'Espalion",
        care_types=["nutrition"],
        commune="12096",
    )
    referral = referral_create(
        actor=coordinating_nurse,
        pathway=pathway,
        care_type=CareType.objects.get(code="nutrition"),
        service=dietitian,
    )
    for step in ("sent", "accepted", "appointment_set"):
        referral_transition(
            actor=coordinating_nurse,
            referral=referral,
            answer=Answer(
                step, appointment_on=appointment_day(), appointment_time=APPOINTMENT_TIME
            ),
        )
    return pathway
