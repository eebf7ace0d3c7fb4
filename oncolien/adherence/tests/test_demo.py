"""The demo pathway on hormone therapy: created once, with its plan and two contacts."""

import pytest

from oncolien.accounts.demo import load_demo_accounts
from oncolien.adherence.demo import load_demo_adherence
from oncolien.adherence.models import AdherenceContact, AdherencePlan

pytestmark = pytest.mark.django_db


def test_the_demo_follow_up_is_created_once_with_a_contact_reporting_side_effects(base_data):
    load_demo_accounts()
    assert "1 parcours créé" in load_demo_adherence()
    assert "déjà présent" in load_demo_adherence()
    plan = AdherencePlan.objects.get()
    assert plan.pathway.patient.is_fictitious and plan.drug == "anastrozole"
    done = AdherenceContact.objects.filter(plan=plan, done_at__isnull=False).order_by("done_at")
    assert [bool(c.side_effects) for c in done] == [False, True]
    assert AdherenceContact.objects.filter(plan=plan, done_at__isnull=True).count() > 5
    assert plan.pathway.work_situation.status == "employed"
