"""In a real headless Chromium: a 38.6 °C sheet shows, at the top of the page and in
view, the alert, what to do and the care team's numbers, and says who was told; the
coordinating nurse finds it in her notifications. axe-core checks every page visited."""

import re

import pytest

from oncolien.accounts.models import Membership, User
from oncolien.pathways.services import care_team_add
from oncolien.pathways.tests.factories import add_to_team, make_pathway
from oncolien.territories.models import Cpts
from tests.browser.axe import assert_accessible

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


def _accessible(page) -> None:
    assert_accessible(page)


def _log_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/compte/connexion/")
    _accessible(page)
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("button", name=re.compile("Se déconnecter")).wait_for()


def test_a_fever_sheet_shows_what_to_do_in_view_and_reaches_the_coordinating_nurse(
    live_server, page, base_data, settings
):
    settings.ONCOLIEN_REQUIRE_2FA = False
    idec = _user("claire.idec", "Claire", "coordinating_nurse")
    idel = _user("marc.idel", "Marc", "community_nurse")
    pathway = make_pathway(actor=idec, last_name="Bernard", first_name="Lucie")
    add_to_team(actor=idec, pathway=pathway, user=idel, role="community_nurse")
    care_team_add(
        actor=idec,
        pathway=pathway,
        role="other",
        name="Hôpital de jour d'oncologie, CH de Rodez",
        phone="05 65 55 12 34",
    )

    _log_in(page, live_server.url, "marc.idel")
    page.goto(f"{live_server.url}/parcours/{pathway.pk}/fiches/nouvelle/")
    _accessible(page)
    page.get_by_label("Température (°C)").fill("38,6")
    page.get_by_role("button", name="Enregistrer la fiche").click()

    heading = page.get_by_role("heading", name=re.compile("Alerte levée par la fiche"))
    heading.wait_for()
    assert "#" not in page.url
    assert page.evaluate("window.scrollY") == 0
    section = page.locator("section.raised-alerts")
    instruction = section.get_by_text(re.compile("appeler sans attendre l'hôpital de jour"))
    number = section.get_by_text(re.compile("05 65 55 12 34"))
    for shown in (heading, instruction, number):
        box = shown.bounding_box()
        assert box is not None and box["y"] + box["height"] <= page.viewport_size["height"]
    page.get_by_text(
        "Alerte signalée à Claire Test (notification dans OncoLien et courriel) : "
        "Fièvre : 38,6 °C (seuil 38 °C)."
    ).wait_for()
    _accessible(page)
    page.get_by_role("button", name=re.compile("Se déconnecter")).click()
    page.get_by_role("link", name="Se connecter").first.wait_for()

    _log_in(page, live_server.url, "claire.idec")
    page.get_by_role("link", name="Alertes ouvertes (1)").wait_for()
    page.get_by_role("link", name="Notifications (1 non lue)").click()
    page.get_by_role("heading", level=1, name="Notifications").wait_for()
    _accessible(page)
    page.get_by_role("link", name=re.compile(r"Alerte \(élevée\)")).click()
    page.get_by_role("heading", level=1, name="Parcours de BERNARD Lucie").wait_for()
    assert page.url.endswith(f"/parcours/{pathway.pk}/#alerte-{pathway.alerts.get().pk}")
    page.get_by_role("link", name="Notifications (0 non lue)").wait_for()
    _accessible(page)
