"""A rich pathway of CPTS Nord Aveyron (the route sweep's world: visit, sheet and
alert, report, assessment and patient link, referral, post-cancer programme), with
a phone number, a link sent by e-mail to the patient and opened from her phone."""

from dataclasses import dataclass

import pytest

from oncolien.assessments.services import link_issue, link_open
from oncolien.audit.context import RequestOrigin, reset_origin, set_origin
from oncolien.pathways.models import Pathway
from oncolien.pathways.services import status_change
from tests.routes.world import PATIENT_FIRST_NAME, PATIENT_LAST_NAME, World, build_world

PATIENT_PHONE = "06 98 76 54 32"
PATIENT_EMAIL = "hortense.fabregue@patiente.invalid"
PATIENT_IP = "203.0.113.77"


@dataclass
class Patient:
    world: World
    pathway: Pathway
    last_name: str = PATIENT_LAST_NAME
    first_name: str = PATIENT_FIRST_NAME
    phone: str = PATIENT_PHONE
    email: str = PATIENT_EMAIL


def _issue_and_open_link(nurse, pathway):
    issued = link_issue(
        actor=nurse,
        pathway=pathway,
        instrument_code="distress-thermometer",
        channel="email",
        email=PATIENT_EMAIL,
        build_url=lambda token: f"https://oncolien.test/evaluations/lien/{token}/",
    )
    token = set_origin(RequestOrigin(ip_address=PATIENT_IP, user_agent="Mobile Safari 18"))
    try:
        link_open(issued.token)
    finally:
        reset_origin(token)


@pytest.fixture
def patient(coordinator, coordinating_nurse, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        world = build_world(coordinator=coordinator, coordinating_nurse=coordinating_nurse)
    pathway = world.pathway
    pathway.patient.phone = PATIENT_PHONE
    pathway.patient.address = "3 chemin des Fabrègue, Espalion"
    pathway.patient.save()
    with django_capture_on_commit_callbacks(execute=True):
        _issue_and_open_link(coordinating_nurse, pathway)
    return Patient(world=world, pathway=pathway)


def close(pathway, actor):
    pathway.refresh_from_db()
    for step in ("included", "followed", "closed"):
        if pathway.status != "closed":
            pathway = status_change(
                actor=actor,
                pathway=pathway,
                to_status=step,
                closing_reason="end_of_follow_up" if step == "closed" else "",
                note="Fin du suivi de Mme Fabrègue" if step == "closed" else "",
            )
    return pathway
