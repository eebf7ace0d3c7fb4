"""What the assessments add to a pathway (registered in AppConfig.ready): the
results panel of its page and the assessments on its timeline."""

from oncolien.assessments.charts import line_chart
from oncolien.assessments.links import link_state
from oncolien.assessments.selectors import results_for_pathway
from oncolien.assessments.selectors import timeline_events as timeline_events
from oncolien.pathways.extensions import Panel

LINK_STATE_LABELS = {
    "open": "envoyé, en attente",
    "used": "utilisé",
    "revoked": "révoqué",
    "expired": "expiré",
}


def assessments_panel(user, pathway) -> Panel:
    results = results_for_pathway(pathway)
    for draft in results.drafts:
        link = getattr(draft, "access_link", None)
        # Display attributes for the panel's template, not fields of the model.
        state = link_state(link) if link else ""
        draft.link_state = state  # type: ignore[attr-defined]
        draft.link_state_label = LINK_STATE_LABELS.get(state, "")  # type: ignore[attr-defined]
    charts = [
        (s.label, line_chart(s.points, label=s.label, maximum=s.maximum)) for s in results.series
    ]
    return Panel(
        "assessments/panel.html", {"pathway": pathway, "results": results, "charts": charts}
    )
