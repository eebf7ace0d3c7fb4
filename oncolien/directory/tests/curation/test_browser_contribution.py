"""Real headless Chromium: a patient proposes a correction of a published offer."""

import re

import pytest
from django.urls import reverse

from oncolien.directory.models import Contribution
from oncolien.directory.selectors import services_public
from oncolien.directory.tests.factories import make_service

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_patient_proposes_a_correction_and_nothing_is_published(
    live_server, page, base_data, settings
):
    # Playwright fills a form faster than any person; the minimum fill time has its own tests.
    settings.ONCOLIEN_CONTRIBUTION_MIN_SECONDS = 0
    service = make_service(
        cpts="cpts-nord-aveyron",
        name="Consultations diététiques",
        organization="Cabinet de diététique du Lot",
        kind="self_employed",
        care_types=["nutrition"],
        professions=["dietitian"],
        commune="12096",
    )

    page.goto(live_server.url + reverse("directory:service_detail", kwargs={"pk": service.pk}))
    page.get_by_role("link", name="Proposer une correction").click()

    page.get_by_role("heading", level=1, name="Proposer une correction").wait_for()
    assert page.get_by_label(re.compile(r"^Commune")).input_value() == "Espalion (12096)"
    page.get_by_label(re.compile(r"^Téléphone")).fill("05 65 48 00 11")
    page.get_by_label("Qu'est-ce qui doit être corrigé ?").fill(
        "Le cabinet a changé de numéro en janvier."
    )
    page.get_by_label("Votre courriel").fill("patiente@example.org")
    page.get_by_role("button", name="Envoyer la proposition").click()

    page.get_by_role("heading", level=1, name="Merci pour votre proposition").wait_for()
    assert "va la relire" in page.locator("main").inner_text()
    contribution = Contribution.objects.get()
    assert (contribution.kind, contribution.status) == ("correction", "pending")
    assert contribution.service_id == service.pk
    assert contribution.proposal["phone"] == "05 65 48 00 11"
    assert contribution.contributor_email == "patiente@example.org"
    assert services_public().get(pk=service.pk).phone == ""


def test_the_honeypot_is_out_of_reach_of_keyboard_and_screen_readers(live_server, page, base_data):
    page.goto(
        live_server.url + reverse("directory:contribute_new", kwargs={"slug": "cpts-nord-aveyron"})
    )
    trap = page.locator("input[name=homepage]")
    assert trap.get_attribute("tabindex") == "-1"
    box = trap.bounding_box()
    assert box["x"] + box["width"] <= 0  # off-screen
    # Absent from the accessibility tree: no field of that name can be found by its label.
    assert page.get_by_role("textbox", name="Ne pas remplir").count() == 0
