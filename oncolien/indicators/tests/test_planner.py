"""The planner hint on the alerts of a period: on SQLite it makes the per-CPTS count
read each pathway's alerts from the (pathway, raised_at) index, instead of every
alert of the period from the raised_at index then a table look-up each (3 s at
260,000 alerts); the rows counted are the same (test_figures.py, both engines)."""

import pytest
from django.db import connection
from django.db.models import Count

from oncolien.indicators.figures import ESCALATED, alerts_in
from oncolien.indicators.periods import parse

pytestmark = pytest.mark.django_db


def _counted_per_cpts():
    return (
        alerts_in(parse("2025"))
        .order_by()
        .values("pathway__cpts")
        .annotate(alerts=Count("pk"), escalated=Count("pk", filter=ESCALATED))
    )


@pytest.mark.skipif(connection.vendor != "sqlite", reason="a hint to SQLite's planner")
def test_sqlite_walks_each_pathways_alerts_of_the_period():
    sql, params = _counted_per_cpts().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " | ".join(row[-1] for row in cursor.fetchall())
    assert "pathway_id=? AND raised_at>? AND raised_at<?" in plan, plan
    assert "TEMP B-TREE" not in plan, plan


def test_other_engines_get_the_condition_unchanged():
    sql = str(_counted_per_cpts().query)
    assert ("likelihood(" in sql) == (connection.vendor == "sqlite")
