"""The physician finds his way in a real headless Chromium: from his home to his
patients, one of their pathways, and back to his worklist (axe-core on each page)."""

import re

import pytest

from oncolien.accounts.models import Membership, User
from oncolien.pathways.tests.factories import add_to_team, make_pathway
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


def test_the_physician_goes_from_his_home_to_a_pathway_and_his_worklist(
    live_server, page, base_data, settings
):
    # Two-factor log-in has its own browser test; this one is about finding one's way.
    settings.ONCOLIEN_REQUIRE_2FA = False
    nurse = _user("claire.idec", "Claire", "coordinating_nurse")
    nurse.is_verified = lambda: True
    physician = _user("paul.medecin", "Paul", "physician")
    pathway = make_pathway(actor=nurse, last_name="Bernard", first_name="Lucie")
    add_to_team(actor=nurse, pathway=pathway, user=physician, role="gp")

    page.goto(f"{live_server.url}/compte/connexion/")
    page.get_by_label("Identifiant").fill("paul.medecin")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("button", name=re.compile("Se déconnecter")).wait_for()

    page.get_by_role("link", name="Mes patients").click()
    page.get_by_role("heading", level=1, name="Mes patients").wait_for()
    page.get_by_role("link", name="BERNARD Lucie").click()
    page.get_by_role("heading", level=1, name="Parcours de BERNARD Lucie").wait_for()
    page.get_by_role("link", name="Ma liste de travail").click()
    page.get_by_role("heading", level=1, name="Ma liste de travail").wait_for()
    assert page.get_by_role("link", name="BERNARD Lucie").count() >= 1
    assert page.get_by_role("link", name="Nouvel appel d'inclusion").count() == 0
