"""A request that changes nothing asks each access grant once; a write, a task or a
command asks each time (accounts.authorization.grant_decisions_kept)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from oncolien.accounts.authorization import grant_decisions_kept, is_allowed
from oncolien.pathways.access import PATHWAY_READ, PATHWAY_WRITE
from oncolien.pathways.services import care_team_remove
from oncolien.pathways.tests.factories import add_to_team, make_pathway

pytestmark = pytest.mark.django_db


def _grant_queries(captured) -> int:
    """The care-team grant checks among the queries (an existence check on the pathway
    whose subquery reads its care team)."""
    return sum(
        1
        for q in captured.captured_queries
        if q["sql"].startswith('SELECT 1 AS "a" FROM "pathways_pathway"')
        and '"pathways_careteammember"' in q["sql"]
    )


@pytest.fixture
def on_team(coordinator, community_nurse, nord_aveyron):
    pathway = make_pathway(actor=coordinator)
    add_to_team(actor=coordinator, pathway=pathway, user=community_nurse, role="community_nurse")
    community_nurse.is_verified = lambda: True
    return pathway


def test_outside_a_read_request_each_check_asks_the_database(community_nurse, on_team):
    with CaptureQueriesContext(connection) as captured:
        assert is_allowed(community_nurse, PATHWAY_READ, on_team)
        assert is_allowed(community_nurse, PATHWAY_WRITE, on_team)

    assert _grant_queries(captured) == 2


def test_within_a_read_request_the_same_question_is_asked_once(community_nurse, on_team):
    with grant_decisions_kept(), CaptureQueriesContext(connection) as captured:
        # pathway.read and pathway.write share their grant (on the care team).
        assert is_allowed(community_nurse, PATHWAY_READ, on_team)
        assert is_allowed(community_nurse, PATHWAY_WRITE, on_team)
        assert is_allowed(community_nurse, PATHWAY_READ, on_team)

    assert _grant_queries(captured) == 1


def test_a_kept_decision_is_for_that_user_and_that_object(
    coordinator, community_nurse, coordinating_nurse, on_team
):
    other = make_pathway(actor=coordinator, last_name="Durand")
    with grant_decisions_kept():
        assert is_allowed(community_nurse, PATHWAY_READ, on_team)
        # Another object, another user: asked, and refused, not read from the first answer.
        assert not is_allowed(community_nurse, PATHWAY_READ, other)
        assert not is_allowed(coordinating_nurse, PATHWAY_READ, on_team)


def test_decisions_are_not_kept_past_the_block(community_nurse, coordinator, on_team):
    with grant_decisions_kept():
        assert is_allowed(community_nurse, PATHWAY_READ, on_team)
    member = on_team.care_team.get(user=community_nurse, active=True)
    care_team_remove(actor=coordinator, member=member)

    assert not is_allowed(community_nurse, PATHWAY_READ, on_team)


def test_a_write_request_asks_each_time(login, community_nurse, on_team):
    """The middleware keeps decisions for GET and HEAD only: a POST that changes the care
    team must not act on an answer given before the change."""
    client = login(community_nurse)
    url = reverse("pathways:treatment_add", kwargs={"pk": on_team.pk})
    with CaptureQueriesContext(connection) as captured:
        assert (
            client.post(url, {"kind": "chemotherapy", "started_on": "2026-11-03"}).status_code
            == 302
        )
    post_checks = _grant_queries(captured)
    page = reverse("pathways:pathway_detail", kwargs={"pk": on_team.pk})
    with CaptureQueriesContext(connection) as captured:
        client.get(page)

    # The POST checks its access (read, then write) one query each; the page asks
    # each grant once however many of its parts check it.
    assert post_checks == 2
    assert _grant_queries(captured) <= 2
