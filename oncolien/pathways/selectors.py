"""Reads of patient data. Each one is authorised and written to the audit trail.

Views and API endpoints get pathways only through these functions:
`pathway_for` (one pathway: 404 for those who may not see it, the denial audited),
`pathways_visible_to` (the lists, scoped exactly as the authorisation rules),
`worklist_for` and `timeline_for`.
"""

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from oncolien.accounts.authorization import AccessDenied, AnyUser, authorize, visible
from oncolien.accounts.models import User
from oncolien.audit.services import audit_record
from oncolien.pathways import extensions, phases
from oncolien.pathways.access import ALERT_ACKNOWLEDGE, CPTS_WORKLIST, PATHWAY_READ
from oncolien.pathways.extensions import TimelineEvent, WorkSection
from oncolien.pathways.models import Alert, Pathway


def pathways_visible_to(*, user: User) -> QuerySet[Pathway]:
    """The pathways `user` may see (those of the CPTS they coordinate, those whose care
    team they are on): `access.PATHWAY_READ`, as a query."""
    return visible(user, PATHWAY_READ, Pathway.objects.all())


def alert_notice(alert: Alert) -> str:
    """What happened to a new alert, in a sentence for the nurse who raised it: who was
    notified and by which channel, read from the recorded deliveries, or nobody."""
    from oncolien.notifications.models import Channel, Delivery, Outcome

    deliveries = Delivery.objects.filter(
        target_type="pathways.alert", target_id=str(alert.pk), kind="alert.raised"
    ).order_by("pk")
    people: dict[int | None, list[Delivery]] = {}
    for delivery in deliveries:
        people.setdefault(delivery.recipient_user_id, []).append(delivery)
    if not people:
        return (
            f"Alerte ({alert.get_severity_display().lower()}) : {alert.message} Personne n'a pu "
            "être prévenu : l'équipe de soins n'a pas d'infirmier·ère de coordination avec un "
            "compte et la CPTS n'a pas de coordinateur·rice. Suivez la consigne et appelez "
            "vous-même."
        )
    parts = []
    for sent in people.values():
        name = next((d.recipient_address for d in sent if d.channel == Channel.APP), "")
        emails = [d for d in sent if d.channel == Channel.EMAIL]
        if not emails:
            how = "notification dans OncoLien, sans courriel : pas d'adresse"
        elif emails[-1].outcome == Outcome.SENT:
            how = "notification dans OncoLien et courriel"
        elif emails[-1].outcome == Outcome.PENDING:
            how = "notification dans OncoLien et courriel en cours d'envoi"
        else:
            how = "notification dans OncoLien ; le courriel n'a pas pu partir"
        parts.append(f"{name} ({how})")
    return f"Alerte signalée à {', '.join(parts)} : {alert.message}"


def open_alerts_count_for(*, user: User) -> int:
    """How many open alerts `user` may acknowledge (the header's count); no patient data."""
    return visible(
        user, ALERT_ACKNOWLEDGE, Alert.objects.filter(acknowledged_at__isnull=True)
    ).count()


def sharing_allowed(pathway: Pathway) -> bool:
    """False once the patient's latest statement is an objection: nothing about the
    patient then leaves the care team (reports, provider links, phone numbers)."""
    latest = pathway.consents.order_by("-recorded_at", "-pk").first()
    return not (latest and latest.objects_to_sharing)


def phase_of(pathway: Pathway) -> str:
    """The pathway's phase today (Europe/Paris), as its page shows it."""
    return phases.current_phase(pathway, today=timezone.localdate())


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


@dataclass
class Worklist:
    open_alerts: list[Alert]
    escalated_alerts: list[Alert]
    pathways: list[Pathway]
    sections: list[WorkSection]
    # The open alerts shown that this user may acknowledge (the others: comment only).
    acknowledgeable: set[int]


def acknowledgeable_among(*, user: User, alerts: list[Alert]) -> set[int]:
    """The alerts of `alerts` `user` may acknowledge, by the same rule as the check."""
    if not alerts:
        return set()
    return set(
        visible(
            user, ALERT_ACKNOWLEDGE, Alert.objects.filter(pk__in=[a.pk for a in alerts])
        ).values_list("pk", flat=True)
    )


def worklist_for(*, user: User, limit: int = 100) -> Worklist:
    """Open alerts (most severe and oldest first) and active pathways the user may see.

    A constant number of queries, whatever the number of alerts or pathways shown.
    """
    authorize(user, CPTS_WORKLIST)
    visible = pathways_visible_to(user=user)
    alerts = (
        Alert.objects.filter(pathway__in=visible, acknowledged_at__isnull=True)
        .select_related("pathway", "pathway__patient", "record")
        .prefetch_related("comments__author")
        .order_by("severity", "raised_at", "pk")
    )
    open_alerts = list(alerts[:limit])
    escalated = [a for a in open_alerts if a.escalated_at is not None]
    pathways = list(
        visible.exclude(status="closed")
        .select_related("patient", "patient__commune")
        .order_by("patient__last_name", "patient__first_name", "pk")[:limit]
    )
    sections = extensions.worklist_sections_for(user, visible)
    shown = {p.pk for p in pathways} | {a.pathway_id for a in open_alerts}
    shown |= {item.pathway.pk for section in sections for item in section.items}
    audit_record(actor=user, action="pathway.worklist", details={"pathway_ids": sorted(shown)})
    return Worklist(
        open_alerts=open_alerts,
        escalated_alerts=escalated,
        pathways=pathways,
        sections=sections,
        acknowledgeable=acknowledgeable_among(user=user, alerts=open_alerts),
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
            Prefetch(
                "alerts",
                queryset=Alert.objects.select_related("acknowledged_by").prefetch_related(
                    "comments__author"
                ),
            ),
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
        for comment in alert.comments.all():
            events.append(
                TimelineEvent(
                    comment.created_at,
                    "alert",
                    "Commentaire sur l'alerte",
                    comment.text,
                    str(comment.author),
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
