"""Reads of patient data. Each one is authorised and written to the audit trail.

Views and API endpoints get pathways only through these functions:
`pathway_for` (one pathway: 404 for those who may not see it, the denial audited),
`pathways_visible_to` (the lists, scoped exactly as the authorisation rules),
`worklist_for` and `timeline_for`.
"""

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from oncolien.accounts.authorization import AccessDenied, AnyUser, authorize, visible
from oncolien.accounts.models import User
from oncolien.audit.services import audit_record
from oncolien.pagination import Page, page_of
from oncolien.pathways import extensions
from oncolien.pathways.access import CPTS_WORKLIST, PATHWAY_READ
from oncolien.pathways.extensions import TimelineEvent, WorkSection
from oncolien.pathways.models import Alert, Pathway


def pathways_visible_to(*, user: User) -> QuerySet[Pathway]:
    """The pathways `user` may see (those of the CPTS they coordinate, those whose care
    team they are on): `access.PATHWAY_READ`, as a query."""
    return visible(user, PATHWAY_READ, Pathway.objects.all())


def sharing_allowed(pathway: Pathway) -> bool:
    """False once the patient's latest statement is an objection: nothing about the
    patient then leaves the care team (reports, provider links, phone numbers)."""
    latest = pathway.consents.order_by("-recorded_at", "-pk").first()
    return not (latest and latest.objects_to_sharing)


def pathway_for(*, user: AnyUser, pk: int, action: str = "pathway.read") -> Pathway:
    """One pathway for `user`, audited; Http404 when it does not exist or is not theirs."""
    # Also read by the FHIR endpoints, which are open to anonymous requests: an
    # anonymous user is refused like an outsider (404, refusal audited).
    pathway = (
        Pathway.objects.select_related("patient", "patient__commune", "cpts").filter(pk=pk).first()
    )
    if pathway is None:
        raise Http404("Parcours introuvable.")
    try:
        authorize(user, PATHWAY_READ, pathway)
    except AccessDenied:
        raise Http404("Parcours introuvable.") from None
    audit_record(actor=user, action=action, target=pathway)
    return pathway


def pathway_list_for(*, user: User, search: str = "", status: str = "") -> list[Pathway]:
    """The patient list, limited to what the user may see; the list shown is audited."""
    pathways = pathways_visible_to(user=user).select_related("patient", "cpts")
    if status:
        pathways = pathways.filter(status=status)
    for word in search.split():
        pathways = pathways.filter(
            Q(patient__last_name__icontains=word) | Q(patient__first_name__icontains=word)
        )
    shown = list(pathways.order_by("patient__last_name", "patient__first_name", "pk")[:200])
    audit_record(
        actor=user,
        action="pathway.list",
        details={"pathway_ids": [p.pk for p in shown], "search": bool(search)},
    )
    return shown


ALERTS_PER_PAGE = 100
WORKLIST_PATHWAYS = 100


@dataclass
class Worklist:
    """One page of the open alerts (`alerts.count` tells how many there are in all)
    and the active pathways (`pathways_count` in all; the patient list shows them all)."""

    alerts: Page[Alert]
    escalated_count: int
    pathways: list[Pathway]
    pathways_count: int
    sections: list[WorkSection]

    @property
    def open_alerts(self) -> list[Alert]:
        return self.alerts.items

    @property
    def escalated_alerts(self) -> list[Alert]:
        """The escalated alerts of the page shown."""
        return [a for a in self.alerts.items if a.escalated_at is not None]


def worklist_for(*, user: User, page: int = 1, per_page: int = ALERTS_PER_PAGE) -> Worklist:
    """Open alerts (most severe and oldest first, page `page`) and active pathways the
    user may see. PageOutOfRange for a page that does not exist.

    A constant number of queries, whatever the number of alerts or pathways shown.
    """
    authorize(user, CPTS_WORKLIST)
    visible = pathways_visible_to(user=user)
    open_alerts = Alert.objects.filter(pathway__in=visible, acknowledged_at__isnull=True)
    # Severity codes sort "high" before "medium"; the id makes the order total, so
    # that no alert moves between two pages read one after the other.
    alerts = page_of(
        open_alerts.select_related("pathway", "pathway__patient", "record").order_by(
            "severity", "raised_at", "pk"
        ),
        page,
        per_page,
    )
    escalated_count = open_alerts.filter(escalated_at__isnull=False).count()
    active = visible.exclude(status="closed")
    pathways = list(
        active.select_related("patient", "patient__commune").order_by(
            "patient__last_name", "patient__first_name", "pk"
        )[:WORKLIST_PATHWAYS]
    )
    pathways_count = len(pathways) if len(pathways) < WORKLIST_PATHWAYS else active.count()
    sections = extensions.worklist_sections_for(user, visible)
    shown = {p.pk for p in pathways} | {a.pathway_id for a in alerts.items}
    shown |= {item.pathway.pk for section in sections for item in section.items}
    audit_record(actor=user, action="pathway.worklist", details={"pathway_ids": sorted(shown)})
    return Worklist(
        alerts=alerts,
        escalated_count=escalated_count,
        pathways=pathways,
        pathways_count=pathways_count,
        sections=sections,
    )


def timeline_for(pathway: Pathway) -> list[TimelineEvent]:
    """Intake, consent, status changes, visits, sheets, alerts, acknowledgements and
    reports, newest first. Call only on a pathway obtained from `pathway_for`."""
    pathway = (
        Pathway.objects.filter(pk=pathway.pk)
        .select_related("created_by")
        .prefetch_related(
            "consents__recorded_by",
            "status_changes__changed_by",
            "visits__author",
            "records__author",
            Prefetch("alerts", queryset=Alert.objects.select_related("acknowledged_by")),
            "visits__reports__created_by",
        )
        .get()
    )
    events = [
        TimelineEvent(
            pathway.created_at,
            "intake",
            "Premier contact",
            pathway.get_intake_channel_display(),
            str(pathway.created_by),
        )
    ]
    for consent in pathway.consents.all():
        title = "Opposition au partage" if consent.objects_to_sharing else "Patient informé"
        events.append(
            TimelineEvent(
                consent.recorded_at, "consent", title, consent.notes, str(consent.recorded_by)
            )
        )
    for change in pathway.status_changes.all():
        detail = change.reason
        events.append(
            TimelineEvent(
                change.changed_at,
                "status",
                f"Statut : {change.get_to_status_display()}",
                detail,
                str(change.changed_by),
            )
        )
    for visit in pathway.visits.all():
        events.append(
            TimelineEvent(
                visit.occurred_at, "visit", visit.get_kind_display(), visit.notes, str(visit.author)
            )
        )
        for report in visit.reports.all():
            events.append(
                TimelineEvent(
                    report.created_at, "report", "Compte-rendu rédigé", "", str(report.created_by)
                )
            )
            if report.sent_at:
                events.append(TimelineEvent(report.sent_at, "report", "Compte-rendu envoyé"))
    for record in pathway.records.all():
        events.append(
            TimelineEvent(
                record.recorded_at,
                "record",
                "Fiche de surveillance",
                record.observations,
                str(record.author),
            )
        )
    for alert in pathway.alerts.all():
        events.append(
            TimelineEvent(
                alert.raised_at, "alert", f"Alerte ({alert.get_severity_display()})", alert.message
            )
        )
        if alert.escalated_at:
            events.append(
                TimelineEvent(
                    alert.escalated_at,
                    "alert",
                    "Alerte transmise aux coordinateur·rices",
                    alert.message,
                )
            )
        if alert.acknowledged_at:
            events.append(
                TimelineEvent(
                    alert.acknowledged_at,
                    "acknowledgement",
                    "Alerte prise en compte",
                    alert.acknowledgement_comment,
                    str(alert.acknowledged_by),
                )
            )
    events.extend(extensions.timeline_events_for(pathway))
    return sorted(events, key=lambda event: event.at, reverse=True)
