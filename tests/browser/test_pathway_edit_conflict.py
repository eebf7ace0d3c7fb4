"""Two people edit the same pathway in two browsers: the second save is refused with
what the first changed, field by field, and the second person's input is kept."""

import re

import pytest

from oncolien.accounts.models import Membership, User
from oncolien.pathways.models import Pathway
from oncolien.pathways.tests.factories import add_to_team, make_pathway
from oncolien.territories.models import Cpts
from tests.browser.axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "un-mot-de-passe-de-test-2026"
EDIT = "Modifier le cancer, les dates, la phase et les références"


def _user(username: str, first_name: str, last_name: str, role: str) -> User:
    user = User.objects.create_user(
        username=username, password=PASSWORD, first_name=first_name, last_name=last_name
    )
    Membership.objects.create(user=user, role=role, cpts=Cpts.objects.get(slug="cpts-nord-aveyron"))
    return user


def _log_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/compte/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("button", name=re.compile("Se déconnecter")).wait_for()


def _open_edit_form(page, url: str) -> None:
    page.goto(url)
    page.get_by_text(EDIT).click()


def test_the_second_editor_sees_what_the_first_changed_and_keeps_her_input(
    live_server, page, browser, base_data, settings
):
    settings.ONCOLIEN_REQUIRE_2FA = False
    marie = _user("marie.dupont", "Marie", "Dupont", "coordinating_nurse")
    paul = _user("paul.roux", "Paul", "Roux", "coordinator")
    pathway = make_pathway(actor=paul)
    add_to_team(actor=paul, pathway=pathway, user=marie, role="coordinating_nurse")
    url = f"{live_server.url}/parcours/{pathway.pk}/"

    # Paul's browser is the test's own page (axe checks each of its pages); Marie's is
    # a second browser context, with its own session.
    marie_context = browser.new_context()
    marie_page = marie_context.new_page()
    try:
        _log_in(marie_page, live_server.url, "marie.dupont")
        _log_in(page, live_server.url, "paul.roux")
        _open_edit_form(marie_page, url)
        _open_edit_form(page, url)

        marie_page.get_by_label("PPS (lien ou référence)").fill("PPS-2026-07")
        marie_page.get_by_label("Localisation du cancer").select_option(label="Sein")
        marie_page.get_by_role("button", name="Enregistrer").click()
        marie_page.get_by_text("Informations du parcours enregistrées.").wait_for()
        assert_accessible(marie_page)

        page.get_by_label("DCC (lien ou référence)").fill("DCC-Paul")
        page.get_by_role("button", name="Enregistrer").click()

        conflict = page.get_by_role("alert").filter(has_text="Pendant votre modification")
        conflict.wait_for()
        text = conflict.inner_text()
        assert "Vos modifications n'ont pas été enregistrées." in text
        assert "Pendant votre modification, Marie Dupont a changé :" in text
        assert "PPS (lien ou référence) : (vide) → PPS-2026-07" in text
        assert "Localisation du cancer : (vide) → Sein" in text
        # His input is still in the form, which is open.
        assert page.get_by_label("DCC (lien ou référence)").input_value() == "DCC-Paul"
        saved = Pathway.objects.get(pk=pathway.pk)
        assert (saved.pps_reference, saved.cancer_site, saved.dcc_reference) == (
            "PPS-2026-07",
            "breast",
            "",
        )

        # Having read it, he takes her cancer site and saves again: now it is applied.
        page.get_by_label("Localisation du cancer").select_option(label="Sein")
        page.get_by_label("PPS (lien ou référence)").fill("PPS-2026-07")
        page.get_by_role("button", name="Enregistrer").click()
        page.get_by_text("Informations du parcours enregistrées.").wait_for()
        saved.refresh_from_db()
        assert (saved.pps_reference, saved.cancer_site, saved.dcc_reference) == (
            "PPS-2026-07",
            "breast",
            "DCC-Paul",
        )
    finally:
        marie_context.close()
