"""A double click on « Enregistrer la fiche » sends the sheet once (real Chromium)."""

import re
import time

import pytest

from oncolien.accounts.models import Membership, User
from oncolien.pathways import services
from oncolien.pathways.models import Alert, MonitoringRecord
from oncolien.pathways.tests.factories import make_pathway
from oncolien.territories.models import Cpts
from tests.browser.axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "un-mot-de-passe-de-test-2026"


def test_a_double_click_saves_one_sheet_and_disables_the_button(
    live_server, page, base_data, settings, monkeypatch
):
    settings.ONCOLIEN_REQUIRE_2FA = False
    nurse = User.objects.create_user(
        username="claire.idec", password=PASSWORD, first_name="Claire", last_name="Test"
    )
    Membership.objects.create(
        user=nurse, role="coordinating_nurse", cpts=Cpts.objects.get(slug="cpts-nord-aveyron")
    )
    pathway = make_pathway(actor=nurse)

    page.goto(f"{live_server.url}/compte/connexion/")
    page.get_by_label("Identifiant").fill("claire.idec")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("button", name=re.compile("Se déconnecter")).wait_for()

    page.goto(f"{live_server.url}/parcours/{pathway.pk}/fiches/nouvelle/")
    assert_accessible(page)
    page.get_by_label("Température (°C)").fill("38,6")
    # A slow server (the sheet takes a second to save), so that the nurse clicks
    # again while the first sending is under way.
    save = services.monitoring_record_add

    def slow_save(**kwargs):
        time.sleep(3)
        return save(**kwargs)

    monkeypatch.setattr(services, "monitoring_record_add", slow_save)
    posts = []
    page.on("request", lambda request: posts.append(request) if request.method == "POST" else None)
    # What the nurse sees while the sheet is sent, kept in sessionStorage (which survives
    # the page load that follows), and her second click 100 ms after the first.
    page.evaluate(
        """() => document.addEventListener("submit", () => setTimeout(() => {
            const button = document.querySelector("main form button[type=submit]");
            sessionStorage.setItem("sending", JSON.stringify([button.disabled, button.textContent]));
            button.click();
        }, 100))"""
    )
    page.get_by_role("button", name="Enregistrer la fiche").click()

    page.get_by_text("Fiche de surveillance enregistrée.").wait_for()
    assert_accessible(page)
    assert page.evaluate('() => JSON.parse(sessionStorage.getItem("sending"))') == [
        True,
        "Enregistrement en cours…",
    ]
    assert len(posts) == 1
    assert MonitoringRecord.objects.filter(pathway=pathway).count() == 1
    assert Alert.objects.filter(pathway=pathway).count() == 1
