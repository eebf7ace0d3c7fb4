"""Dates shown beside assessments are Paris dates, not UTC ones (a late evening in UTC
is already the next day in Paris)."""

from datetime import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from oncolien.assessments.charts import scale_chart
from oncolien.assessments.forms import StartForm

# 23:30 UTC on 24 November is 00:30 on 25 November in Paris.
LATE_UTC = datetime(2026, 11, 24, 23, 30, tzinfo=ZoneInfo("UTC"))


def test_the_chart_of_a_scale_dates_each_point_in_paris():
    chart = scale_chart([(LATE_UTC, 4)], label="Douleur", maximum=10)
    assert chart.rows == [["25/11/2026", "4"]]
    assert "25/11/2026" in chart.svg and "24/11/2026" not in chart.svg


def test_the_visits_offered_for_an_assessment_are_dated_in_paris():
    visit = SimpleNamespace(
        pk=1, occurred_at=LATE_UTC, get_kind_display=lambda: "Visite à domicile"
    )
    form = StartForm(instruments=[], visits=[visit])
    assert form.fields["visit"].choices[1] == (1, "Visite à domicile du 25/11/2026")
