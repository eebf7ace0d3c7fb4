"""A provider's link stops working as soon as it has nothing left to do: the referral
was cancelled, declined or not honoured, or its pathway was closed; a member of the
care team may also revoke it by hand. A revoked link shows a French page that names
no patient, answers 410, and is audited as a refusal; a fresh link still works."""

import pytest
from django.urls import reverse

from oncolien.audit.models import AuditEntry
from oncolien.pathways.services import status_change
from oncolien.referrals import provider_links, services
from oncolien.referrals.models import Referral
from oncolien.referrals.services import Answer

PATIENT_DATA = ("Jeanne", "Durand", "0612345678", "Espalion", "Perte de poids")


def _html(response) -> str:
    return response.content.decode()


def _assert_revoked_page(response) -> None:
    page = _html(response)
    assert response.status_code == 410
    assert "Ce lien ne fonctionne plus" in page
    assert "CPTS Nord Aveyron" in page  # whom to contact
    for shown in PATIENT_DATA:
        assert shown not in page, shown


def _link_refusals(referral) -> int:
    return AuditEntry.objects.filter(
        action="access.denied",
        actor_id=None,
        target_id=str(referral.pk),
        details__permission="referral.provider_link",
        details__reason="revoked",
    ).count()


@pytest.fixture
def sent(make_referral):
    referral = make_referral("sent")
    Referral.objects.filter(pk=referral.pk).update(note="Perte de poids")
    referral.refresh_from_db()
    return referral


def test_a_link_of_a_sent_referral_shows_the_patient(client, sent):
    page = _html(client.get(provider_links.link_for(sent)))
    assert "Jeanne D." in page and "Perte de poids" in page


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        (["cancelled"], "Le patient a déménagé"),
        (["declined"], "Plus de place"),
        (["accepted", "not_honoured"], "Le patient n'est pas venu"),
    ],
)
def test_a_link_stops_working_when_the_referral_ends(
    client, sent, coordinating_nurse, path, reason
):
    url = provider_links.link_for(sent)
    key_before = sent.link_key
    for step in path:
        services.referral_transition(
            actor=coordinating_nurse, referral=sent, answer=Answer(step, reason=reason)
        )
    assert Referral.objects.get(pk=sent.pk).link_key != key_before

    _assert_revoked_page(client.get(url))
    _assert_revoked_page(client.post(url, {"to_status": "accepted"}))
    assert Referral.objects.get(pk=sent.pk).status == path[-1]
    assert _link_refusals(sent) == 2


def test_a_provider_declining_through_the_link_closes_it(client, sent):
    url = provider_links.link_for(sent)
    assert client.post(url, {"to_status": "declined", "reason": "Plus de place"}).status_code == 302
    _assert_revoked_page(client.get(url))


def test_a_link_stops_working_when_the_pathway_is_closed(client, sent, coordinating_nurse):
    url = provider_links.link_for(sent)
    status_change(
        actor=coordinating_nurse,
        pathway=sent.pathway,
        to_status="closed",
        closing_reason="end_of_follow_up",
    )
    _assert_revoked_page(client.get(url))


def test_after_the_care_is_done_the_link_offers_the_undo_without_patient_data(client, sent):
    url = provider_links.link_for(sent)
    client.post(url, {"to_status": "accepted"})
    client.post(
        url,
        {
            "to_status": "appointment_set",
            "appointment_on": "2026-01-05",
            "appointment_time": "9:30",
        },
    )
    assert client.post(url, {"to_status": "done"}).status_code == 302

    response = client.get(url)
    page = _html(response)
    assert response.status_code == 200
    assert "Annuler « Soin réalisé »" in page
    for shown in PATIENT_DATA:
        assert shown not in page, shown
    # Undone, the referral waits again and the page shows the patient again.
    assert client.post(url, {"to_status": "appointment_set"}).status_code == 302
    assert "Jeanne D." in _html(client.get(url))


def test_the_care_team_revokes_a_link_by_hand(client, login, sent, coordinator):
    old_url = provider_links.link_for(sent)
    staff = login(coordinator)
    revoke = reverse("referrals:referral_link_revoke", kwargs={"pk": sent.pk})

    response = staff.post(revoke, follow=True)
    page = _html(response)
    assert response.status_code == 200
    assert "Le lien envoyé au professionnel a été révoqué" in page
    entry = AuditEntry.objects.get(action="referral.link_revoked")
    assert entry.actor_id == coordinator.pk and entry.target_id == str(sent.pk)

    client.logout()
    _assert_revoked_page(client.get(old_url))
    # The referral still waits for the provider: a fresh link works at once.
    fresh = Referral.objects.get(pk=sent.pk)
    new_page = client.get(provider_links.link_for(fresh))
    assert new_page.status_code == 200 and "Jeanne D." in _html(new_page)


def test_the_referral_page_offers_the_revoke_button(login, sent, coordinator):
    page = _html(
        login(coordinator).get(reverse("referrals:referral_detail", kwargs={"pk": sent.pk}))
    )
    assert reverse("referrals:referral_link_revoke", kwargs={"pk": sent.pk}) in page
    assert "Révoquer ce lien" in page


def test_revoking_needs_a_post_and_the_right_to_write(login, sent, outsider, coordinator):
    revoke = reverse("referrals:referral_link_revoke", kwargs={"pk": sent.pk})
    assert login(coordinator).get(revoke).status_code == 405
    assert login(outsider).post(revoke).status_code == 404
    assert Referral.objects.get(pk=sent.pk).link_key == sent.link_key
    assert not AuditEntry.objects.filter(action="referral.link_revoked").exists()


def test_an_answer_read_before_a_revocation_is_refused_after_it(sent, coordinator):
    """The provider opened the page, then the team revoked the link, then the
    provider answers: the answer is refused, nothing changes."""
    opened = provider_links.referral_from_token(provider_links.token_for(sent))
    services.referral_link_revoke(actor=coordinator, referral=Referral.objects.get(pk=sent.pk))
    with pytest.raises(provider_links.LinkRevoked):
        services.referral_answer_by_link(referral=opened, answer=Answer("accepted"))
    assert Referral.objects.get(pk=sent.pk).status == "sent"
