"""Drafting, public proposal, review and publication; who may do each; the audit."""

import pytest
from django.core.exceptions import ValidationError

from oncolien.accounts.authorization import AccessDenied
from oncolien.audit.models import AuditEntry
from oncolien.practices import services
from oncolien.practices.models import Practice, Status
from oncolien.practices.selectors import practices_published
from oncolien.practices.tests.factories import make_practice

pytestmark = pytest.mark.django_db

VALUES = {"title": "Des visites à domicile", "summary": "Une infirmière se déplace."}


def test_a_coordinator_drafts_and_submits_her_cpts_practice(coordinator, nord_aveyron):
    practice = services.practice_create(
        actor=coordinator, cpts=nord_aveyron, values=VALUES, care_types=[]
    )
    assert practice.status == Status.DRAFT
    assert practice not in practices_published()
    services.practice_submit(actor=coordinator, practice=practice)
    practice.refresh_from_db()
    assert practice.status == Status.SUBMITTED
    entry = AuditEntry.objects.filter(action="practices.submitted").get()
    assert entry.details == {"from": "draft", "to": "submitted"}


def test_a_coordinator_may_not_write_for_another_cpts(outsider, coordinator, nord_aveyron):
    with pytest.raises(AccessDenied):
        services.practice_create(actor=outsider, cpts=nord_aveyron, values=VALUES, care_types=[])
    practice = make_practice(nord_aveyron)
    with pytest.raises(AccessDenied):
        services.practice_update(actor=outsider, practice=practice, values=VALUES, care_types=[])
    assert not Practice.objects.filter(title=VALUES["title"]).exists()


def test_only_regional_staff_review_and_publish(regional, coordinator, nord_aveyron):
    practice = make_practice(nord_aveyron, status=Status.SUBMITTED)
    with pytest.raises(AccessDenied):
        services.practice_publish(actor=coordinator, practice=practice)
    services.practice_publish(actor=regional, practice=practice)
    practice.refresh_from_db()
    assert practice.status == Status.PUBLISHED and practice.published_at
    assert practice in practices_published()
    assert AuditEntry.objects.filter(action="practices.published", actor_id=regional.pk).exists()


def test_changes_requested_need_a_comment_and_reopen_the_draft(regional, coordinator, nord_aveyron):
    practice = make_practice(nord_aveyron, status=Status.SUBMITTED)
    with pytest.raises(ValidationError) as error:
        services.practice_request_changes(actor=regional, practice=practice, comment=" ")
    assert "Dites à la CPTS" in str(error.value)
    practice.refresh_from_db()
    assert practice.status == Status.SUBMITTED
    services.practice_request_changes(
        actor=regional, practice=practice, comment="Ajoutez les chiffres clés."
    )
    practice.refresh_from_db()
    assert practice.status == Status.CHANGES_REQUESTED
    assert practice.review_comment == "Ajoutez les chiffres clés."
    services.practice_update(
        actor=coordinator, practice=practice, values={**VALUES, "title": "Révisée"}, care_types=[]
    )
    services.practice_submit(actor=coordinator, practice=practice)
    practice.refresh_from_db()
    assert (practice.title, practice.status) == ("Révisée", Status.SUBMITTED)


def test_a_refusal_keeps_its_reason_and_stays_private(regional, nord_aveyron):
    practice = make_practice(nord_aveyron, status=Status.SUBMITTED)
    services.practice_refuse(actor=regional, practice=practice, comment="Hors du champ.")
    practice.refresh_from_db()
    assert practice.status == Status.REFUSED
    assert practice not in practices_published()
    with pytest.raises(ValidationError):
        services.practice_publish(actor=regional, practice=practice)


def test_a_published_practice_is_no_longer_edited_by_the_cpts(coordinator, nord_aveyron):
    practice = make_practice(nord_aveyron, status=Status.PUBLISHED)
    with pytest.raises(ValidationError) as error:
        services.practice_update(actor=coordinator, practice=practice, values=VALUES, care_types=[])
    assert "ne peut plus être modifiée" in str(error.value)


def test_a_public_proposal_waits_for_review_and_is_rate_limited(nord_aveyron):
    for number in range(services.RATE_LIMIT):
        practice = services.practice_propose(
            cpts=nord_aveyron,
            values={**VALUES, "title": f"Action {number}"},
            care_types=[],
            client_ip="203.0.113.9",
        )
        assert practice.status == Status.SUBMITTED
    with pytest.raises(services.TooManyProposals) as limited:
        services.practice_propose(
            cpts=nord_aveyron, values=VALUES, care_types=[], client_ip="203.0.113.9"
        )
    assert "n'a pas été enregistrée" in str(limited.value)
    assert Practice.objects.count() == services.RATE_LIMIT
    # Another sender is not held back.
    services.practice_propose(
        cpts=nord_aveyron, values=VALUES, care_types=[], client_ip="203.0.113.10"
    )
    assert AuditEntry.objects.filter(action="practices.proposed").count() == services.RATE_LIMIT + 1


def test_the_public_form_keeps_nothing_from_a_robot(client, nord_aveyron):
    data = {"cpts": nord_aveyron.slug, "homepage": "http://spam.example", **VALUES}
    response = client.post("/pratiques/parlez-nous-de-vos-actions/", data)
    assert response.status_code == 302
    assert not Practice.objects.exists()


def test_the_public_form_stores_a_proposal(client, nord_aveyron):
    data = {
        "cpts": nord_aveyron.slug,
        "care_types": ["psychological"],
        **VALUES,
        "key_figures": "9 : infirmières formées",
    }
    response = client.post("/pratiques/parlez-nous-de-vos-actions/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    practice = Practice.objects.get()
    assert practice.status == Status.SUBMITTED
    assert practice.key_figures == [{"value": "9", "label": "infirmières formées"}]
    assert list(practice.care_types.values_list("code", flat=True)) == ["psychological"]
    # Not public until published.
    assert client.get(f"/pratiques/{practice.pk}/").status_code == 404


def test_the_home_page_offers_the_practices_to_coordinators_and_regional_staff(
    login, coordinator, regional, physician
):
    for user in (coordinator, regional):
        assert "/pratiques/gestion/" in login(user).get("/").content.decode()
    assert "/pratiques/gestion/" not in login(physician).get("/").content.decode()
