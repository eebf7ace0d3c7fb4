"""What the programme adds to the pathway page: a panel with the remaining
allowance, and its events on the timeline. Both receive a pathway already
authorised by `pathways.selectors.pathway_for`."""

from datetime import datetime, time

from django.utils import timezone

from oncolien.aftercare import rules, selectors
from oncolien.aftercare.models import PostCancerProgramme
from oncolien.pathways.extensions import Panel, TimelineEvent


def pathway_panel(user, pathway) -> Panel:
    today = timezone.localdate()
    last_day, within = selectors.prescription_window(pathway, today=today)
    return Panel(
        template="aftercare/_pathway_panel.html",
        context={
            "pathway": pathway,
            "summary": selectors.summary_for_pathway(pathway),
            "last_day": last_day,
            "within_window": within,
        },
    )


def _at(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


def timeline_events(pathway) -> list[TimelineEvent]:
    programme = (
        PostCancerProgramme.objects.filter(pathway=pathway).select_related("service").first()
    )
    if programme is None:
        return []
    events = [
        TimelineEvent(
            programme.created_at,
            "aftercare",
            "Parcours après cancer prescrit",
            f"{programme.prescriber_name} ({programme.get_prescriber_role_display()}) — "
            f"{programme.service}",
        )
    ]
    for act in programme.acts.filter(done_on__isnull=False).select_related("recorded_by"):
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
