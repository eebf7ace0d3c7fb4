"""The provider's inbox: exactly the referrals the permission table grants, in a
constant number of queries however many there are (before: one check per row)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from oncolien.accounts.authorization import is_allowed
from oncolien.referrals.access import REFERRAL_RESPOND
from oncolien.referrals.models import Referral
from oncolien.referrals.selectors import provider_referrals_for

pytestmark = pytest.mark.django_db


def _queries(user) -> tuple[int, list[Referral]]:
    # A fresh user object: the memberships cache must not hide a query.
    user = type(user).objects.get(pk=user.pk)
    user.is_verified = lambda: True  # as after a full log-in
    with CaptureQueriesContext(connection) as captured:
        shown = provider_referrals_for(user=user).items
    return len(captured.captured_queries), shown


def test_the_inbox_costs_the_same_for_one_or_many_referrals(make_referral, provider):
    make_referral("sent")
    few, shown = _queries(provider)
    assert len(shown) == 1
    for status in ("sent", "accepted", "appointment_set", "done", "declined", "sent"):
        make_referral(status)
    many, shown = _queries(provider)
    assert len(shown) == 7
    assert many == few


def test_the_inbox_shows_what_the_permission_allows_and_nothing_else(
    make_referral, provider, outsider, coordinator
):
    shown = make_referral("sent")
    make_referral("proposed")  # not yet sent: not the provider's business
    assert [r.pk for r in provider_referrals_for(user=provider).items] == [shown.pk]
    assert is_allowed(provider, REFERRAL_RESPOND, shown)
    # Neither another CPTS's coordinator nor a coordinator without the provider role.
    assert provider_referrals_for(user=outsider).items == []
    assert provider_referrals_for(user=coordinator).items == []


def test_the_inbox_tells_the_total_and_reaches_every_referral(make_referral, provider):
    """Before, it stopped at the 200 latest, with nothing to say that others existed."""
    made = [make_referral("sent") for _ in range(5)]
    first = provider_referrals_for(user=provider, page=1, per_page=2)
    last = provider_referrals_for(user=provider, page=3, per_page=2)
    assert (first.count, first.pages, len(first.items)) == (5, 3, 2)
    assert [r.pk for r in last.items] == [made[0].pk]  # the oldest news last


def test_the_inbox_page_shows_the_total_and_refuses_a_page_that_does_not_exist(
    make_referral, provider, login
):
    make_referral("sent")
    make_referral("accepted")
    client = login(provider)
    page = client.get(reverse("referrals:provider_inbox")).content.decode()
    assert "2 orientations reçues" in page
    response = client.get(reverse("referrals:provider_inbox"), {"page": 4})
    assert response.status_code == 404
    assert "La page 4 n&#x27;existe pas : la liste tient sur une seule page." in (
        response.content.decode()
    )
