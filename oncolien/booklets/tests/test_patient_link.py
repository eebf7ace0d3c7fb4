"""The patient's personal link: the code given apart opens the booklet; wrong codes are
counted and lock the link; a revoked, expired or locked link answers 410 with no
patient data; each use is in the audit trail."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from oncolien.audit.models import AuditEntry
from oncolien.booklets.links import MAX_FAILED_CODES
from oncolien.booklets.models import BookletLink
from oncolien.booklets.services import link_issue, link_revoke
from oncolien.link_tokens import hash_token


def _issue(actor, pathway, channel="print", **kwargs):
    return link_issue(
        actor=actor,
        pathway=pathway,
        channel=channel,
        build_url=lambda token: f"http://testserver{reverse('booklets:patient', args=[token])}",
        **kwargs,
    )


def _path(issued) -> str:
    return reverse("booklets:patient", args=[issued.token])


def _actions(link) -> list[str]:
    return list(
        AuditEntry.objects.filter(target_type="booklets.bookletlink", target_id=str(link.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_the_good_code_opens_the_booklet_and_each_view_is_audited(
    client, coordinating_nurse, pathway
):
    issued = _issue(coordinating_nurse, pathway)
    first = client.get(_path(issued))
    assert first.status_code == 200
    assert "Durand" not in first.content.decode() and "DURAND" not in first.content.decode()
    assert first["Cache-Control"] == "no-store"

    opened = client.post(_path(issued), {"code": issued.code[:3] + " " + issued.code[3:]})
    page = opened.content.decode()
    assert opened.status_code == 200
    assert "Jeanne DURAND" in page
    assert "Votre équipe de soins" in page and "Dr Paul Costes" in page
    assert "Les signes qui doivent vous faire appeler" in page

    # The same browser reads it again without the code, within its session.
    again = client.get(_path(issued))
    assert "Jeanne DURAND" in again.content.decode()
    assert _actions(issued.link) == ["booklet.link.issue", "booklet.link.view", "booklet.link.view"]
    issued.link.refresh_from_db()
    assert issued.link.last_opened_at is not None


def test_a_wrong_code_is_refused_counted_and_audited(client, coordinating_nurse, pathway):
    issued = _issue(coordinating_nurse, pathway)
    refused = client.post(_path(issued), {"code": _wrong(issued.code)})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "Ce code n&#x27;est pas le bon. Il vous reste 4 essais" in page
    assert "DURAND" not in page
    issued.link.refresh_from_db()
    assert issued.link.failed_attempts == 1
    assert _actions(issued.link) == ["booklet.link.issue", "booklet.link.code_refused"]
    # Another browser without the code sees only the code page.
    assert "DURAND" not in client.get(_path(issued)).content.decode()


def test_too_many_wrong_codes_lock_the_link_even_for_the_good_code(
    client, coordinating_nurse, pathway
):
    issued = _issue(coordinating_nurse, pathway)
    for _ in range(MAX_FAILED_CODES - 1):
        assert client.post(_path(issued), {"code": _wrong(issued.code)}).status_code == 400
    last = client.post(_path(issued), {"code": _wrong(issued.code)})
    assert last.status_code == 410
    assert "Ce lien est bloqué" in last.content.decode()
    late = client.post(_path(issued), {"code": issued.code})
    assert late.status_code == 410 and "DURAND" not in late.content.decode()
    assert _actions(issued.link)[-1] == "booklet.link.refused"


def test_a_revoked_link_answers_410_without_patient_data(
    client, coordinating_nurse, pathway, login
):
    issued = _issue(coordinating_nurse, pathway)
    assert client.post(_path(issued), {"code": issued.code}).status_code == 200
    nurse = login(coordinating_nurse)
    revoked = nurse.post(reverse("booklets:link_revoke", args=[issued.link.pk]))
    assert revoked.status_code == 302
    nurse.logout()
    for response in (client.get(_path(issued)), client.post(_path(issued), {"code": issued.code})):
        page = response.content.decode()
        assert response.status_code == 410
        assert "Ce lien n'est plus valide" in page
        assert "DURAND" not in page and "Costes" not in page
    actions = _actions(issued.link)
    assert "booklet.link.revoke" in actions and actions[-1] == "booklet.link.refused"


def test_an_expired_link_answers_410(client, coordinating_nurse, pathway):
    issued = _issue(coordinating_nurse, pathway)
    BookletLink.objects.filter(pk=issued.link.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    response = client.post(_path(issued), {"code": issued.code})
    assert response.status_code == 410
    assert "Ce lien a expiré" in response.content.decode()
    assert "DURAND" not in response.content.decode()


def test_an_unknown_link_is_a_404(client, db):
    response = client.get(reverse("booklets:patient", args=["nimporte-quoi"]))
    assert response.status_code == 404
    assert "Lien introuvable" in response.content.decode()


def test_a_new_link_replaces_the_open_one(client, coordinating_nurse, pathway):
    first = _issue(coordinating_nurse, pathway)
    second = _issue(coordinating_nurse, pathway)
    assert client.get(_path(first)).status_code == 410
    assert client.get(_path(second)).status_code == 200


def test_the_e_mail_carries_the_link_never_the_code(
    coordinating_nurse, pathway, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        issued = _issue(coordinating_nurse, pathway, channel="email", email="j.durand@exemple.fr")
    body = mail.outbox[-1].body
    assert issued.url in body
    assert issued.code not in body and "Durand" not in body and "cancer" not in body.lower()
    assert issued.link.token_hash == hash_token(issued.token)
    assert issued.code not in issued.link.code_hash


def test_an_sms_needs_a_number_and_bad_input_changes_nothing(coordinating_nurse, pathway, settings):
    settings.ONCOLIEN_SMS_BACKEND = "oncolien.notifications.sms.LocmemBackend"
    with pytest.raises(ValidationError, match="téléphone portable"):
        _issue(coordinating_nurse, pathway, channel="sms")
    assert not BookletLink.objects.exists()


def test_only_the_care_team_revokes(coordinating_nurse, outsider, pathway, login):
    issued = _issue(coordinating_nurse, pathway)
    response = login(outsider).post(reverse("booklets:link_revoke", args=[issued.link.pk]))
    assert response.status_code == 404
    issued.link.refresh_from_db()
    assert issued.link.revoked_at is None
    with pytest.raises(Exception, match="Accès refusé"):
        link_revoke(actor=outsider, link=issued.link)


def test_the_professional_issues_a_printed_link_and_sees_the_code_once(
    login, coordinating_nurse, pathway
):
    client = login(coordinating_nurse)
    url = reverse("booklets:link_new", args=[pathway.pk])
    assert client.get(url).status_code == 200
    refused = client.post(url, {"channel": "email"})
    assert refused.status_code == 400 and "adresse électronique" in refused.content.decode()
    response = client.post(url, {"channel": "print"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Code personnel à remettre au patient" in page and "<svg" in page
    link = BookletLink.objects.get()
    assert link.created_by == coordinating_nurse
    booklet_page = client.get(reverse("booklets:booklet", args=[pathway.pk])).content.decode()
    assert "actif" in booklet_page
