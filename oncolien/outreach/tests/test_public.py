"""The public page of a campaign: the territory check, the contact request to the
nurses' worklist, and the refusals that create nothing."""

import pytest
from django.urls import reverse

from oncolien.audit.models import AuditEntry
from oncolien.outreach import selectors
from oncolien.outreach.models import ContactRequest
from oncolien.outreach.tests.factories import make_campaign
from oncolien.pathways.models import IntakeCall

pytestmark = pytest.mark.django_db

GOOD = {
    "action": "contact",
    "name": "Jeanne Martin",
    "phone": "06 12 34 56 78",
    "commune": "Espalion",
    "preferred_time": "morning",
    "message": "",
    "consent": "on",
}


@pytest.fixture
def campaign(coordinator):
    return make_campaign(actor=coordinator)


def _page(campaign):
    return reverse("outreach:public", kwargs={"code": campaign.code})


def test_the_page_says_the_offer_and_counts_a_visit(client, campaign):
    response = client.get(_page(campaign))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Soutenir et accompagner face au cancer" in text
    assert "06 95 54 69 03" in text and "Absente le mercredi" in text
    client.get(_page(campaign))
    assert (
        selectors.campaign_counts(user=campaign.created_by, campaigns=[campaign])[
            campaign.pk
        ].visits
        == 2
    )


def test_an_unknown_code_is_404(client):
    assert client.get("/c/inconnu/").status_code == 404


def test_the_territory_check_answers_covered_or_who_covers_it(client, campaign):
    covered = client.post(_page(campaign), {"action": "check", "verif-commune": "Espalion"})
    assert "Oui : Espalion est couverte par la CPTS Nord Aveyron" in covered.content.decode()
    elsewhere = client.post(_page(campaign), {"action": "check", "verif-commune": "Castres"})
    text = elsewhere.content.decode()
    assert "Non : La commune Castres (81) n&#x27;est pas dans le territoire" in text
    assert "CPTS Sud Tarn" in text


def test_a_contact_request_lands_on_the_nurses_worklist_and_leads_to_the_intake(
    client, campaign, coordinating_nurse, outsider, login
):
    response = client.post(_page(campaign), GOOD)
    assert response.status_code == 302
    request = ContactRequest.objects.get()
    assert request.phone == "06 12 34 56 78" and request.commune.insee_code == "12096"
    assert not AuditEntry.objects.filter(details__icontains="Jeanne").exists()

    login(outsider)
    worklist = client.get(reverse("pathways:worklist")).content.decode()
    assert "Jeanne Martin" not in worklist
    detail = reverse("outreach:contact_request", kwargs={"pk": request.pk})
    assert client.get(detail).status_code == 404

    login(coordinating_nurse)
    before = AuditEntry.objects.count()
    worklist = client.get(reverse("pathways:worklist")).content.decode()
    assert "Demande de contact : Jeanne Martin, Espalion" in worklist
    # The worklist's one audit entry names the requests it showed beside the pathways.
    [seen] = AuditEntry.objects.order_by("sequence")[before:]
    assert seen.action == "pathway.worklist"
    assert seen.details["contact_request_ids"] == [request.pk]
    page = client.get(detail)
    assert "06 12 34 56 78" in page.content.decode()
    assert AuditEntry.objects.filter(
        action="outreach.contact_request.read", target_id=str(request.pk)
    ).exists()

    called = client.post(reverse("outreach:contact_request_called_back", kwargs={"pk": request.pk}))
    assert called["Location"] == f"{reverse('pathways:intake')}?source=campaign%3A{campaign.pk}"
    assert "Jeanne Martin" not in client.get(reverse("pathways:worklist")).content.decode()
    # The intake call carries the campaign as its source, through its steps.
    start = client.get(called["Location"]).content.decode()
    assert f'value="campaign:{campaign.pk}"' in start
    client.post(
        reverse("pathways:intake"),
        {
            "step": "commune",
            "commune": "Castres",
            "intake_channel": "patient",
            "source": campaign.source,
        },
    )
    call = IntakeCall.objects.get()
    assert call.source == campaign.source
    counts = selectors.campaign_counts(user=campaign.created_by, campaigns=[campaign])
    assert counts[campaign.pk].contact_requests == 1
    assert counts[campaign.pk].called_back == 1
    assert counts[campaign.pk].intakes == 1
    assert counts[campaign.pk].pathways == 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"phone": ""}, "Indiquez un numéro de téléphone"),
        ({"phone": "12345"}, "Ce numéro de téléphone n&#x27;est pas valide"),
        ({"commune": "Zzzyxville"}, "Aucune commune ne s&#x27;appelle"),
        ({"commune": "Castres"}, "couverte par la CPTS Sud Tarn"),
        ({"consent": ""}, "Cochez la case"),
        ({"name": ""}, "Indiquez votre nom"),
    ],
)
def test_bad_input_gets_a_french_error_and_creates_nothing(client, campaign, change, message):
    response = client.post(_page(campaign), {**GOOD, **change})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "rien n'a été enregistré" in response.content.decode()
    assert not ContactRequest.objects.exists()


def test_a_filled_honeypot_is_thanked_and_creates_nothing(client, campaign):
    response = client.post(_page(campaign), {**GOOD, "website": "http://spam.example"})
    assert response.status_code == 302
    assert not ContactRequest.objects.exists()


def test_beyond_the_rate_limit_nothing_is_created(client, campaign):
    for _ in range(3):
        assert client.post(_page(campaign), GOOD).status_code == 302
    response = client.post(_page(campaign), GOOD)
    assert response.status_code == 429
    assert "réessayez dans" in response.content.decode()
    assert ContactRequest.objects.count() == 3


def test_the_form_is_protected_by_csrf(campaign):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(_page(campaign), GOOD).status_code == 403
    assert not ContactRequest.objects.exists()


def test_the_campaign_page_shows_its_counts_to_its_coordinator_only(
    client, campaign, coordinator, outsider, login
):
    client.get(_page(campaign))
    client.post(_page(campaign), GOOD)
    url = reverse("outreach:campaign_detail", kwargs={"pk": campaign.pk})
    login(outsider)
    assert client.get(url).status_code == 404
    login(coordinator)
    text = client.get(url).content.decode()
    assert "Visites de la page publique</dt><dd>1</dd>" in text
    assert "Demandes de contact</dt><dd>1</dd>" in text
    assert "Jeanne" not in text
