"""A refused read of a pathway is in the audit trail exactly once, even when the
refusal rolls back the transaction it happened in (before: the entry was lost)."""

import pytest
from django.db import transaction
from django.http import Http404

from oncolien.audit.models import AuditEntry
from oncolien.audit.pending import refusals_flushed
from oncolien.pathways.selectors import pathway_for
from oncolien.pathways.tests.factories import make_pathway

pytestmark = pytest.mark.django_db


def _denials(user) -> int:
    return AuditEntry.objects.filter(action="access.denied", actor_id=user.pk).count()


def test_a_refusal_inside_a_rolled_back_transaction_is_written_once(coordinating_nurse, outsider):
    pathway = make_pathway(actor=coordinating_nurse)
    # The edge (here standing for the HTTP request) writes what the rollback would erase.
    with refusals_flushed(), pytest.raises(Http404), transaction.atomic():
        pathway_for(user=outsider, pk=pathway.pk)
    assert _denials(outsider) == 1


def test_a_refusal_outside_any_transaction_is_written_once(coordinating_nurse, outsider):
    pathway = make_pathway(actor=coordinating_nurse)
    with refusals_flushed(), pytest.raises(Http404):
        pathway_for(user=outsider, pk=pathway.pk)
    assert _denials(outsider) == 1


def test_an_authorised_read_is_audited_as_a_read(coordinating_nurse):
    pathway = make_pathway(actor=coordinating_nurse)
    pathway_for(user=coordinating_nurse, pk=pathway.pk)
    read = AuditEntry.objects.filter(action="pathway.read", actor_id=coordinating_nurse.pk)
    assert read.filter(target_id=str(pathway.pk)).count() == 1
    assert _denials(coordinating_nurse) == 0


def test_a_service_authorises_before_its_transaction(coordinating_nurse, outsider):
    """The refusal is written at once, not left for an edge to write."""
    from oncolien.accounts.authorization import AccessDenied
    from oncolien.audit.pending import pending_refusals
    from oncolien.pathways.services import status_change

    pathway = make_pathway(actor=coordinating_nurse)
    with pytest.raises(AccessDenied):
        status_change(actor=outsider, pathway=pathway, to_status="included")
    assert pending_refusals() == 0
    assert _denials(outsider) == 1
    pathway.refresh_from_db()
    assert pathway.status == "first_contact"
