"""The programme pages, persona by persona, through HTTP and the real services."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from oncolien.aftercare.models import PostCancerProgramme
from oncolien.aftercare.rules import add_months
from oncolien.aftercare.tests.factories import (
    make_eligible_pathway,
    make_labelled_service,
    prescribe,
)
from oncolien.audit.models import AuditEntry
from oncolien.pathways.services import pathway_update

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def service(base_data):
    return make_labelled_service()


@pytest.fixture
def pathway(coordinating_nurse):
    return make_eligible_pathway(
        actor=coordinating_nurse, end_of_treatment=TODAY - timedelta(days=90)
    )


@pytest.fixture
def programme(coordinating_nurse, pathway, service):
    return prescribe(
        actor=coordinating_nurse,
        pathway=pathway,
        service=service,
        prescribed_on=TODAY - timedelta(days=60),
        dietary_assessment=True,
        dietary_follow_ups=2,
    )


def prescription(service, **changes):
    return {
        "prescriber_role": "gp",
        "prescriber_name": "Dr Paul Costes",
        "prescriber_rpps": "",
        "prescribed_on": (TODAY - timedelta(days=10)).isoformat(),
        "service": service.pk,
        "physical_activity_assessment": "on",
        "dietary_follow_ups": "0",
        "psychological_follow_ups": "0",
        **changes,
    }


def test_the_pathway_page_offers_the_programme_while_the_patient_is_eligible(
    login, coordinating_nurse, pathway
):
    page = login(coordinating_nurse).get(reverse("pathways:pathway_detail", args=[pathway.pk]))
    last_day = add_months(TODAY - timedelta(days=90), 12)
    html = page.content.decode()
    assert "Parcours de soins global après cancer" in html
    assert "Prescrire le parcours après cancer" in html
    assert f"prescription possible jusqu'au {last_day:%d/%m/%Y} inclus" in html


def test_a_nurse_prescribes_then_sees_the_remaining_allowance_everywhere(
    login, coordinating_nurse, pathway, service
):
    client = login(coordinating_nurse)
    response = client.post(reverse("aftercare:prescribe", args=[pathway.pk]), prescription(service))
    assert response.status_code == 302
    programme = PostCancerProgramme.objects.get(pathway=pathway)
    assert programme.prescriber_name == "Dr Paul Costes"
    page = client.get(reverse("aftercare:programme", args=[pathway.pk])).content.decode()
    assert "Forfait restant" in page and "180,00 €" in page
    assert "Bilan fonctionnel et motivationnel d&#x27;activité physique" in page
    panel = client.get(reverse("pathways:pathway_detail", args=[pathway.pk])).content.decode()
    assert "Forfait restant" in panel and "180,00 €" in panel


def test_an_ineligible_prescription_shows_the_reasons_and_stores_nothing(
    login, coordinating_nurse, pathway, service
):
    pathway_update(actor=coordinating_nurse, pathway=pathway, cancer_ald=False)
    response = login(coordinating_nurse).post(
        reverse("aftercare:prescribe", args=[pathway.pk]),
        prescription(service, prescriber_role="other_physician"),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "affection de longue durée (ALD)" in page
    assert "Seuls ces médecins peuvent prescrire le parcours" in page
    assert "rien n'a été enregistré" in page
    assert not PostCancerProgramme.objects.exists()


def test_recording_acts_updates_the_allowance_and_a_premature_follow_up_is_explained(
    login, coordinating_nurse, pathway, programme
):
    client = login(coordinating_nurse)
    follow_up = programme.acts.filter(kind="dietary_follow_up").first()
    url = reverse("aftercare:act_done", args=[pathway.pk, follow_up.pk])
    refused = client.post(url, {"done_on": (TODAY - timedelta(days=20)).isoformat()})
    assert refused.status_code == 400
    assert "vient après un bilan" in refused.content.decode()
    assessment = programme.acts.get(kind="dietary_assessment")
    client.post(
        reverse("aftercare:act_done", args=[pathway.pk, assessment.pk]),
        {"done_on": (TODAY - timedelta(days=30)).isoformat()},
    )
    assert (
        client.post(url, {"done_on": (TODAY - timedelta(days=20)).isoformat()}).status_code == 302
    )
    page = client.get(reverse("aftercare:programme", args=[pathway.pk])).content.decode()
    assert "112,50 €" in page and "67,50 € utilisés" in page


def _pages(pathway, programme, service):
    act = programme.acts.first()
    return [
        ("get", reverse("aftercare:programme", args=[pathway.pk]), {}),
        ("post", reverse("aftercare:prescribe", args=[pathway.pk]), prescription(service)),
        (
            "post",
            reverse("aftercare:act_done", args=[pathway.pk, act.pk]),
            {"done_on": TODAY.isoformat()},
        ),
    ]


@pytest.mark.parametrize("persona", ["outsider", "regional"])
@pytest.mark.parametrize("index", range(3), ids=["programme", "prescribe", "act done"])
def test_outsiders_get_a_404_audited_and_change_nothing(
    request, persona, index, login, pathway, programme, service
):
    user = request.getfixturevalue(persona)
    method, url, data = _pages(pathway, programme, service)[index]
    response = getattr(login(user), method)(url, data)
    assert response.status_code == 404
    assert "Martin" not in response.content.decode()
    assert AuditEntry.objects.filter(
        action="access.denied", actor_id=user.pk, target_id=str(pathway.pk)
    ).exists()
    assert not programme.acts.filter(done_on__isnull=False).exists()
    assert PostCancerProgramme.objects.count() == 1
