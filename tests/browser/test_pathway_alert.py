"""The issue's scenario in a real headless Chromium: an intake call, a fever on the
community nurse's sheet, the alert acknowledged from the coordinating nurse's worklist."""

import re

import pytest

from oncolien.accounts.models import Membership, User
from oncolien.pathways.models import Alert
from oncolien.territories.models import Cpts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "un-mot-de-passe-de-test-2026"


def _user(username: str, first_name: str, role: str) -> User:
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        first_name=first_name,
        last_name="Test",
        email=f"{username}@test.invalid",
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


def test_a_fever_on_the_sheet_reaches_the_coordinating_nurse_who_acknowledges_it(
    live_server, page, base_data, settings
):
    # Two-factor log-in has its own browser test; this one is about the pathway.
    settings.ONCOLIEN_REQUIRE_2FA = False
    idec = _user("claire.idec", "Claire", "coordinating_nurse")
    _user("marc.idel", "Marc", "community_nurse")

    # The coordinating nurse takes the intake call.
    _log_in(page, live_server.url, "claire.idec")
    page.goto(f"{live_server.url}/parcours/nouveau/")
    # The commune first: checked before anyone types the patient's identity.
    page.get_by_label("Commune de résidence").fill("Espalion")
    page.get_by_label("Canal d'entrée").select_option(label="Médecin traitant")
    page.get_by_role("button", name="Vérifier la commune").click()
    page.get_by_text("Espalion (12)").wait_for()
    page.get_by_label(re.compile(r"^Nom\b")).fill("Bernard")
    page.get_by_label("Prénom").fill("Lucie")
    page.get_by_label("Date de naissance").fill("1961-05-20")
    page.get_by_label("Sexe").select_option("F")
    page.get_by_label("Adressé par").first.fill("Dr Roux, Espalion")
    page.get_by_label(re.compile("Le patient a été informé")).check()
    page.get_by_role("button", name="Créer le parcours").click()
    page.get_by_role("heading", level=1, name="Parcours de BERNARD Lucie").wait_for()

    # She adds the community nurse to the care team.
    add_member = page.get_by_role("form", name="Ajouter un membre de la CPTS")
    add_member.get_by_label("Membre de la CPTS").select_option(label="Marc Test")
    add_member.get_by_label("Rôle dans l'équipe").select_option("community_nurse")
    page.get_by_role("button", name="Ajouter à l'équipe").click()
    page.get_by_text("Membre ajouté à l'équipe de soins.").wait_for()
    _log_out(page)

    # The community nurse records her sheet: 38.6 °C.
    _log_in(page, live_server.url, "marc.idel")
    page.goto(f"{live_server.url}/parcours/")
    page.get_by_role("link", name="BERNARD Lucie").click()
    page.get_by_role("link", name="Nouvelle fiche de surveillance").click()
    page.get_by_label("Température (°C)").fill("38,6")
    page.get_by_label("Saturation (%)").fill("97")
    page.get_by_role("button", name="Enregistrer la fiche").click()
    page.get_by_text("Fièvre : 38,6 °C (seuil 38 °C).").first.wait_for()
    _log_out(page)

    # The coordinating nurse sees the alert on her worklist and acknowledges it.
    _log_in(page, live_server.url, "claire.idec")
    page.goto(f"{live_server.url}/parcours/")
    row = page.get_by_role("row").filter(has_text="BERNARD Lucie").filter(has_text="Fièvre")
    assert "Élevée" in row.inner_text()
    row.get_by_label(re.compile("Commentaire")).fill("Patiente appelée, avis du médecin traitant.")
    row.get_by_role("button", name=re.compile("Prendre en compte")).click()
    page.get_by_text("Alerte prise en compte.").wait_for()
    page.get_by_text("Aucune alerte ouverte.").wait_for()

    alert = Alert.objects.get()
    assert alert.rule == "fever"
    assert alert.acknowledged_by == idec
    assert alert.acknowledgement_comment == "Patiente appelée, avis du médecin traitant."
