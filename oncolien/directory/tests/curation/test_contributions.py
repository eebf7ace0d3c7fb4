"""Public contributions: anyone may propose, nothing is published, robots get nothing in."""

import re
import time

import pytest
from django.urls import reverse

from oncolien.directory.contributions import RATE_LIMIT, sender_fingerprint
from oncolien.directory.forms import started_token
from oncolien.directory.models import Contribution, Organization, Service
from oncolien.directory.selectors import services_public
from oncolien.directory.tests.curation.conftest import page_text

pytestmark = pytest.mark.django_db

NEW_URL = reverse("directory:contribute_new", kwargs={"slug": "cpts-nord-aveyron"})


def correction_url(service) -> str:
    return reverse("directory:contribute_correction", kwargs={"pk": service.pk})


def test_the_new_offer_form_is_public_and_says_nothing_is_published(client, base_data):
    response = client.get(NEW_URL)
    page = page_text(response)
    assert response.status_code == 200
    assert "Proposer une nouvelle offre" in page
    assert "Rien n'est publié tout de suite" in page
    assert "Votre courriel" in page and "il n'est jamais publié" in page


def test_a_proposed_new_offer_is_stored_pending_and_published_nowhere(
    client, base_data, new_offer_data
):
    response = client.post(NEW_URL, new_offer_data)

    assert response.status_code == 302
    thanks = page_text(client.get(response["Location"]))
    assert "Merci pour votre proposition" in thanks
    assert "va la relire" in thanks
    contribution = Contribution.objects.get()
    assert contribution.status == "pending"
    assert contribution.kind == "new"
    assert contribution.cpts.slug == "cpts-nord-aveyron"
    assert contribution.proposal["name"] == "Marche nordique santé"
    assert contribution.proposal["care_types"] == ["physical_activity"]
    assert contribution.proposal["commune"] == "12096"
    assert contribution.contributor_email == "martine@example.org"
    assert contribution.message == "Vu sur une affiche à la maison de santé."
    # The fingerprint is a keyed hash, not the address.
    assert contribution.sender_fingerprint == sender_fingerprint("127.0.0.1")
    assert "127.0.0.1" not in contribution.sender_fingerprint
    assert not Organization.objects.filter(name="Marche Nordique Vallée du Lot").exists()
    assert not Service.objects.filter(name="Marche nordique santé").exists()
    assert not services_public().filter(name__icontains="nordique").exists()


def test_a_correction_is_prefilled_with_the_current_values(client, dietetics):
    page = page_text(client.get(correction_url(dietetics)))
    assert "Proposer une correction" in page
    assert "Consultations diététiques" in page
    assert 'value="Espalion (12096)"' in page
    checked = re.findall(
        r'<input type="checkbox" name="care_types" value="([a-z_]+)"[^>]*checked', page
    )
    assert checked == ["nutrition"]


def test_a_proposed_correction_is_stored_pending_and_the_service_is_unchanged(
    client, dietetics, correction_data
):
    correction_data.update(phone="05 65 48 00 11", message="Le numéro a changé depuis janvier.")
    response = client.post(correction_url(dietetics), correction_data)

    assert response.status_code == 302
    contribution = Contribution.objects.get()
    assert (contribution.kind, contribution.status) == ("correction", "pending")
    assert contribution.service == dietetics
    assert contribution.proposal["phone"] == "05 65 48 00 11"
    dietetics.refresh_from_db()
    assert dietetics.phone == ""
    assert services_public().get(pk=dietetics.pk).phone == ""


def test_a_correction_with_no_change_and_no_message_is_refused(client, dietetics, correction_data):
    response = client.post(correction_url(dietetics), correction_data)
    assert response.status_code == 200
    assert "Indiquez ce qui doit être corrigé" in page_text(response)
    assert not Contribution.objects.exists()


def test_an_inactive_service_cannot_be_corrected(client, dietetics):
    Service.objects.filter(pk=dietetics.pk).update(status="inactive")
    assert client.get(correction_url(dietetics)).status_code == 404


def test_a_filled_honeypot_pretends_success_and_stores_nothing(client, base_data, new_offer_data):
    new_offer_data["homepage"] = "http://spam.example"
    response = client.post(NEW_URL, new_offer_data)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "directory:contribute_thanks", kwargs={"slug": "cpts-nord-aveyron"}
    )
    assert not Contribution.objects.exists()


def test_the_honeypot_is_hidden_from_people_and_screen_readers(client, base_data):
    page = page_text(client.get(NEW_URL))
    trap = page[page.index("Ne pas remplir") - 200 : page.index("Ne pas remplir") + 300]
    assert 'aria-hidden="true"' in trap
    assert 'tabindex="-1"' in trap


def test_a_form_sent_back_at_once_is_refused_with_an_explanation(client, base_data, new_offer_data):
    new_offer_data["started"] = started_token()
    response = client.post(NEW_URL, new_offer_data)
    assert response.status_code == 200
    assert "envoyé très vite" in page_text(response)
    assert not Contribution.objects.exists()


def test_a_form_without_a_valid_opening_time_is_refused(client, base_data, new_offer_data):
    new_offer_data["started"] = "falsifié"
    response = client.post(NEW_URL, new_offer_data)
    assert "n'a pas pu être vérifié" in page_text(response)
    assert not Contribution.objects.exists()


def test_the_sixth_contribution_within_an_hour_is_refused_with_429(
    client, base_data, new_offer_data
):
    for number in range(RATE_LIMIT):
        new_offer_data["name"] = f"Offre {number}"
        assert client.post(NEW_URL, new_offer_data).status_code == 302
    assert Contribution.objects.count() == RATE_LIMIT

    new_offer_data["name"] = "Offre de trop"
    response = client.post(NEW_URL, new_offer_data)

    assert response.status_code == 429
    assert "propositions en moins d'une heure" in page_text(response)
    assert int(response["Retry-After"]) > 0
    assert Contribution.objects.count() == RATE_LIMIT
    assert not Contribution.objects.filter(proposal__name="Offre de trop").exists()


def test_the_rate_limit_is_per_sender(client, base_data, new_offer_data):
    for number in range(RATE_LIMIT):
        new_offer_data["name"] = f"Offre {number}"
        client.post(NEW_URL, new_offer_data)
    response = client.post(NEW_URL, new_offer_data, REMOTE_ADDR="192.0.2.7")
    assert response.status_code == 302
    assert Contribution.objects.count() == RATE_LIMIT + 1


def test_bad_input_gets_french_errors_and_stores_nothing(client, base_data, new_offer_data):
    new_offer_data.update(
        care_types=[],
        commune="Atlantide",
        postal_code="",
        phone="12",
        cost="remaining_cost",
        remaining_cost_amount="",
        email="pas-un-courriel",
    )
    response = client.post(NEW_URL, new_offer_data)
    page = page_text(response)
    assert response.status_code == 200
    assert "rien n'a été enregistré" in page
    assert "Cochez au moins un soin de support." in page
    assert "Aucune commune ne s'appelle « Atlantide »" in page
    assert "Numéro de téléphone invalide" in page
    assert "Indiquez le montant du reste à charge." in page
    assert "Saisissez une adresse de courriel valide." in page
    assert not Contribution.objects.exists()


def test_a_commune_shared_by_several_departments_asks_for_the_postal_code(
    client, base_data, new_offer_data
):
    # « Castanet » names a commune of Aveyron and one of Tarn.
    new_offer_data.update(commune="Castanet", postal_code="")
    page = page_text(client.post(NEW_URL, new_offer_data))
    assert "indiquez aussi le code postal" in page
    assert not Contribution.objects.exists()


def test_an_opening_time_from_another_form_is_not_trusted_forever(
    client, base_data, new_offer_data
):
    # A token signed with another salt (or key) does not pass.
    from django.core import signing

    new_offer_data["started"] = signing.dumps(time.time() - 60, salt="autre")
    client.post(NEW_URL, new_offer_data)
    assert not Contribution.objects.exists()
