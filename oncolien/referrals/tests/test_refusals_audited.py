"""A refused read of a referral is in the audit trail exactly once, even when the
refusal rolls back the transaction it happened in (before: the entry was lost)."""

import contextlib

import pytest
from django.db import transaction
from django.http import Http404

from oncolien.audit.models import AuditEntry
from oncolien.audit.pending import refusals_flushed
from oncolien.referrals.selectors import provider_referral_for, referral_for

pytestmark = pytest.mark.django_db


def _denials(user) -> int:
    return AuditEntry.objects.filter(action="access.denied", actor_id=user.pk).count()


@pytest.mark.parametrize("inside_transaction", [True, False])
def test_a_refused_referral_is_audited_once(make_referral, outsider, inside_transaction):
    referral = make_referral("sent")
    with refusals_flushed():
        block = transaction.atomic() if inside_transaction else contextlib.nullcontext()
        with pytest.raises(Http404), block:
            referral_for(user=outsider, pk=referral.pk)
    assert _denials(outsider) == 1


def test_a_provider_refused_a_referral_of_another_organisation_is_audited_once(
    make_referral, outsider
):
    referral = make_referral("sent")
    with refusals_flushed(), pytest.raises(Http404), transaction.atomic():
        provider_referral_for(user=outsider, pk=referral.pk)
    assert _denials(outsider) == 1
