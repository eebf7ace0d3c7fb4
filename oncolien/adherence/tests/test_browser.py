"""In a real headless Chromium: the coordinating nurse records a contact of the
hormone-therapy follow-up from the pathway page — first with a mistake, refused in
French, then a stop of the treatment that raises the alert on her worklist. axe-core
checks every page visited (conftest)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from oncolien.accounts.models import Membership, User
from oncolien.adherence.models import AdherenceContact
from oncolien.adherence.tests.helpers import make_plan
from oncolien.pathways.models import Alert
from oncolien.pathways.tests.factories import make_pathway
from oncolien.territories.models import Cpts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "un-mot-de-passe-de-test-2026"


def _nurse() -> User:
    user = User.objects.create_user(
        username="claire.idec",
        password=PASSWORD,
        first_name="Claire",
        last_name="Test",
        email="claire.idec@test.invalid",
    )
    Membership.objects.create(
        user=user, role="coordinating_nurse", cpts=Cpts.objects.get(slug="cpts-nord-aveyron")
    )
    return user


def test_the_nurse_records_a_contact_on_the_pathway_page_and_sees_the_stop_alert(
    live_server, page, base_data, settings
):
    settings.ONCOLIEN_REQUIRE_2FA = False
    nurse = _nurse()
    pathway = make_pathway(actor=nurse, last_name="Bernard", first_name="Lucie")
    make_plan(actor=nurse, pathway=pathway)

    page.goto(f"{live_server.url}/compte/connexion/")
    page.get_by_label("Identifiant").fill("claire.idec")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("button", name=re.compile("Se déconnecter")).wait_for()

    page.goto(f"{live_server.url}/parcours/{pathway.pk}/#observance")
    panel = page.locator("#observance")
    panel.get_by_role("heading", name="Suivi de l'hormonothérapie").wait_for()
    panel.get_by_text("Enregistrer un contact de suivi").click()
    # A stop without its date nor who decided it.
    panel.get_by_role("group", name="Le traitement est-il arrêté ?").get_by_label("Oui").check()
    panel.get_by_label("Bouffées de chaleur").select_option(label="Modérée")
    panel.get_by_role("button", name="Enregistrer le contact").click()
    page.get_by_text("Indiquez depuis quand le traitement est arrêté.").first.wait_for()
    assert page.get_by_text("rien n'a été enregistré").count() == 1
    assert not AdherenceContact.objects.filter(done_at__isnull=False).exists()

    # The form comes back with what she typed; she completes it.
    since = (timezone.localdate() - timedelta(days=7)).isoformat()
    page.get_by_label("Si arrêté : depuis le").fill(since)
    page.get_by_label("Si arrêté : décidé par").select_option(
        label="Le patient ou la patiente, seul·e"
    )
    page.get_by_label("Douleurs articulaires").select_option(label="Sévère")
    page.get_by_label("Notes").fill("Arrêt à cause des douleurs articulaires.")
    page.get_by_role("button", name="Enregistrer le contact").click()
    page.get_by_text(re.compile("Alerte levée et signalée à l'équipe")).wait_for()
    history = page.locator("#observance table")
    history.get_by_text("Arrêté").wait_for()
    assert "Bouffées de chaleur (modérée), Douleurs articulaires (sévère)" in history.inner_text()

    page.goto(f"{live_server.url}/parcours/")
    page.get_by_role("cell", name=re.compile("Hormonothérapie \\(Tamoxifène\\) arrêtée")).wait_for()
    assert Alert.objects.get().rule == "adherence_stop"
