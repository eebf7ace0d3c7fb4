"""A campaign's QR page on a phone: the person checks her commune and asks to be
called back, without an account; then the coordinator reads the campaign's page
with its counts. axe-core checks every page (root conftest)."""

import re

import pytest
from playwright.sync_api import expect

from oncolien.accounts.models import Membership, User
from oncolien.outreach.models import ContactRequest
from oncolien.outreach.tests.factories import make_campaign
from oncolien.territories.models import Cpts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "un-mot-de-passe-de-test-2026"


@pytest.fixture
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
    }


def test_on_a_phone_a_person_checks_her_commune_and_asks_to_be_called_back(
    live_server, page, base_data, settings
):
    settings.ONCOLIEN_REQUIRE_2FA = False
    coordinator = User.objects.create_user(
        username="claire.coord", password=PASSWORD, first_name="Claire"
    )
    Membership.objects.create(
        user=coordinator, role="coordinator", cpts=Cpts.objects.get(slug="cpts-nord-aveyron")
    )
    campaign = make_campaign(actor=coordinator)

    page.goto(f"{live_server.url}/c/{campaign.code}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Soutenir et accompagner face au cancer"
    )
    # The phone comes first, as a link a tap calls.
    expect(page.get_by_role("link", name="06 95 54 69 03")).to_have_attribute(
        "href", "tel:0695546903"
    )
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"La page fait {width} px de large sur un écran de 390 px."

    # Her commune is not covered: the page says who covers it.
    page.locator("#territoire").get_by_label("Votre commune").fill("Castres")
    page.get_by_role("button", name="Vérifier ma commune").click()
    expect(page.get_by_role("status")).to_contain_text("couverte par la CPTS Sud Tarn")
    # It is: the contact form gets it written in.
    page.locator("#territoire").get_by_label("Votre commune").fill("Espalion")
    page.get_by_role("button", name="Vérifier ma commune").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Oui : Espalion est couverte par la CPTS Nord Aveyron"
    )
    form = page.locator("#rappel")
    expect(form.get_by_label("Votre commune")).to_have_value("Espalion")

    # A wrong phone number: a French error, nothing kept.
    form.get_by_label("Votre nom").fill("Jeanne Martin")
    form.get_by_label("Votre téléphone").fill("0612")
    form.get_by_label("Le matin").check()
    form.get_by_label(re.compile("J'accepte que l'infirmière")).check()
    form.get_by_role("button", name="Demander à être rappelé·e").click()
    expect(page.get_by_role("alert")).to_contain_text("Ce numéro de téléphone n'est pas valide")
    assert not ContactRequest.objects.exists()

    form = page.locator("#rappel")
    form.get_by_label("Votre téléphone").fill("06 12 34 56 78")
    form.get_by_label(re.compile("J'accepte que l'infirmière")).check()
    form.get_by_role("button", name="Demander à être rappelé·e").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre demande est envoyée")
    request = ContactRequest.objects.get()
    assert (request.name, request.phone, request.preferred_time) == (
        "Jeanne Martin",
        "06 12 34 56 78",
        "morning",
    )

    # The coordinator's page of the campaign: its counts, its documents to print.
    page.goto(f"{live_server.url}/compte/connexion/")
    page.get_by_label("Identifiant").fill("claire.coord")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("button", name=re.compile("Se déconnecter")).wait_for()
    page.goto(f"{live_server.url}/campagnes/")
    page.get_by_role("link", name="radiologie Espalion").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Campagne « radiologie Espalion »")
    counts = page.locator("dl.outreach-counts")
    expect(counts).to_contain_text("Visites de la page publique")
    assert (
        counts.locator("div", has_text="Visites de la page publique").locator("dd").inner_text()
        == "1"
    )
    assert (
        counts.locator("div", has_text="Demandes de contact").first.locator("dd").inner_text()
        == "1"
    )
    expect(page.get_by_role("link", name="Affiche A3 (PDF)")).to_be_visible()
