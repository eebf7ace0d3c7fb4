"""Helpers of the curation, contribution and moderation tests."""

import html
import time

import pytest

from oncolien.directory.contributions import service_proposal
from oncolien.directory.forms import started_token
from oncolien.directory.tests.factories import make_service

NORD_AVEYRON = "cpts-nord-aveyron"


def page_text(response) -> str:
    """The page as a reader sees its characters (entities decoded)."""
    return html.unescape(response.content.decode())


def as_post(values: dict) -> dict:
    """Form data as a browser sends it: unchecked boxes absent, None as empty."""
    data = {}
    for name, value in values.items():
        if value is True:
            data[name] = "on"
        elif value is False:
            continue
        elif value is None:
            data[name] = ""
        else:
            data[name] = value
    return data


def opened_a_minute_ago() -> dict:
    """The hidden fields of a contribution form opened by a person a minute ago."""
    return {"started": started_token(time.time() - 60), "homepage": ""}


@pytest.fixture
def dietetics(base_data):
    """A published service of CPTS Nord Aveyron, in Espalion."""
    return make_service(
        cpts=NORD_AVEYRON,
        name="Consultations diététiques",
        organization="Cabinet de diététique du Lot",
        kind="self_employed",
        care_types=["nutrition"],
        professions=["dietitian"],
        commune="12096",
        description="Consultations individuelles pendant et après les traitements.",
    )


@pytest.fixture
def new_offer_data():
    """A complete proposal of a new offer, as the public form sends it."""
    return {
        "organization_name": "Marche Nordique Vallée du Lot",
        "organization_kind": "association",
        "name": "Marche nordique santé",
        "description": "Séances encadrées le mardi matin, bâtons prêtés.",
        "care_types": ["physical_activity"],
        "professions": ["apa_teacher"],
        "for_patients": "on",
        "phase_treatment": "on",
        "phase_after_treatment": "on",
        "access": "direct",
        "cost": "free",
        "address": "Place du Foirail",
        "postal_code": "12500",
        "commune": "Espalion",
        "phone": "05 65 44 12 34",
        "email": "",
        "url": "",
        "message": "Vu sur une affiche à la maison de santé.",
        "contributor_name": "Martine",
        "contributor_email": "martine@example.org",
        **opened_a_minute_ago(),
    }


@pytest.fixture
def correction_data(dietetics):
    """The correction form of `dietetics` as it is prefilled, unchanged."""
    return {**as_post(service_proposal(dietetics)), **opened_a_minute_ago()}
