"""The assessments section of the pathway page (registered in AppConfig.ready)."""

from oncolien.assessments.charts import line_chart
from oncolien.assessments.links import link_state
from oncolien.assessments.selectors import results_for_pathway

LINK_STATE_LABELS = {
    "open": "envoyé, en attente",
    "used": "utilisé",
    "revoked": "révoqué",
    "expired": "expiré",
}


def assessments_panel(request, pathway):
    from oncolien.pathways.views_pathway import Panel

    results = results_for_pathway(pathway)
    for draft in results.drafts:
        link = getattr(draft, "access_link", None)
        draft.link_state = link_state(link) if link else ""
        draft.link_state_label = LINK_STATE_LABELS.get(draft.link_state, "")
    charts = [
        (s.label, line_chart(s.points, label=s.label, maximum=s.maximum)) for s in results.series
    ]
    return Panel(
        "assessments/panel.html", {"pathway": pathway, "results": results, "charts": charts}
    )
