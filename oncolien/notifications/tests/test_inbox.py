"""The in-app channel: a notification a person reads on « Notifications », with an
unread count in the header of every page; nobody sees another person's."""

import pytest
from django.db import transaction
from django.urls import reverse

from oncolien.notifications.models import Delivery
from oncolien.notifications.services import notify

pytestmark = pytest.mark.django_db


def _app(user, **overrides):
    fields = {
        "channel": "app",
        "recipient_user": user,
        "to": user.get_full_name(),
        "subject": "Alerte élevée — parcours n° 12",
        "body": "",
        "kind": "alert.raised",
        "link": "/parcours/12/#alertes",
    }
    return notify(**(fields | overrides))


class Rollback(Exception):
    pass


def test_an_in_app_notification_is_delivered_when_the_transaction_commits(
    coordinating_nurse, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        delivery = _app(coordinating_nurse)
        assert Delivery.objects.get(pk=delivery.pk).outcome == "pending"
    delivery.refresh_from_db()
    assert delivery.channel == "app"
    assert delivery.outcome == "sent" and delivery.sent_at is not None
    assert delivery.read_at is None
    assert delivery.link == "/parcours/12/#alertes"


def test_an_in_app_notification_that_rolls_back_leaves_nothing(
    coordinating_nurse, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(Rollback),
        transaction.atomic(),
    ):
        _app(coordinating_nurse)
        raise Rollback
    assert not Delivery.objects.exists()


def test_an_in_app_notification_needs_a_recipient_account(coordinating_nurse):
    with pytest.raises(ValueError):
        _app(coordinating_nurse, recipient_user=None)


def test_the_header_shows_the_unread_count_on_every_page(
    coordinating_nurse, login, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _app(coordinating_nurse)
        _app(coordinating_nurse, subject="Alerte modérée — parcours n° 13")
    client = login(coordinating_nurse)
    for url in (reverse("web:home"), reverse("directory:search")):
        page = client.get(url).content.decode()
        assert "Notifications (2 non lues)" in page


def test_the_inbox_lists_only_ones_own_and_following_marks_read(
    coordinating_nurse, community_nurse, login, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        mine = _app(coordinating_nurse)
        _app(community_nurse, subject="Pour quelqu'un d'autre")
    client = login(coordinating_nurse)
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert "Alerte élevée — parcours n° 12" in page
    assert "Pour quelqu&#x27;un d&#x27;autre" not in page
    followed = client.get(reverse("notifications:open", kwargs={"pk": mine.pk}))
    assert followed.status_code == 302 and followed["Location"] == "/parcours/12/#alertes"
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert "Notifications (0 non lue)" in client.get(reverse("web:home")).content.decode()


def test_nobody_opens_another_persons_notification(
    coordinating_nurse, community_nurse, login, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        theirs = _app(community_nurse)
    client = login(coordinating_nurse)
    assert client.get(reverse("notifications:open", kwargs={"pk": theirs.pk})).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_inbox_needs_a_log_in(client):
    response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 302 and "/compte/connexion/" in response["Location"]
