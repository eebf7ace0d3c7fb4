"""The pathway page reads each kind of row once (issue 9: « about 10 of its 43 queries
read the same rows twice »), with something in every section and every app's panel.

A "row read" is a query that loads the columns of a table's rows; counts, existence
checks and the permission checks that select primary keys only are not row reads.
"""

import re
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from oncolien.aftercare.services import act_record_done
from oncolien.aftercare.tests.factories import make_eligible_pathway, make_labelled_service
from oncolien.aftercare.tests.factories import prescribe as aftercare_prescribe
from oncolien.assessments.services import (
    assessment_complete,
    assessment_save_answers,
    assessment_start,
)
from oncolien.pathways.models import Alert
from oncolien.pathways.reports import report_create
from oncolien.pathways.services import (
    alert_acknowledge,
    alert_comment_add,
    monitoring_record_add,
    visit_add,
)
from oncolien.pathways.tests.factories import add_to_team

pytestmark = pytest.mark.django_db

# Tables the page reads twice on purpose, each time for another slice of rows: the
# page's tables show the latest few of a kind, the history the latest events of all.
READ_TWICE = {
    # The sheets table (5 a page, every measurement) and the history (when, who).
    "pathways_monitoringrecord",
    # The open alerts with their comments, and the history's latest alert events.
    "pathways_alert",
    "pathways_alertcomment",
    # The needs discussed at each visit (through the visit), and the list of care types.
    "reference_caretype",
    # The viewer, and the CPTS accounts not yet on the care team.
    "accounts_user",
}


def row_reads(queries) -> Counter:
    reads: Counter = Counter()
    for query in queries:
        sql = query["sql"]
        if not sql.startswith("SELECT") or "COUNT(" in sql[:40] or sql.startswith("SELECT 1 "):
            continue
        # The table read is the first one named after FROM (inside the subquery of a
        # sliced prefetch, whose outer query names no table).
        table = re.search(r'FROM "(\w+)"', sql).group(1)
        columns = sql.count(f'"{table}".', 0, sql.index(f'FROM "{table}"'))
        if columns >= 3:
            reads[table] += 1
    return reads


@pytest.fixture
def full_pathway(coordinating_nurse, community_nurse, base_data):
    """A pathway with something in every section: sheets and alerts (open, escalated,
    acknowledged, commented), a visit with a sent report, an assessment, a programme."""
    nurse = coordinating_nurse
    nurse.is_verified = lambda: True
    community_nurse.is_verified = lambda: True
    pathway = make_eligible_pathway(
        actor=nurse, end_of_treatment=timezone.localdate() - timedelta(days=30)
    )
    member = add_to_team(actor=nurse, pathway=pathway, user=community_nurse, role="community_nurse")
    visit = visit_add(
        actor=community_nurse,
        pathway=pathway,
        kind="home",
        occurred_at=timezone.now() - timedelta(hours=5),
    )
    for hours, temperature in ((5, "38,6"), (4, "38,9"), (3, "39,1")):
        monitoring_record_add(
            actor=community_nurse,
            pathway=pathway,
            visit=visit if hours == 5 else None,
            recorded_at=timezone.now() - timedelta(hours=hours),
            values={"temperature_c": temperature, "pain_score": 2},
        )
    first, second, third = Alert.objects.filter(pathway=pathway).order_by("raised_at")
    alert_acknowledge(actor=nurse, alert=first, comment="Appel à l'hôpital de jour")
    alert_comment_add(actor=community_nurse, alert=second, text="Patient rappelé à 10 h")
    Alert.objects.filter(pk=third.pk).update(escalated_at=timezone.now())
    report = report_create(actor=nurse, visit=visit, recipients=[member])
    type(report).objects.filter(pk=report.pk).update(sent_at=timezone.now())
    assessment = assessment_start(
        actor=nurse,
        pathway=pathway,
        instrument_code="distress-thermometer",
        respondent="professional",
        visit=visit,
    )
    assessment_save_answers(
        assessment=assessment,
        actor=nurse,
        answers={"distress": 3, "physical_problems": ["fatigue"], "talk_wish": "no"},
    )
    assessment_complete(assessment=assessment, actor=nurse)
    today = timezone.localdate()
    programme = aftercare_prescribe(
        actor=nurse, pathway=pathway, service=make_labelled_service(), prescribed_on=today
    )
    act_record_done(
        actor=nurse,
        act=programme.acts.filter(kind="dietary_assessment").get(),
        done_on=today,
        amount=None,
        today=today,
    )
    return pathway


def test_the_pathway_page_reads_each_kind_of_row_once(login, coordinating_nurse, full_pathway):
    client = login(coordinating_nurse)
    url = reverse("pathways:pathway_detail", kwargs={"pk": full_pathway.pk})
    client.get(url)

    with CaptureQueriesContext(connection) as captured:
        page = client.get(url).content.decode()

    # Every section has something to show, so that every read is made.
    for shown in (
        "Appel à l&#x27;hôpital de jour",
        "Patient rappelé à 10 h",
        "Compte-rendu envoyé",
        "Évaluation : ",
        "Parcours après cancer prescrit",
        "réalisé",
        "escaladée",
    ):
        assert shown in page, shown
    reads = row_reads(captured.captured_queries)
    twice = {table: count for table, count in reads.items() if count > 1}
    print(reads)
    for q in captured.captured_queries:
        print(q["sql"][:160])
    assert set(twice) <= READ_TWICE, twice
    assert all(count == 2 for count in twice.values()), twice


def test_row_reads_tells_a_second_read_of_a_table(coordinating_nurse, full_pathway):
    """The counter the test above relies on does see two reads of the same rows."""
    with CaptureQueriesContext(connection) as captured:
        list(Alert.objects.filter(pathway=full_pathway))
        list(Alert.objects.filter(pathway=full_pathway).order_by("-raised_at")[:3])
        Alert.objects.filter(pathway=full_pathway).count()

    assert row_reads(captured.captured_queries)["pathways_alert"] == 2


def test_the_history_shows_each_alert_event_once(login, coordinating_nurse, full_pathway):
    page = login(coordinating_nurse).get(
        reverse("pathways:pathway_detail", kwargs={"pk": full_pathway.pk})
    )
    history = page.content.decode().split('id="historique"', 1)[1]

    assert history.count("<strong>Alerte (") == 3
    assert history.count("<strong>Alerte prise en compte</strong>") == 1
    assert history.count("<strong>Alerte transmise aux coordinateur·rices</strong>") == 1
    assert history.count("<strong>Compte-rendu rédigé</strong>") == 1
    assert history.count("<strong>Compte-rendu envoyé</strong>") == 1


def test_a_care_team_member_s_page_asks_each_grant_once(login, community_nurse, full_pathway):
    """The parts of the page (the pathway, its panels) each check the nurse's access; the
    same question about the same pathway (« is she on its care team? ») is one query.
    Two grants are asked: on the care team at all, and in a role that plans the
    hormone-therapy follow-up."""
    community_nurse.is_verified = lambda: True
    client = login(community_nurse)
    url = reverse("pathways:pathway_detail", kwargs={"pk": full_pathway.pk})
    client.get(url)

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200

    checks = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith('SELECT 1 AS "a" FROM "pathways_pathway"')
    ]
    assert len(checks) == 2, checks
