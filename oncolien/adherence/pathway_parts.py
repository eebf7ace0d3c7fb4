"""What the hormone-therapy follow-up adds to a pathway (registered in
AppConfig.ready): the panel of its page with the plan, the next contact, the history
and the form to record a contact; its contacts on the timeline; the overdue contacts
on the worklist; a section of the visit reports. Each part receives a pathway (or
the visible pathways) the pathways app already authorised."""

from oncolien.accounts.authorization import is_allowed
from oncolien.accounts.models import User
from oncolien.adherence import selectors
from oncolien.adherence.access import ADHERENCE_PLAN_EDIT
from oncolien.adherence.selectors import report_section as report_section
from oncolien.adherence.selectors import worklist_section as worklist_section
from oncolien.pathways.access import PATHWAY_WRITE
from oncolien.pathways.extensions import Panel, TimelineEvent, read_once
from oncolien.pathways.models import Pathway, PathwayStatus, TreatmentKind


def _summary(pathway: Pathway) -> selectors.PlanSummary | None:
    # The panel and the history show the same plan and contacts: one read for both.
    return read_once(pathway, "adherence.summary", lambda: selectors.summary_of(pathway))


def timeline_events(pathway: Pathway) -> list[TimelineEvent]:
    return selectors.timeline_events_of(_summary(pathway))


def adherence_panel(user: User, pathway: Pathway) -> Panel:
    from oncolien.adherence.forms import ContactForm

    summary = _summary(pathway)
    open_pathway = pathway.status != PathwayStatus.CLOSED
    can_record = summary is not None and open_pathway and is_allowed(user, PATHWAY_WRITE, pathway)
    return Panel(
        "adherence/_panel.html",
        {
            "pathway": pathway,
            "summary": summary,
            "on_hormone_therapy": any(
                t.kind == TreatmentKind.HORMONE_THERAPY for t in pathway.treatments.all()
            ),
            "can_edit_plan": open_pathway and is_allowed(user, ADHERENCE_PLAN_EDIT, pathway),
            "contact_form": ContactForm(summary=summary) if can_record and summary else None,
        },
    )
