"""The patient's one-time link: issue, use, expiry, single use, revocation."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from oncolien.assessments.models import AccessLink, AssessmentStatus
from oncolien.assessments.services import link_issue
from oncolien.audit.models import AuditEntry
from oncolien.link_tokens import hash_token
from oncolien.notifications import sms

pytestmark = pytest.mark.django_db


def _issue(actor, pathway, *, channel="print", code="distress-thermometer", **kwargs):
    return link_issue(
        actor=actor,
        pathway=pathway,
        instrument_code=code,
        channel=channel,
        build_url=lambda token: f"https://oncolien.test/evaluations/lien/{token}/",
        **kwargs,
    )


def _url(issued):
    return reverse("assessments:patient_fill", kwargs={"token": issued.token})


def test_an_email_link_names_neither_patient_nor_illness(
    pathway, coordinating_nurse, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        issued = _issue(coordinating_nurse, pathway, channel="email", email="jeanne@example.test")
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert issued.url in body and "Martin" not in body and "cancer" not in body.lower()
    assert issued.link.token_hash == hash_token(issued.token)
    assert issued.token not in issued.link.token_hash
    assert issued.link.expires_at - timezone.now() > timedelta(days=6, hours=23)


def test_an_sms_link_goes_through_the_configured_backend(
    settings, pathway, coordinating_nurse, django_capture_on_commit_callbacks
):
    settings.ONCOLIEN_SMS_BACKEND = "oncolien.notifications.sms.LocmemBackend"
    sms.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        issued = _issue(coordinating_nurse, pathway, channel="sms", phone="0612345678")
    assert sms.outbox == [("0612345678", sms.outbox[0][1])]
    assert issued.url in sms.outbox[0][1]


def test_an_email_link_needs_an_address(pathway, coordinating_nurse):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="adresse électronique"):
        _issue(coordinating_nurse, pathway, channel="email")
    assert not AccessLink.objects.exists()


def test_the_patient_fills_and_completes_then_the_link_is_dead(client, pathway, coordinating_nurse):
    issued = _issue(coordinating_nurse, pathway)
    page = client.get(_url(issued))
    assert page.status_code == 200
    assert "Martin" not in page.content.decode() and "MARTIN" not in page.content.decode()
    assert page["Referrer-Policy"] == "same-origin"

    # An autosave after a change, then the page reopened: the answer is still there.
    saved = client.post(_url(issued), {"distress": "6", "action": "save"}, HTTP_X_AUTOSAVE="1")
    assert saved.json()["saved"] is True
    assert 'value="6" checked' in client.get(_url(issued)).content.decode()

    done = client.post(_url(issued), {"distress": "6", "talk_wish": "yes", "action": "complete"})
    assert "vos réponses ont été envoyées" in done.content.decode()
    issued.link.refresh_from_db()
    assert issued.link.used_at is not None
    assessment = issued.link.assessment
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.COMPLETED
    assert assessment.results["needs"]["psychological"] == "priority"
    assert pathway.alerts.filter(rule="distress").count() == 1

    reused = client.get(_url(issued))
    assert reused.status_code == 410
    assert "déjà été envoyé" in reused.content.decode()
    assert "Martin" not in reused.content.decode()
    uses = AuditEntry.objects.filter(action__startswith="assessment.link.", actor__isnull=True)
    assert list(uses.order_by("sequence").values_list("action", flat=True)) == [
        "assessment.link.open",
        "assessment.link.open",
        "assessment.link.open",
        "assessment.link.open",
        "assessment.link.refused",
    ]


def test_missing_required_answers_are_shown_and_the_link_stays_open(
    client, pathway, coordinating_nurse
):
    issued = _issue(coordinating_nurse, pathway)
    response = client.post(_url(issued), {"action": "complete"})
    assert response.status_code == 400
    assert "Merci de répondre à cette question." in response.content.decode()
    issued.link.refresh_from_db()
    assert issued.link.used_at is None


def test_an_expired_link_shows_a_clear_page_without_patient_data(
    client, pathway, coordinating_nurse
):
    issued = _issue(coordinating_nurse, pathway)
    AccessLink.objects.filter(pk=issued.link.pk).update(expires_at=timezone.now())
    response = client.get(_url(issued))
    assert response.status_code == 410
    text = response.content.decode()
    assert "Ce lien a expiré" in text and "Martin" not in text and "Jeanne" not in text
    posted = client.post(_url(issued), {"distress": "9", "action": "complete"})
    assert posted.status_code == 410
    assert issued.link.assessment.answers == {}


def test_a_revoked_link_no_longer_works(client, pathway, coordinating_nurse, login):
    issued = _issue(coordinating_nurse, pathway)
    login(coordinating_nurse).post(
        reverse("assessments:link_revoke", kwargs={"link_pk": issued.link.pk})
    )
    client.logout()
    response = client.get(_url(issued))
    assert response.status_code == 410
    assert "n'est plus valide" in response.content.decode()


def test_an_unknown_link_is_a_404_without_data(client, instruments):
    response = client.get(reverse("assessments:patient_fill", kwargs={"token": "inconnu"}))
    assert response.status_code == 404
    assert "Lien introuvable" in response.content.decode()


def test_the_link_lifetime_is_configurable(pathway, coordinating_nurse, settings):
    settings.ONCOLIEN_ASSESSMENT_LINK_DAYS = 2
    issued = _issue(coordinating_nurse, pathway)
    assert issued.link.expires_at - timezone.now() < timedelta(days=2, minutes=1)
