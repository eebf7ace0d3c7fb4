"""The care team's daily loop, end to end, in a real headless Chromium:

a community nurse records 38.6 °C → the coordinating nurse gets the notification and
sees what to do → she acknowledges → a second alert nobody acknowledges is escalated
by a running huey consumer (no cron) → the visit report reaches the GP through secure
health messaging (a real SMTP server over TLS requiring the operator's certificate).
axe-core checks every page visited (conftest)."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from oncolien.accounts.models import Membership, User
from oncolien.background.tests.conftest import real_queue, running_consumer, wait_for
from oncolien.notifications.models import Delivery
from oncolien.pathways.models import Alert
from oncolien.pathways.services import care_team_add
from oncolien.pathways.tests.factories import add_to_team, make_pathway
from oncolien.territories.models import Cpts
from tests.mss_server import configured_server, make_certificates
from tests.pdf import flat_pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "un-mot-de-passe-de-test-2026"
GP_MSS = "paul.roux@medecin.mssante.fr"


def _user(username: str, first_name: str, role: str) -> User:
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        first_name=first_name,
        last_name="Test",
        email=f"{username}@test.invalid",
        phone="06 12 34 56 78",
    )
    Membership.objects.create(user=user, role=role, cpts=Cpts.objects.get(slug="cpts-nord-aveyron"))
    return user


def _log_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/compte/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("button", name=re.compile("Se déconnecter")).wait_for()


def _log_out(page) -> None:
    page.get_by_role("button", name=re.compile("Se déconnecter")).click()
    page.get_by_role("link", name="Se connecter").first.wait_for()


def _record_sheet(page, base_url: str, pathway, label: str, value: str) -> None:
    page.goto(f"{base_url}/parcours/{pathway.pk}/fiches/nouvelle/")
    page.get_by_label(label).fill(value)
    page.get_by_role("button", name="Enregistrer la fiche").click()
    page.get_by_role("heading", name=re.compile("Alerte levée par la fiche")).wait_for()


def test_the_daily_loop_from_a_fever_to_the_gps_secure_inbox(
    live_server, page, base_data, settings, tmp_path
):
    settings.ONCOLIEN_REQUIRE_2FA = False
    idec = _user("claire.idec", "Claire", "coordinating_nurse")
    idel = _user("marc.idel", "Marc", "community_nurse")
    coordinator = _user("anne.coord", "Anne", "coordinator")
    pathway = make_pathway(
        actor=idec,
        last_name="Bernard",
        first_name="Lucie",
        gp_name="Dr Paul Roux",
        gp_phone="05 65 44 00 00",
        gp_mssante_address=GP_MSS,
    )
    add_to_team(actor=idec, pathway=pathway, user=idel, role="community_nurse")
    care_team_add(
        actor=idec,
        pathway=pathway,
        role="other",
        name="Hôpital de jour d'oncologie, CH de Rodez",
        phone="05 65 55 12 34",
    )
    mail.outbox.clear()

    # 1. The community nurse records 38.6 °C: what to do is in view, and who was told.
    _log_in(page, live_server.url, "marc.idel")
    _record_sheet(page, live_server.url, pathway, "Température (°C)", "38,6")
    raised = page.locator("section.raised-alerts")
    raised.get_by_text(re.compile("appeler sans attendre l'hôpital de jour")).wait_for()
    raised.get_by_text(re.compile("05 65 55 12 34")).wait_for()
    page.get_by_text(
        "Alerte signalée à Claire Test (notification dans OncoLien et courriel) : "
        "Fièvre : 38,6 °C (seuil 38 °C)."
    ).wait_for()
    # She cannot close it: she may only say what she did.
    assert page.get_by_role("button", name="Prendre en compte").count() == 0
    _log_out(page)
    [alert_mail] = mail.outbox
    assert alert_mail.to == [idec.email]
    assert "Bernard" not in alert_mail.subject + alert_mail.body
    assert "BERNARD" not in alert_mail.subject + alert_mail.body

    # 2. The coordinating nurse: the notification, then the alert with what to do.
    _log_in(page, live_server.url, "claire.idec")
    page.get_by_role("link", name="Notifications (1 non lue)").click()
    page.get_by_role("link", name=re.compile(r"Alerte \(élevée\)")).click()
    page.get_by_role("heading", level=1, name="Parcours de BERNARD Lucie").wait_for()
    fever = Alert.objects.get(rule="fever")
    row = page.locator(f"#alerte-{fever.pk}")
    row.get_by_text(re.compile("appeler sans attendre l'hôpital de jour")).wait_for()

    # 3. She acknowledges it.
    row.get_by_label(re.compile("Commentaire")).fill("Patiente appelée, avis de l'hôpital de jour.")
    row.get_by_role("button", name="Prendre en compte").click()
    page.get_by_text("Alerte prise en compte.").wait_for()
    _log_out(page)
    fever.refresh_from_db()
    assert fever.acknowledged_by == idec

    # 4. A second alert nobody acknowledges: the running consumer escalates it.
    _log_in(page, live_server.url, "marc.idel")
    _record_sheet(page, live_server.url, pathway, "Douleur (EVA 0 à 10)", "8")
    _log_out(page)
    pain = Alert.objects.get(acknowledged_at__isnull=True)
    # Five hours later (the protocol's default delay is four).
    Alert.objects.filter(pk=pain.pk).update(raised_at=timezone.now() - timedelta(hours=5))
    mail.outbox.clear()
    from huey.storage import SqliteStorage

    storage = SqliteStorage("oncolien-loop", filename=str(tmp_path / "tasks.sqlite3"))
    with real_queue(storage) as huey, running_consumer(huey):
        # Nothing but the consumer's periodic task escalates: no request, no cron.
        assert wait_for(lambda: len(mail.outbox) == 1, seconds=30)
        assert wait_for(lambda: huey.pending_count() == 0)
    pain.refresh_from_db()
    assert pain.escalated_at is not None
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    assert Delivery.objects.get(kind="alert.escalated").outcome == "sent"
    _log_in(page, live_server.url, "anne.coord")
    page.goto(f"{live_server.url}/parcours/")
    page.get_by_text(re.compile("1 alerte a été transmise aux coordinateur·rices")).wait_for()
    _log_out(page)

    # 5. The visit report reaches the GP through secure health messaging.
    with configured_server(make_certificates(tmp_path), settings) as mss_server:
        _log_in(page, live_server.url, "claire.idec")
        page.goto(f"{live_server.url}/parcours/{pathway.pk}/visites/nouvelle/")
        page.get_by_label("Type").select_option("home")
        page.get_by_label("Durée (minutes)").fill("40")
        page.get_by_role("button", name=re.compile("Enregistrer la visite")).click()
        page.get_by_role("heading", level=1, name="Parcours de BERNARD Lucie").wait_for()
        page.get_by_role("link", name=re.compile("Rédiger un compte-rendu")).first.click()
        page.get_by_label(re.compile(r"^Dr Paul Roux — Médecin traitant \(MSSanté")).check()
        page.get_by_label("Conclusion").fill("Fièvre et douleur prises en charge, revoir à J+2.")
        page.get_by_role("button", name="Créer le compte-rendu").click()
        page.get_by_role("heading", level=1, name="Compte-rendu de visite").wait_for()
        page.get_by_role("button", name="Envoyer aux destinataires").click()
        last_sending = page.get_by_role("region", name="Dernier envoi")
        last_sending.get_by_text(f"Dr Paul Roux : par messagerie sécurisée ({GP_MSS}).").wait_for()
        [received] = mss_server.received

    assert received.rcpt_tos == [GP_MSS]
    assert received.client_certificate is not None
    [attachment] = list(received.message.iter_attachments())
    text = flat_pdf_text(attachment.get_content())
    assert "BERNARD Lucie" in text
    assert "Fièvre et douleur prises en charge, revoir à J+2." in text
    # Health data left by no other way: no ordinary e-mail carried a document.
    assert all(m.attachments == [] for m in mail.outbox)
