"""The professional's pages: start, fill, results on the pathway page; outsiders get 404."""

import pytest
from django.urls import reverse

from oncolien.assessments.models import Assessment, AssessmentStatus
from oncolien.assessments.services import (
    assessment_complete,
    assessment_save_answers,
    assessment_start,
    link_issue,
)
from oncolien.audit.models import AuditEntry
from oncolien.notifications.models import Delivery
from oncolien.reference.models import CareType

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(pathway, coordinating_nurse):
    return assessment_start(
        actor=coordinating_nurse,
        pathway=pathway,
        instrument_code="distress-thermometer",
        respondent="professional",
    )


def test_a_nurse_starts_fills_and_completes_an_assessment(pathway, coordinating_nurse, login):
    client = login(coordinating_nurse)
    new_url = reverse("assessments:new", kwargs={"pathway_pk": pathway.pk})
    assert "Thermomètre de détresse" in client.get(new_url).content.decode()
    response = client.post(
        new_url, {"instrument": "distress-thermometer", "respondent": "professional"}
    )
    assessment = Assessment.objects.get()
    assert response.url == reverse("assessments:fill", kwargs={"pk": assessment.pk})

    page = client.get(response.url)
    assert 'name="viewport"' in page.content.decode()
    missing = client.post(response.url, {"distress": "2", "action": "complete"})
    assert missing.status_code == 400
    assert "Merci de répondre à cette question." in missing.content.decode()

    client.post(
        response.url,
        {"distress": "2", "talk_wish": "no", "physical_problems": ["pain"], "action": "complete"},
    )
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.COMPLETED
    result = client.get(response.url).content.decode()
    assert "Besoins repérés" in result and "Douleur" in result


def test_the_pathway_page_shows_needs_scores_and_their_evolution(
    pathway, coordinating_nurse, login
):
    for value in (2, 5):
        a = assessment_start(
            actor=coordinating_nurse,
            pathway=pathway,
            instrument_code="distress-thermometer",
            respondent="patient",
        )
        assessment_save_answers(
            assessment=a, answers={"distress": value, "talk_wish": "no"}, actor=coordinating_nurse
        )
        assessment_complete(assessment=a, actor=coordinating_nurse)
    page = login(coordinating_nurse).get(
        reverse("pathways:pathway_detail", kwargs={"pk": pathway.pk})
    )
    text = page.content.decode()
    assert "Évaluations des besoins" in text
    assert CareType.objects.get(code="psychological").name in text
    assert "À discuter" in text
    # The scale's chart, and the table of its values beside it for screen readers.
    assert '<svg role="img" aria-label="Graphique : ' in text
    assert "les valeurs du graphique" in text
    assert "Évaluation : Thermomètre de détresse" in text  # on the timeline


def test_a_bad_answer_is_shown_in_french_and_saves_nothing(assessment, coordinating_nurse, login):
    url = reverse("assessments:fill", kwargs={"pk": assessment.pk})
    response = login(coordinating_nurse).post(url, {"distress": "12", "action": "save"})
    assert response.status_code == 400
    assert "nombre entier de 0 à 10" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.answers == {}


def test_a_print_link_shows_a_qr_code_once(pathway, coordinating_nurse, login):
    client = login(coordinating_nurse)
    response = client.post(
        reverse("assessments:link_new", kwargs={"pathway_pk": pathway.pk}),
        {"instrument": "sos-screening-patient-during", "respondent": "patient", "channel": "print"},
    )
    text = response.content.decode()
    assert response.status_code == 200 and "<svg" in text and "/evaluations/lien/" in text


def _pages(pathway, assessment, link):
    return [
        ("get", reverse("assessments:new", kwargs={"pathway_pk": pathway.pk}), {}),
        (
            "post",
            reverse("assessments:new", kwargs={"pathway_pk": pathway.pk}),
            {"instrument": "esas-r", "respondent": "professional"},
        ),
        ("get", reverse("assessments:fill", kwargs={"pk": assessment.pk}), {}),
        (
            "post",
            reverse("assessments:fill", kwargs={"pk": assessment.pk}),
            {"distress": "9", "action": "save"},
        ),
        ("get", reverse("assessments:link_new", kwargs={"pathway_pk": pathway.pk}), {}),
        (
            "post",
            reverse("assessments:link_new", kwargs={"pathway_pk": pathway.pk}),
            {"instrument": "esas-r", "respondent": "patient", "channel": "print"},
        ),
        ("post", reverse("assessments:link_revoke", kwargs={"link_pk": link.pk}), {}),
    ]


@pytest.mark.parametrize("index", range(7))
def test_outsiders_get_a_404_audited_and_change_nothing(
    index, pathway, assessment, coordinating_nurse, outsider, login
):
    link = link_issue(
        actor=coordinating_nurse,
        pathway=pathway,
        instrument_code="esas-r",
        channel="print",
        build_url=lambda t: t,
    ).link
    method, url, data = _pages(pathway, assessment, link)[index]
    response = getattr(login(outsider), method)(url, data)
    assert response.status_code == 404
    assert "MARTIN" not in response.content.decode()
    assert AuditEntry.objects.filter(actor=outsider, action="access.denied").exists()
    assessment.refresh_from_db()
    link.refresh_from_db()
    assert assessment.answers == {} and link.revoked_at is None
    assert Assessment.objects.count() == 2


# The link is sent when link_issue's transaction commits, during the request: only a
# transactional test sees the outcome the page reports. Without a gateway SMS is not
# offered (assessments/tests/test_sms_offer.py).
@pytest.mark.django_db(transaction=True)
def test_the_page_says_an_sms_was_sent_when_a_gateway_took_it(
    settings, pathway, coordinating_nurse, login
):
    settings.ONCOLIEN_SMS_BACKEND = "oncolien.notifications.sms.LocmemBackend"
    response = login(coordinating_nurse).post(
        reverse("assessments:link_new", kwargs={"pathway_pk": pathway.pk}),
        {
            "instrument": "distress-thermometer",
            "respondent": "patient",
            "channel": "sms",
            "phone": "0612345678",
        },
        follow=True,
    )
    assert "Le lien a été envoyé par SMS." in response.content.decode()
    assert Delivery.objects.get().outcome == "sent"
