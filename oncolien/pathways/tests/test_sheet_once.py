"""The sheet form cannot be submitted twice: a second submission of the same form
(double click, back button, a retry) creates nothing and leads to the sheet saved."""

import pytest
from django.urls import reverse
from django.utils import timezone

from oncolien.pathways.models import Alert, MonitoringRecord
from oncolien.pathways.tests.factories import form_token, make_pathway

pytestmark = pytest.mark.django_db


def sheet(token: str, temperature: str = "38,6") -> dict:
    return {
        "form_token": token,
        "recorded_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "temperature_c": temperature,
        "vomiting": "none",
        "venous_access": "none",
    }


@pytest.fixture
def pathway(coordinating_nurse):
    return make_pathway(actor=coordinating_nurse)


def test_the_same_sheet_posted_twice_is_stored_once(login, coordinating_nurse, pathway):
    client = login(coordinating_nurse)
    url = reverse("pathways:record_add", kwargs={"pk": pathway.pk})
    token = form_token(client.get(url).content.decode())

    first = client.post(url, sheet(token))
    second = client.post(url, sheet(token), follow=True)

    detail = reverse("pathways:pathway_detail", kwargs={"pk": pathway.pk})
    record = MonitoringRecord.objects.get(pathway=pathway)
    # The sheet raised an alert: the page opens at its top on what to do.
    assert first.status_code == 302
    assert first["Location"] == f"{detail}?fiche={record.pk}"
    assert second.redirect_chain == [(f"{detail}?fiche={record.pk}", 302)]
    assert "Cette fiche de surveillance était déjà enregistrée" in second.content.decode()
    assert MonitoringRecord.objects.filter(pathway=pathway).count() == 1
    assert Alert.objects.filter(pathway=pathway).count() == 1


def test_two_forms_opened_make_two_sheets(login, coordinating_nurse, pathway):
    client = login(coordinating_nurse)
    url = reverse("pathways:record_add", kwargs={"pk": pathway.pk})
    first, second = (form_token(client.get(url).content.decode()) for _ in range(2))

    client.post(url, sheet(first))
    client.post(url, sheet(second, "37,2"))

    assert first != second
    assert MonitoringRecord.objects.filter(pathway=pathway).count() == 2


def test_a_refused_sheet_can_be_corrected_and_sent_with_the_same_form(
    login, coordinating_nurse, pathway
):
    client = login(coordinating_nurse)
    url = reverse("pathways:record_add", kwargs={"pk": pathway.pk})
    token = form_token(client.get(url).content.decode())

    refused = client.post(url, sheet(token, "52"))
    corrected = client.post(url, sheet(form_token(refused.content.decode()), "38,6"))

    assert refused.status_code == 400
    assert corrected.status_code == 302
    assert MonitoringRecord.objects.filter(pathway=pathway).count() == 1


def test_a_sheet_without_its_token_is_shown_again_not_stored(login, coordinating_nurse, pathway):
    client = login(coordinating_nurse)
    url = reverse("pathways:record_add", kwargs={"pk": pathway.pk})
    data = sheet("")

    response = client.post(url, data)

    page = response.content.decode()
    assert response.status_code == 400
    assert "Ce formulaire n&#x27;a pas pu être vérifié" in page
    assert 'value="38,6"' in page
    assert form_token(page)
    assert not MonitoringRecord.objects.exists()
