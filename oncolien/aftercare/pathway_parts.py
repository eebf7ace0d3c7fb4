"""What the programme adds to the pathway page: a panel with the remaining
allowance, and its events on the timeline. Both receive a pathway already
authorised by `pathways.selectors.pathway_for`."""

from datetime import datetime, time

from django.utils import timezone

from oncolien.aftercare import rules, selectors
from oncolien.pathways.extensions import Panel, TimelineEvent, read_once


def _summary(pathway) -> selectors.ProgrammeSummary | None:
    # The panel and the timeline show the same programme and acts: one read for both.
    return read_once(pathway, "aftercare.summary", lambda: selectors.summary_for_pathway(pathway))


def pathway_panel(user, pathway) -> Panel:
    today = timezone.localdate()
    last_day, within = selectors.prescription_window(pathway, today=today)
    return Panel(
        template="aftercare/_pathway_panel.html",
        context={
            "pathway": pathway,
            "summary": _summary(pathway),
            "last_day": last_day,
            "within_window": within,
        },
    )


def _at(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


def timeline_events(pathway) -> list[TimelineEvent]:
    summary = _summary(pathway)
    if summary is None:
        return []
    programme = summary.programme
    events = [
        TimelineEvent(
            programme.created_at,
            "aftercare",
            "Parcours après cancer prescrit",
            f"{programme.prescriber_name} ({programme.get_prescriber_role_display()}) — "
            f"{programme.service}",
        )
    ]
    for act in summary.done:
        # A done act has its date and its amount (constraint
        # programme_act_done_has_date_and_amount).
        assert act.done_on is not None and act.amount is not None
        events.append(
            TimelineEvent(
                act.recorded_at or _at(act.done_on),
                "aftercare",
                f"{act.get_kind_display()} réalisé",
                f"Le {rules.french_date(act.done_on)}, {rules.euros(act.amount)}",
                str(act.recorded_by or ""),
            )
        )
    return events
