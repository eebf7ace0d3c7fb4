"""The coordinator exercises a patient's data rights in Chromium, from the pathway page:
an export prepared by the queue and downloaded, a rectification of the identity, the
anonymisation refused while the pathway is open, the retention rule's page; and she
revokes a provider's referral link, which then answers 410 without patient data.

Every page loaded is checked by axe-core (the `_axe_on_every_page` fixture)."""

import json
import os
import re
from pathlib import Path

import pytest

from oncolien.accounts.demo import load_demo_accounts
from oncolien.accounts.models import User
from oncolien.directory.tests.factories import make_service
from oncolien.pathways.models import Patient
from oncolien.pathways.tests.factories import make_pathway
from oncolien.reference.models import CareType
from oncolien.referrals import provider_links, services
from oncolien.referrals.models import Referral
from oncolien.referrals.services import Answer
from tests.browser.login import log_in
from tests.queue import run_the_queue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COORDINATOR = "coordination.nord-aveyron"


def _screenshot(page, name: str) -> None:
    folder = os.environ.get("ONCOLIEN_SCREENSHOTS")
    if folder:  # to look at the page as the persona saw it
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)


@pytest.fixture
def coordinator(base_data, settings):
    settings.ONCOLIEN_REQUIRE_2FA = False
    load_demo_accounts()
    return User.objects.get(username=COORDINATOR)


def test_export_rectification_and_anonymisation_from_the_pathway_page(
    live_server, page, coordinator, queue
):
    pathway = make_pathway(
        actor=coordinator, last_name="Fabrègue", first_name="Hortense", phone="0698765432"
    )
    log_in(page, live_server, COORDINATOR)
    page.goto(f"{live_server.url}/parcours/{pathway.pk}/")
    rights = page.get_by_role("region", name="Droits du patient sur ses données (RGPD)")

    # Right of access: asked on the page, prepared by the queue, downloaded.
    rights.get_by_role("link", name=re.compile("Exporter toutes les données")).click()
    page.get_by_role("heading", level=1, name=re.compile("Export des données")).wait_for()
    assert "Aucun export n'a encore été demandé" in page.content()
    page.get_by_role("button", name="Préparer un export (PDF et JSON)").click()
    page.get_by_text("L'export est en préparation").wait_for()
    assert "en préparation" in page.get_by_role("table").inner_text()
    assert page.get_by_role("link", name=re.compile("^JSON")).count() == 0
    assert run_the_queue(queue) == 1
    page.get_by_role("link", name="Actualiser la liste").click()
    page.get_by_role("link", name=re.compile("^JSON")).wait_for()
    assert "prêt" in page.get_by_role("table").inner_text()
    _screenshot(page, "privacy-exports")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("^JSON")).click()
    document = json.loads(Path(download_info.value.path()).read_text())
    sections = {s["clé"]: s for s in document["sections"]}
    assert sections["patient"]["lignes"][0]["last_name"] == "Fabrègue"

    # Rectification: the phone corrected, with its reason.
    page.get_by_role("link", name=re.compile("Retour au parcours")).click()
    rights.get_by_role("link", name="Rectifier l'identité du patient").click()
    page.get_by_label("Téléphone").fill("0611223344")
    page.get_by_role("button", name="Enregistrer la rectification").click()
    # The reason is required: the browser keeps the form, nothing changes without it.
    reason = page.get_by_label("Motif de la rectification")
    assert reason.evaluate("field => field.validity.valueMissing")
    assert Patient.objects.get(pk=pathway.patient_id).phone == "0698765432"
    page.get_by_label("Téléphone").fill("0611223344")
    page.get_by_label("Motif de la rectification").fill(
        "Numéro corrigé à la demande de la patiente"
    )
    page.get_by_role("button", name="Enregistrer la rectification").click()
    page.get_by_text("L'identité du patient a été rectifiée.").wait_for()
    assert Patient.objects.get(pk=pathway.patient_id).phone == "0611223344"

    # Anonymisation: refused in French while the pathway is open, nothing erased.
    rights.get_by_role("link", name=re.compile("Anonymiser les données")).click()
    page.get_by_label("Motif").select_option(index=1)
    page.get_by_label(re.compile("Je confirme l'anonymisation")).check()
    page.get_by_role("button", name="Anonymiser définitivement").click()
    page.get_by_text(re.compile("clôtur")).first.wait_for()
    _screenshot(page, "privacy-anonymise-refused")
    assert Patient.objects.get(pk=pathway.patient_id).last_name == "Fabrègue"

    # The retention rule's page, counts only.
    page.goto(f"{live_server.url}/confidentialite/conservation/")
    page.get_by_role("heading", level=1, name="Règle de conservation des données").wait_for()
    assert "ans après son dernier contact" in page.content()


def test_the_coordinator_revokes_a_provider_link_which_then_answers_410(
    live_server, page, coordinator, browser
):
    pathway = make_pathway(actor=coordinator, last_name="Durand", first_name="Jeanne")
    service = make_service(
        cpts="cpts-nord-aveyron",
        name="Consultation diététique",
        care_types=["nutrition"],
        commune="12096",
    )
    referral = services.referral_create(
        actor=coordinator,
        pathway=pathway,
        care_type=CareType.objects.get(code="nutrition"),
        service=service,
    )
    services.referral_transition(actor=coordinator, referral=referral, answer=Answer("sent"))
    old_link = f"{live_server.url}{provider_links.link_for(Referral.objects.get(pk=referral.pk))}"

    # The provider's browser: the link opens, with the patient's first name.
    provider = browser.new_context()
    try:
        provider_page = provider.new_page()
        provider_page.goto(old_link)
        assert "Jeanne D." in provider_page.content()

        log_in(page, live_server, COORDINATOR)
        page.goto(f"{live_server.url}/orientations/{referral.pk}/")
        page.get_by_role("button", name="Révoquer ce lien").click()
        page.get_by_text("a été révoqué : il ne fonctionne plus").wait_for()
        _screenshot(page, "referral-link-revoked")
        # A new link replaces it (the referral still waits for an answer).
        new_link = page.get_by_role("link", name=re.compile("orientations.reponse"))
        assert new_link.get_attribute("href") not in ("", old_link)

        answer = provider_page.goto(old_link)
        assert answer is not None and answer.status == 410
        assert "Ce lien ne fonctionne plus" in provider_page.content()
        assert "Jeanne" not in provider_page.content()
    finally:
        provider.close()
