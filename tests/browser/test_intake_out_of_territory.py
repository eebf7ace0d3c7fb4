"""An intake call from outside the territory, in a real Chromium on a phone-sized
screen: the commune is checked first, one message names the covering CPTS, the call
is counted; axe-core checks each page."""

import re

import pytest

from oncolien.accounts.models import Membership, User
from oncolien.pathways.models import IntakeCall
from oncolien.territories.models import Cpts
from tests.browser.axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "un-mot-de-passe-de-test-2026"


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 390, "height": 844}}


def test_an_out_of_territory_call_is_answered_at_once_and_counted(
    live_server, page, base_data, settings
):
    settings.ONCOLIEN_REQUIRE_2FA = False
    user = User.objects.create_user(username="claire.idec", password=PASSWORD, first_name="Claire")
    Membership.objects.create(
        user=user, role="coordinating_nurse", cpts=Cpts.objects.get(slug="cpts-nord-aveyron")
    )
    page.goto(f"{live_server.url}/compte/connexion/")
    page.get_by_label("Identifiant").fill("claire.idec")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("button", name=re.compile("Se déconnecter")).wait_for()

    page.goto(f"{live_server.url}/parcours/nouveau/")
    assert_accessible(page)
    assert page.get_by_label(re.compile(r"^Nom\b")).count() == 0
    page.get_by_label("Commune de résidence").fill("Castres")
    page.get_by_label("Canal d'entrée").select_option(label="Médecin traitant")
    page.get_by_role("button", name="Vérifier la commune").click()
    notice = page.get_by_role("status")
    notice.get_by_text(re.compile("elle est couverte par la CPTS Sud Tarn")).wait_for()
    assert page.get_by_text(re.compile("n'est pas dans le territoire")).count() == 1
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    assert_accessible(page)
    assert IntakeCall.objects.get().outcome == "out_of_territory"

    page.get_by_role("link", name=re.compile("Appels d'inclusion")).click()
    page.get_by_role("heading", level=1, name="Appels d'inclusion").wait_for()
    page.get_by_label("Commune de résidence").fill("Espalion")
    page.get_by_label("Canal d'entrée").select_option(label="Un proche")
    page.get_by_label("Motif de non-inclusion").fill("Demande d'information seule")
    page.get_by_role("button", name="Enregistrer l'appel").click()
    page.get_by_text("Appel enregistré (sans identité).").wait_for()
    assert page.get_by_text("2 appels : 0 patient inclus, 1 hors territoire, 1 non inclus.").count()
    assert_accessible(page)
