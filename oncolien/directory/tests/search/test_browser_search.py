"""Real headless Chromium: a patient searches near home, opens an offer, wants to correct it."""

import re

import pytest
from django.urls import reverse

from oncolien.directory.models import Contribution
from oncolien.directory.tests.factories import make_service

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_patient_finds_a_dietitian_near_her_commune_and_can_propose_a_correction(
    live_server, page, base_data, settings
):
    # Playwright fills a form faster than any person; the minimum fill time has its own tests.
    settings.ONCOLIEN_CONTRIBUTION_MIN_SECONDS = 0
    dietitian = make_service(
        cpts="cpts-nord-aveyron",
        name="Consultations de nutrition",
        organization="Claire Vidal, diététicienne",
        kind="self_employed",
        care_types=["nutrition"],
        professions=["dietitian"],
        commune="12298",  # Villecomtal, 15 km from Espalion
    )
    make_service(
        cpts="cpts-sud-tarn",
        name="Consultations de nutrition",
        organization="Diététicienne de Castres",
        care_types=["nutrition"],
        commune="81065",
    )

    page.goto(live_server.url + reverse("directory:search"))
    page.get_by_label("Mots-clés").fill("diététicienne")
    page.get_by_label("Commune ou code postal").fill("Espalion")
    page.get_by_label("Distance maximale").select_option("20")
    page.get_by_role("button", name="Rechercher").click()

    summary = page.get_by_role("status").inner_text()
    assert "1 offre trouvée dans un rayon de 20 km autour de la commune Espalion (12)" in summary
    results = page.locator("ol.results")
    assert "Claire Vidal, diététicienne" in results.inner_text()
    assert "à 15,1 km" in results.inner_text()
    assert "Castres" not in results.inner_text()

    results.get_by_role("link", name="Consultations de nutrition").click()
    page.get_by_role("heading", level=1, name="Consultations de nutrition").wait_for()
    assert "Villecomtal" in page.locator("main").inner_text()

    page.get_by_role("link", name="Proposer une correction").click()
    page.get_by_role("heading", level=1, name=re.compile("Proposer une correction")).wait_for()
    page.get_by_label("Qu'est-ce qui doit être corrigé ?").fill(
        "La diététicienne consulte aussi à Espalion le mardi."
    )
    page.get_by_role("button", name="Envoyer la proposition").click()
    page.get_by_role("heading", level=1, name="Merci pour votre proposition").wait_for()

    # Nothing is published before a coordinator of the CPTS decides.
    contribution = Contribution.objects.get()
    assert (contribution.kind, contribution.status) == ("correction", "pending")
    assert contribution.service_id == dietitian.pk
    assert contribution.cpts.slug == "cpts-nord-aveyron"
