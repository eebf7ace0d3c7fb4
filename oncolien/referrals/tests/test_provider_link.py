"""The provider's signed link: shows only what the referral needs, records the
answers with no actor in the audit trail, and refuses expired or altered links
with a page that names no patient."""

import time

from django.core import mail
from django.urls import reverse

from oncolien.audit.models import AuditEntry
from oncolien.pathways.services import consent_record
from oncolien.referrals import provider_links, services
from oncolien.referrals.models import Referral


def _html(response) -> str:
    return response.content.decode()


def test_the_link_shows_only_what_the_referral_needs(client, make_referral):
    referral = make_referral("sent")
    response = client.get(provider_links.link_for(referral))
    page = _html(response)
    assert response.status_code == 200
    assert "Jeanne D." in page
    assert "Durand" not in page and "DURAND" not in page
    assert "Espalion" in page
    assert "0612345678" in page
    assert "1958" not in page  # the birth date: only the age is shown
    assert f"{referral.pathway.patient.age_on(referral.created_at.date())} ans" in page
    assert "idec.nord@test.invalid" in page
    entry = AuditEntry.objects.get(action="referral.link_read")
    assert entry.actor_id is None and entry.target_id == str(referral.pk)


def test_no_phone_when_the_patient_objects_to_sharing(client, make_referral, coordinating_nurse):
    referral = make_referral("sent")
    consent_record(
        actor=coordinating_nurse,
        pathway=referral.pathway,
        informed_on=referral.created_at.date(),
        objects_to_sharing=True,
    )
    assert "0612345678" not in _html(client.get(provider_links.link_for(referral)))


def test_the_provider_answers_through_the_link(client, make_referral):
    referral = make_referral("sent")
    url = provider_links.link_for(referral)

    assert client.post(url, {"to_status": "accepted"}).status_code == 302
    client.post(
        url,
        {
            "to_status": "appointment_set",
            "appointment_on": "2026-11-18",
            "appointment_time": "9:30",
        },
    )
    client.post(url, {"to_status": "done"})

    referral.refresh_from_db()
    assert referral.status == "done"
    assert str(referral.appointment_on) == "2026-11-18"
    events = list(referral.events.filter(via_provider_link=True))
    assert [e.to_status for e in events] == ["accepted", "appointment_set", "done"]
    assert all(e.by is None for e in events)
    audited = AuditEntry.objects.filter(action="referral.status", target_id=str(referral.pk))
    assert audited.filter(actor_id__isnull=True).count() == 3
    assert "Annuler « Soin réalisé »" in _html(client.get(url))


def test_a_refusal_without_reason_changes_nothing(client, make_referral):
    referral = make_referral("sent")
    response = client.post(provider_links.link_for(referral), {"to_status": "declined"})
    assert response.status_code == 400
    assert "Indiquez le motif" in _html(response)
    assert Referral.objects.get(pk=referral.pk).status == "sent"


def test_the_provider_cannot_cancel(client, make_referral):
    referral = make_referral("sent")
    response = client.post(
        provider_links.link_for(referral), {"to_status": "cancelled", "reason": "x"}
    )
    assert response.status_code == 400
    assert Referral.objects.get(pk=referral.pk).status == "sent"


def test_an_expired_link_gets_a_clear_page_without_patient_data(client, make_referral, monkeypatch):
    referral = make_referral("sent")
    issued = time.time() - 31 * 24 * 3600
    monkeypatch.setattr("django.core.signing.time.time", lambda: issued)
    url = provider_links.link_for(referral)
    monkeypatch.undo()

    for response in (client.get(url), client.post(url, {"to_status": "accepted"})):
        assert response.status_code == 410
        assert "Ce lien a expiré" in _html(response)
        assert "CPTS Nord Aveyron" in _html(response)  # whom to ask for a new one
        assert "Jeanne" not in _html(response)
    assert Referral.objects.get(pk=referral.pk).status == "sent"
    refusals = AuditEntry.objects.filter(
        action="access.denied", actor_id=None, details__permission="referral.provider_link"
    )
    assert [e.details["reason"] for e in refusals] == ["expired", "expired"]
    assert {e.target_id for e in refusals} == {str(referral.pk)}


def test_a_tampered_link_gets_a_clear_page(client, make_referral):
    referral = make_referral("sent")
    token = provider_links.token_for(referral)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    response = client.get(reverse("referrals:provider_link", kwargs={"token": tampered}))
    assert response.status_code == 404
    assert "pas valide" in _html(response)
    assert "Jeanne" not in _html(response)
    refusal = AuditEntry.objects.get(action="access.denied", actor_id=None)
    assert refusal.details == {"permission": "referral.provider_link", "reason": "invalid"}
    assert refusal.target_id == ""


def test_a_new_link_key_revokes_the_old_link(client, make_referral):
    referral = make_referral("sent")
    url = provider_links.link_for(referral)
    Referral.objects.filter(pk=referral.pk).update(link_key="nouvelle-cle")
    response = client.get(url)
    assert response.status_code == 410
    assert "Ce lien ne fonctionne plus" in _html(response)
    assert "Jeanne" not in _html(response)


def test_sending_emails_the_link_to_the_service(
    make_referral, coordinating_nurse, django_capture_on_commit_callbacks
):
    referral = make_referral("proposed")
    link = "https://oncolien.example" + provider_links.link_for(referral)
    with django_capture_on_commit_callbacks(execute=True):
        services.referral_send(actor=coordinating_nurse, referral=referral, link=link)
    (message,) = mail.outbox
    assert message.to == ["dieteticienne.nord@test.invalid"]
    assert link in message.body
    assert "Durand" not in message.body and "Jeanne" not in message.body
    referral.refresh_from_db()
    assert referral.status == "sent"
    assert "Envoyée par courriel" in referral.events.last().detail
