"""The phase a list filters by (SQL) is the phase the pathway shows (Python), whatever the dates."""

from datetime import timedelta

import pytest
from django.utils import timezone

from oncolien.pathways.models import Pathway, Treatment
from oncolien.pathways.phases import current_phase, with_phase
from oncolien.pathways.tests.factories import make_pathway

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


def test_the_sql_phase_is_the_phase_shown_on_every_kind_of_pathway(coordinating_nurse):
    today = timezone.localdate()
    # (end of active treatment, treatment starts, chosen phase)
    cases = [
        (None, [], ""),
        (None, [None], ""),  # a treatment with no start date yet
        (None, [today + DAY], ""),  # a treatment planned
        (None, [today], ""),
        (None, [today - 10 * DAY, today + DAY], ""),
        (today + DAY, [today - DAY], ""),  # end planned: still in treatment
        (today, [today - DAY], ""),
        (today - DAY, [], ""),  # ended, no treatment recorded
        (None, [], "after_treatment"),
        (today - DAY, [], "diagnosis"),
        (None, [today], "diagnosis"),
    ]
    expected = {}
    for end, starts, chosen in cases:
        pathway = make_pathway(actor=coordinating_nurse)
        Pathway.objects.filter(pk=pathway.pk).update(
            end_of_active_treatment_on=end, phase_override=chosen
        )
        for start in starts:
            Treatment.objects.create(pathway=pathway, kind="surgery", started_on=start)
        pathway = Pathway.objects.prefetch_related("treatments").get(pk=pathway.pk)
        expected[pathway.pk] = current_phase(pathway, today=today)
    assert set(expected.values()) == {"diagnosis", "treatment", "after_treatment"}
    in_sql = dict(with_phase(Pathway.objects.all(), today=today).values_list("pk", "phase"))
    assert in_sql == expected
