"""Each indicator on a small hand-built data set with known answers.

The suite runs on SQLite and on PostgreSQL: this one table of expected figures
holds both engines to the same answers. Times are set in Paris time around the
period's edges (a call at 23:30 on 30 November, Paris time, is November's).
"""

import pytest

from oncolien.indicators.figures import COMPUTATIONS, Figure
from oncolien.indicators.periods import parse

pytestmark = pytest.mark.django_db
# The data set, `activity`, is in conftest.py (shared with test_breakdowns.py).


EXPECTED = {
    # 4 pathways opened in November (their calls) + 2 calls without inclusion.
    "intake_inclusion": Figure(4, numerator=4, denominator=6),
    # 4 opened in November, 3 of them moved to « Suivi » (one closed since).
    "pathways_followed": Figure(3, numerator=3, denominator=4),
    # Included by 30 November and not closed: the second, the third and October's.
    "active_caseload": Figure(3),
    # 4, 1 and 2 visits: median 2, 90th percentile 4.
    "visits_per_patient": Figure(2, numerator=7, denominator=3, p90=4),
    # Home visits of November: 60, 50, 70, (none), 40 → mean 55 over 4 of 5.
    "home_visit_duration": Figure(55.0, numerator=4, denominator=5),
    # 1 h, 2 h, 30 h acknowledged of 4 raised: median 2 h, 90th percentile 30 h.
    "alert_acknowledgement_hours": Figure(2.0, numerator=3, denominator=4, p90=30.0),
    "alert_escalation": Figure(2, numerator=2, denominator=4),
    # 4 sent in November, 3 of them accepted (the declined one was not).
    "referrals_accepted": Figure(3, numerator=3, denominator=4),
    # Ended: 2 done, 1 not honoured.
    "referrals_honoured": Figure(2, numerator=2, denominator=3),
    # Verified within the year before 30 November 2026: 2 of the 5 active services (the
    # labelled structure below was never verified, or only after the period).
    "directory_verified": Figure(2, numerator=2, denominator=5),
    "aftercare_acts_done": Figure(2, numerator=2, denominator=3),
    "contributions_accepted": Figure(2, numerator=2, denominator=3),
}


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_each_indicator_on_known_data(activity, code):
    assert COMPUTATIONS[code](activity, parse("2026-11")) == EXPECTED[code]


def test_every_computation_is_tested():
    assert set(EXPECTED) == set(COMPUTATIONS)


def test_the_period_decides_what_counts(activity):
    october = parse("2026-10")
    assert COMPUTATIONS["intake_inclusion"](activity, october) == Figure(
        1, numerator=1, denominator=1
    )
    # On 31 October: October's pathway only (the others were included in November).
    assert COMPUTATIONS["active_caseload"](activity, october) == Figure(1)
    assert COMPUTATIONS["alert_acknowledgement_hours"](activity, october) == Figure(
        5.0, numerator=1, denominator=1, p90=5.0
    )


def test_an_empty_period_gives_no_figure_and_a_zero_denominator(activity):
    empty = parse("2025-01")
    assert COMPUTATIONS["visits_per_patient"](activity, empty) == Figure(
        None, numerator=0, denominator=0
    )
    assert COMPUTATIONS["intake_inclusion"](activity, empty).share is None
