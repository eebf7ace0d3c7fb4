"""The visit report in a real headless Chromium: the coordinating nurse writes her
conclusion, sends the report to the GP given at intake, and the page says what was
sent, to whom and how. The GP's MSSanté server is a real local SMTP server over TLS
that requires the operator's client certificate. axe-core checks every page visited."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from oncolien.accounts.models import Membership, User
from oncolien.pathways.services import monitoring_record_add, visit_add
from oncolien.pathways.tests.factories import make_pathway
from oncolien.territories.models import Cpts
from tests.mss_server import configured_server, make_certificates

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "un-mot-de-passe-de-test-2026"
GP_MSS = "paul.roux@medecin.mssante.fr"


@pytest.fixture
def mss_server(tmp_path, settings):
    with configured_server(make_certificates(tmp_path), settings) as server:
        yield server


def test_the_nurse_concludes_and_sends_the_report_to_the_gp_by_secure_messaging(
    live_server, page, base_data, settings, mss_server
):
    settings.ONCOLIEN_REQUIRE_2FA = False
    idec = User.objects.create_user(
        username="claire.idec",
        password=PASSWORD,
        first_name="Claire",
        last_name="Test",
        email="claire.idec@test.invalid",
        phone="06 12 34 56 78",
    )
    Membership.objects.create(
        user=idec, role="coordinating_nurse", cpts=Cpts.objects.get(slug="cpts-nord-aveyron")
    )
    pathway = make_pathway(
        actor=idec, gp_name="Dr Paul Roux", gp_phone="05 65 44 00 00", gp_mssante_address=GP_MSS
    )
    visit = visit_add(
        actor=idec,
        pathway=pathway,
        kind="home",
        occurred_at=timezone.now() - timedelta(hours=1),
        duration_minutes=40,
    )
    monitoring_record_add(
        actor=idec, pathway=pathway, visit=visit, values={"temperature_c": "38,6"}
    )

    page.goto(f"{live_server.url}/compte/connexion/")
    page.get_by_label("Identifiant").fill("claire.idec")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("button", name=re.compile("Se déconnecter")).wait_for()

    page.goto(f"{live_server.url}/parcours/comptes-rendus/visites/{visit.pk}/")
    page.get_by_label(re.compile(r"^Dr Paul Roux — Médecin traitant \(MSSanté")).check()
    page.get_by_label("Conclusion").fill("Fièvre isolée, revoir la patiente dans 48 heures.")
    page.get_by_role("button", name="Créer le compte-rendu").click()
    page.get_by_role("heading", level=1, name="Compte-rendu de visite").wait_for()
    page.get_by_text("Fièvre isolée, revoir la patiente dans 48 heures.").wait_for()
    page.get_by_text("Non envoyé", exact=True).wait_for()

    page.get_by_role("button", name="Envoyer aux destinataires").click()
    last_sending = page.get_by_role("region", name="Dernier envoi")
    last_sending.get_by_text(f"Dr Paul Roux : par messagerie sécurisée ({GP_MSS}).").wait_for()
    page.get_by_text(re.compile(r"^Envoyé le ")).wait_for()

    [received] = mss_server.received
    assert received.rcpt_tos == [GP_MSS]
    [attachment] = list(received.message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
