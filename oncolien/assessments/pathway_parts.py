"""What the assessments add to a pathway (registered in AppConfig.ready): the
results panel of its page and the assessments on its timeline."""

from oncolien.assessments import selectors
from oncolien.assessments.charts import scale_chart
from oncolien.assessments.links import link_state
from oncolien.pathways.extensions import Panel, TimelineEvent, care_types_of_page, read_once

LINK_STATE_LABELS = {
    "open": "envoyé, en attente",
    "used": "utilisé",
    "revoked": "révoqué",
    "expired": "expiré",
}


def _assessments(pathway) -> list:
    # The panel and the timeline show the same assessments: one read for both.
    return read_once(pathway, "assessments.all", lambda: selectors.assessments_of(pathway))


def timeline_events(pathway) -> list[TimelineEvent]:
    return selectors.timeline_events(pathway, _assessments(pathway))


def assessments_panel(user, pathway) -> Panel:
    results = selectors.results_for_pathway(
        pathway,
        _assessments(pathway),
        care_types_of_page(pathway),
    )
    for draft in results.drafts:
        link = getattr(draft, "access_link", None)
        # Display attributes for the panel's template, not fields of the model.
        state = link_state(link) if link else ""
        draft.link_state = state  # type: ignore[attr-defined]
        draft.link_state_label = LINK_STATE_LABELS.get(state, "")  # type: ignore[attr-defined]
    charts = [scale_chart(s.points, label=s.label, maximum=s.maximum) for s in results.series]
    return Panel(
        "assessments/panel.html", {"pathway": pathway, "results": results, "charts": charts}
    )
