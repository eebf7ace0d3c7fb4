"""Test data of the hormone-therapy follow-up, through the real services."""

from datetime import date, timedelta

from django.utils import timezone

from oncolien.adherence.services import ContactValues, PlanValues, plan_save


def make_plan(*, actor, pathway, nurse=None, started_on: date | None = None, **values):
    fields = {
        "drug": "tamoxifen",
        "started_on": started_on or timezone.localdate() - timedelta(days=30),
        "duration_years": 5,
        "contact_mode": "call",
        "interval_months": 6,
        "first_year_interval_months": 3,
        "nurse": nurse or actor,
        **values,
    }
    return plan_save(actor=actor, pathway=pathway, values=PlanValues(**fields))


def contact_values(**values) -> ContactValues:
    fields = {
        "done_at": timezone.now() - timedelta(minutes=10),
        "mode": "call",
        "missed_doses": "none",
        "stopped": False,
        **values,
    }
    return ContactValues(**fields)
