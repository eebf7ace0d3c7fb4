"""The pathway page reads its newest visits once, for its visits table and the first
page of the history (with their reports): the history it shows is the one read on its
own, whatever the number of visits, on the first page as on the next ones."""

from datetime import timedelta

import pytest
from django.utils import timezone

from oncolien.pathways import selectors
from oncolien.pathways.models import Visit, VisitReport
from oncolien.pathways.reports import report_create
from oncolien.pathways.services import visit_add
from oncolien.pathways.tests.factories import make_pathway
from oncolien.pathways.views import pathway_page_for

pytestmark = pytest.mark.django_db


def _as_shown(events):
    return [(e.at, e.kind, e.title, e.detail, e.who) for e in events]


@pytest.mark.parametrize("visits", [0, 3, 30, 31, 45])
def test_the_history_is_the_same_read_once_or_on_its_own(coordinating_nurse, visits):
    nurse = coordinating_nurse
    nurse.is_verified = lambda: True
    pathway = make_pathway(actor=nurse)
    team = list(pathway.care_team.filter(active=True))
    now = timezone.now()
    made = [
        visit_add(
            actor=nurse,
            pathway=pathway,
            kind="home",
            occurred_at=now - timedelta(days=2 * n + 1),
            notes=f"visite {n}",
        )
        for n in range(visits)
    ]
    # Reports on the newest visit and on the oldest (beyond what the page reads at 45).
    for visit in made[:1] + made[-1:]:
        report = report_create(actor=nurse, visit=visit, recipients=team[:1])
        VisitReport.objects.filter(pk=report.pk).update(sent_at=now - timedelta(hours=1))

    for page in (1, 2):
        alone = selectors.timeline_page_for(pathway, page=page)
        shown = pathway_page_for(user=nurse, pk=pathway.pk, timeline_page=page).timeline
        assert shown is not None
        assert _as_shown(shown.events) == _as_shown(alone.events), page
        assert shown.has_more == alone.has_more
        if visits < 20:
            break
    page = pathway_page_for(user=nurse, pk=pathway.pk)
    assert [v.pk for v in page.pathway.latest_visits] == list(
        Visit.objects.filter(pathway=pathway)
        .order_by("-occurred_at", "-pk")
        .values_list("pk", flat=True)[:20]
    )
