"""The care team's pages and the API: the coordinating nurse creates, sends and
follows referrals; anyone who may not see the pathway gets a 404, audited."""

import pytest
from django.urls import reverse

from oncolien.audit.models import AuditEntry
from oncolien.pathways.selectors import timeline_for, worklist_for
from oncolien.referrals.models import Referral


def _denied(user) -> int:
    return AuditEntry.objects.filter(actor_id=user.pk, action="access.denied").count()


def test_the_nurse_creates_a_referral_from_the_suggestions(
    login, coordinating_nurse, pathway, dietitian
):
    client = login(coordinating_nurse)
    url = reverse("referrals:suggestions", kwargs={"pathway_pk": pathway.pk})
    page = client.get(url, {"soin": "nutrition"}).content.decode()
    assert "Consultation diététique" in page and "Dans la CPTS" in page
    assert "Reste à charge (25.00 €)" in page

    create = reverse(
        "referrals:referral_create", kwargs={"pathway_pk": pathway.pk, "code": "nutrition"}
    )
    response = client.post(create, {"service": dietitian.pk, "note": "Perte de poids"})
    referral = Referral.objects.get()
    assert response.url == reverse("referrals:referral_detail", kwargs={"pk": referral.pk})
    assert (referral.service, referral.note, referral.status) == (
        dietitian,
        "Perte de poids",
        "proposed",
    )

    client.post(reverse("referrals:referral_send", kwargs={"pk": referral.pk}))
    assert Referral.objects.get().status == "sent"

    detail = client.get(reverse("pathways:pathway_detail", kwargs={"pk": pathway.pk})).content
    detail = detail.decode()
    assert "Soins de support proposés et réalisés (PPS/PPAC)" in detail
    assert "Envoyée" in detail
    events = [e for e in timeline_for(pathway) if e.kind == "referral"]
    assert [e.title.split(" : ")[1] for e in events] == ["envoyée", "proposée"]
    assert "Envoyée par courriel" in events[0].detail


def test_a_referral_outside_the_directory(login, coordinating_nurse, pathway):
    client = login(coordinating_nurse)
    create = reverse(
        "referrals:referral_create", kwargs={"pathway_pk": pathway.pk, "code": "psychological"}
    )
    client.post(
        create, {"external_name": "Mme Roux, psychologue", "external_contact": "05 65 00 00 00"}
    )
    referral = Referral.objects.get()
    assert referral.service is None and referral.external_name == "Mme Roux, psychologue"


def test_a_referral_without_recipient_is_refused(login, coordinating_nurse, pathway):
    client = login(coordinating_nurse)
    create = reverse(
        "referrals:referral_create", kwargs={"pathway_pk": pathway.pk, "code": "psychological"}
    )
    response = client.post(create, {"external_name": "  "})
    assert response.status_code == 400
    assert not Referral.objects.exists()


def test_an_illegal_move_on_the_page_changes_nothing(login, coordinating_nurse, make_referral):
    referral = make_referral("proposed")
    client = login(coordinating_nurse)
    response = client.post(
        reverse("referrals:referral_status", kwargs={"pk": referral.pk}), {"to_status": "done"}
    )
    assert response.status_code == 400
    assert "Passage impossible" in response.content.decode()
    assert Referral.objects.get().status == "proposed"


@pytest.fixture
def pages(pathway, make_referral):
    referral = make_referral("sent")
    return [
        ("get", reverse("referrals:suggestions", kwargs={"pathway_pk": pathway.pk}), {}),
        (
            "post",
            reverse(
                "referrals:referral_create", kwargs={"pathway_pk": pathway.pk, "code": "nutrition"}
            ),
            {"external_name": "Quelqu'un"},
        ),
        ("get", reverse("referrals:referral_detail", kwargs={"pk": referral.pk}), {}),
        ("post", reverse("referrals:referral_send", kwargs={"pk": referral.pk}), {}),
        (
            "post",
            reverse("referrals:referral_status", kwargs={"pk": referral.pk}),
            {"to_status": "accepted"},
        ),
        ("get", reverse("referrals:provider_referral", kwargs={"pk": referral.pk}), {}),
        ("get", f"/api/v1/referrals/pathways/{pathway.pk}", {}),
        (
            "post_json",
            f"/api/v1/referrals/pathways/{pathway.pk}",
            {"care_type": "nutrition", "external_name": "X"},
        ),
        ("get", f"/api/v1/referrals/{referral.pk}", {}),
        ("post_json", f"/api/v1/referrals/{referral.pk}/transition", {"to_status": "accepted"}),
    ]


@pytest.mark.parametrize("index", range(10))
def test_the_outsider_gets_404_and_the_denial_is_audited(index, pages, login, outsider):
    method, url, data = pages[index]
    client = login(outsider)
    before = _denied(outsider)
    if method == "post_json":
        response = client.post(url, data, content_type="application/json")
    else:
        response = getattr(client, method)(url, data)
    assert response.status_code == 404
    assert _denied(outsider) == before + 1
    assert Referral.objects.get().status == "sent"
    assert Referral.objects.count() == 1


def test_the_api_lists_creates_and_moves(login, coordinating_nurse, pathway, dietitian):
    client = login(coordinating_nurse)
    base = f"/api/v1/referrals/pathways/{pathway.pk}"
    created = client.post(
        base, {"care_type": "nutrition", "service": dietitian.pk}, content_type="application/json"
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    refused = client.post(
        f"/api/v1/referrals/{pk}/transition",
        {"to_status": "cancelled"},
        content_type="application/json",
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "reason"
    moved = client.post(
        f"/api/v1/referrals/{pk}/transition",
        {"to_status": "cancelled", "reason": "Le patient préfère attendre"},
        content_type="application/json",
    )
    assert moved.json()["status"] == "cancelled"
    assert [r["status"] for r in client.get(base).json()["results"]] == ["cancelled"]


def test_stale_referrals_appear_on_the_nurse_worklist(
    make_referral, coordinating_nurse, outsider, settings
):
    from datetime import timedelta

    from django.utils import timezone

    settings.ONCOLIEN_REFERRAL_STALE_DAYS = 10
    stale = make_referral("accepted")
    fresh = make_referral("sent")
    ended = make_referral("done")
    long_ago = timezone.now() - timedelta(days=11)
    Referral.objects.filter(pk__in=[stale.pk, ended.pk]).update(status_changed_at=long_ago)

    (section,) = [
        s for s in worklist_for(user=coordinating_nurse).sections if "sans nouvelles" in s.title
    ]
    assert "10 jours" in section.title
    assert [item.url for item in section.items] == [
        reverse("referrals:referral_detail", kwargs={"pk": stale.pk})
    ]
    assert fresh.pk != stale.pk
    (other,) = [s for s in worklist_for(user=outsider).sections if "sans nouvelles" in s.title]
    assert other.items == []


def test_a_provider_account_answers_for_its_organisation(login, provider, make_referral):
    referral = make_referral("sent")
    client = login(provider)
    inbox = client.get(reverse("referrals:provider_inbox")).content.decode()
    assert "Consultation diététique" in inbox
    url = reverse("referrals:provider_referral", kwargs={"pk": referral.pk})
    page = client.get(url).content.decode()
    assert "Jeanne D." in page and "Durand" not in page
    client.post(url, {"to_status": "accepted"})
    referral.refresh_from_db()
    assert referral.status == "accepted"
    assert referral.events.last().by == provider


def test_a_provider_of_another_organisation_gets_404(login, provider, make_referral):
    from oncolien.directory.models import Organization

    referral = make_referral("sent")
    Organization.objects.update(email="autre@test.invalid")
    client = login(provider)
    url = reverse("referrals:provider_referral", kwargs={"pk": referral.pk})
    assert client.get(url).status_code == 404
    assert client.post(url, {"to_status": "accepted"}).status_code == 404
    assert Referral.objects.get().status == "sent"


def test_the_worklist_says_how_many_stale_referrals_it_does_not_show(
    make_referral, coordinating_nurse, login, settings, monkeypatch
):
    """Before, the section stopped at 100 with nothing to say that others were waiting."""
    from datetime import timedelta

    from django.utils import timezone

    from oncolien.referrals import selectors

    settings.ONCOLIEN_REFERRAL_STALE_DAYS = 10
    monkeypatch.setattr(selectors, "STALE_SHOWN", 2)
    made = [make_referral("accepted") for _ in range(3)]
    Referral.objects.filter(pk__in=[r.pk for r in made]).update(
        status_changed_at=timezone.now() - timedelta(days=11)
    )

    page = login(coordinating_nurse).get(reverse("pathways:worklist")).content.decode()

    assert page.count('href="/orientations/') >= 2
    assert "Les 2 plus anciennes sont affichées sur 3 orientations sans nouvelles." in page
