"""Reads of patient data. Each one is authorised and written to the audit trail.

Views and API endpoints get pathways only through these functions:
`pathway_for` (one pathway: 404 for those who may not see it, the denial audited),
`pathways_visible_to` (the lists, scoped exactly as the authorisation rules),
`worklist_for` and `timeline_for`.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import F, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce, Greatest
from django.http import Http404
from django.utils import timezone

from oncolien.accounts.authorization import AccessDenied, AnyUser, authorize, visible
from oncolien.accounts.models import User
from oncolien.audit.services import audit_record
from oncolien.pagination import Page, PageOutOfRange, page_of
from oncolien.pathways import extensions, phases
from oncolien.pathways.access import ALERT_ACKNOWLEDGE, CPTS_WORKLIST, PATHWAY_READ
from oncolien.pathways.extensions import TimelineEvent, WorkSection
from oncolien.pathways.models import (
    Alert,
    AlertComment,
    MonitoringRecord,
    Pathway,
    StatusChange,
    Visit,
    VisitReport,
)


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
    """How many open alerts there are on the pathways `user` may see (the header's count,
    the worklist's total); no patient data."""
    return Alert.objects.filter(
        pathway__in=pathways_visible_to(user=user), acknowledged_at__isnull=True
    ).count()


def sharing_allowed(pathway: Pathway) -> bool:
    """False once the patient's latest statement is an objection: nothing about the
    patient then leaves the care team (reports, provider links, phone numbers)."""
    # Read from the consents the pathway page has already loaded (a pathway has few).
    latest = max(pathway.consents.all(), key=lambda c: (c.recorded_at, c.pk), default=None)
    return not (latest and latest.objects_to_sharing)


def phase_of(pathway: Pathway) -> str:
    """The pathway's phase today (Europe/Paris), as its page shows it."""
    return phases.current_phase(pathway, today=timezone.localdate())


def pathway_for(*, user: AnyUser, pk: int, action: str = "pathway.read") -> Pathway:
    """One pathway for `user`, audited; Http404 when it does not exist or is not theirs."""
    # Also read by the FHIR endpoints, which are open to anonymous requests: an
    # anonymous user is refused like an outsider (404, refusal audited).
    pathway = (
        Pathway.objects.select_related("patient", "patient__commune", "cpts", "created_by")
        .filter(pk=pk)
        .first()
    )
    if pathway is None:
        raise Http404("Parcours introuvable.")
    try:
        authorize(user, PATHWAY_READ, pathway)
    except AccessDenied:
        raise Http404("Parcours introuvable.") from None
    audit_record(actor=user, action=action, target=pathway)
    return pathway


def pathway_list_for(
    *, user: User, search: str = "", status: str = "", page: int = 1, per_page: int = 50
) -> Page[Pathway]:
    """A page of the patient list, limited to what the user may see, with its total; the
    pathways shown are audited. A page that does not exist raises PageOutOfRange."""
    pathways = pathways_visible_to(user=user).select_related("patient", "cpts")
    if status:
        pathways = pathways.filter(status=status)
    for word in search.split():
        pathways = pathways.filter(
            Q(patient__last_name__icontains=word) | Q(patient__first_name__icontains=word)
        )
    shown = page_of(
        pathways.order_by("patient__last_name", "patient__first_name", "pk"), page, per_page
    )
    audit_record(
        actor=user,
        action="pathway.list",
        details={"pathway_ids": [p.pk for p in shown.items], "search": bool(search)},
    )
    return shown


@dataclass(frozen=True)
class PathwayFilters:
    """What a worklist narrows the patient list by; empty values do not filter."""

    search: str = ""
    status: str = ""
    cpts: str = ""  # slug
    first_contact_from: date | None = None
    first_contact_to: date | None = None
    alert_severity: str = ""  # pathways with an open alert of this severity
    phase: str = ""  # a Phase code: the phase the pathway shows today (Europe/Paris)


def pathway_page_for(
    *, user: User, filters: PathwayFilters, page: int, per_page: int
) -> Page[Pathway]:
    """One page of the patient list, within what the user may see (`visible()`), filtered;
    PageOutOfRange for a page that does not exist. The page shown is audited."""
    pathways = pathways_visible_to(user=user).select_related("patient", "cpts")
    if filters.status:
        pathways = pathways.filter(status=filters.status)
    if filters.cpts:
        pathways = pathways.filter(cpts__slug=filters.cpts)
    if filters.first_contact_from:
        pathways = pathways.filter(first_contact_on__gte=filters.first_contact_from)
    if filters.first_contact_to:
        pathways = pathways.filter(first_contact_on__lte=filters.first_contact_to)
    if filters.alert_severity:
        pathways = pathways.filter(
            pk__in=Alert.objects.filter(
                severity=filters.alert_severity, acknowledged_at__isnull=True
            ).values("pathway_id")
        )
    if filters.phase:
        pathways = pathways.alias(phase=phases.phase_expression(today=timezone.localdate())).filter(
            phase=filters.phase
        )
    for word in filters.search.split():
        pathways = pathways.filter(
            Q(patient__last_name__icontains=word) | Q(patient__first_name__icontains=word)
        )
    shown = page_of(
        pathways.order_by("patient__last_name", "patient__first_name", "pk"), page, per_page
    )
    audit_record(
        actor=user,
        action="pathway.list",
        details={"pathway_ids": [p.pk for p in shown.items], "search": bool(filters.search)},
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
    # The open alerts shown that this user may acknowledge (the others: comment only).
    acknowledgeable: set[int]

    @property
    def open_alerts(self) -> list[Alert]:
        return self.alerts.items

    @property
    def escalated_alerts(self) -> list[Alert]:
        """The escalated alerts of the page shown."""
        return [a for a in self.alerts.items if a.escalated_at is not None]


# An alert's comments with who wrote them, in one query (not one more for the authors).
def comments_with_authors() -> Prefetch:
    return Prefetch("comments", queryset=AlertComment.objects.select_related("author"))


def acknowledgeable_among(*, user: User, alerts: list[Alert]) -> set[int]:
    """The alerts of `alerts` `user` may acknowledge, by the same rule as the check."""
    if not alerts:
        return set()
    return set(
        visible(
            user, ALERT_ACKNOWLEDGE, Alert.objects.filter(pk__in=[a.pk for a in alerts])
        ).values_list("pk", flat=True)
    )


def worklist_for(
    *,
    user: User,
    page: int = 1,
    per_page: int = ALERTS_PER_PAGE,
    pathways_shown: int = WORKLIST_PATHWAYS,
) -> Worklist:
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
        open_alerts.select_related("pathway__patient")
        .prefetch_related(comments_with_authors())
        .order_by("severity", "raised_at", "pk"),
        page,
        per_page,
    )
    escalated_count = open_alerts.filter(escalated_at__isnull=False).count()
    active = visible.exclude(status="closed")
    pathways = list(
        active.select_related("patient", "patient__commune").order_by(
            "patient__last_name", "patient__first_name", "pk"
        )[:pathways_shown]
    )
    pathways_count = len(pathways) if len(pathways) < pathways_shown else active.count()
    sections = extensions.worklist_sections_for(user, visible)
    shown = {p.pk for p in pathways} | {a.pathway_id for a in alerts.items}
    shown |= {
        item.pathway.pk
        for section in sections
        for item in section.items
        if item.pathway is not None
    }
    # One entry for all the page shows: the pathways, and what the sections add.
    details: dict[str, list[int]] = {"pathway_ids": sorted(shown)}
    for section in sections:
        for key, ids in section.audit_details.items():
            details[key] = sorted({*details.get(key, []), *ids})
    audit_record(actor=user, action="pathway.worklist", details=details)
    return Worklist(
        alerts=alerts,
        escalated_count=escalated_count,
        pathways=pathways,
        pathways_count=pathways_count,
        sections=sections,
        acknowledgeable=acknowledgeable_among(user=user, alerts=list(alerts.items)),
    )


TIMELINE_PER_PAGE = 30
# The pathway page reads this many newest visits once, for its visits table (the newest
# 20) and the first page of the history (30 events, plus one to know if more remain).
NEWEST_VISITS_READ = TIMELINE_PER_PAGE + 1


@dataclass
class TimelinePage:
    """The latest `number` × `per_page` events of a pathway, newest first, and whether
    older ones remain (« voir plus »)."""

    events: list[TimelineEvent]
    number: int
    has_more: bool


def timeline_for(pathway: Pathway) -> list[TimelineEvent]:
    """Intake, consent, status changes, visits, sheets, alerts, acknowledgements and
    reports, newest first, all of them. Call only on a pathway from `pathway_for`."""
    return _events(pathway, limit=None)


def timeline_page_for(
    pathway: Pathway,
    *,
    page: int = 1,
    per_page: int = TIMELINE_PER_PAGE,
    newest_visits: list[Visit] | None = None,
) -> TimelinePage:
    """The newest `page` × `per_page` events of the timeline. Each kind of event is read
    newest first and cut at that number, so a long history costs no more than a short
    one; PageOutOfRange when the page asked for shows nothing new.

    `newest_visits`: the pathway's newest visits, newest first, with their reports
    prefetched, as the pathway page has read them for its table: when they are at least
    as many as the page needs (or all of them), the history uses them instead of
    reading the visits and their reports again."""
    if page < 1:
        raise PageOutOfRange(f"La page {page} de l'historique n'existe pas.")
    shown = page * per_page
    events = _events(pathway, limit=shown + 1, newest_visits=newest_visits)
    if page > 1 and len(events) <= (page - 1) * per_page:
        raise PageOutOfRange(f"La page {page} de l'historique n'existe pas.")
    return TimelinePage(events=events[:shown], number=page, has_more=len(events) > shown)


def _latest(queryset: QuerySet[Any], field: str, limit: int | None) -> QuerySet[Any]:
    ordered = queryset.filter(**{f"{field}__isnull": False}).order_by(f"-{field}", "-pk")
    return ordered[:limit] if limit is not None else ordered


def _by_latest_event(
    queryset: QuerySet[Any], first: str, later: list[str], limit: int | None
) -> QuerySet[Any]:
    """Rows that make several events (`first`, then the `later` ones when set), newest
    latest event first. The `limit` newest events of the kind all belong to the `limit`
    rows whose latest event is newest: each of those rows has at least one of them."""
    latest = Greatest(F(first), *(Coalesce(F(name), F(first)) for name in later))
    ordered = queryset.alias(latest_event=latest).order_by("-latest_event", "-pk")
    return ordered[:limit] if limit is not None else ordered


def _visits_and_reports(
    pathway: Pathway, limit: int | None, newest_visits: list[Visit] | None, read_limit: int
) -> tuple[list[Visit], list[VisitReport] | None]:
    """The newest `limit` visits and, when known without a query, the reports of all the
    pathway's visits (None: to be read). `newest_visits` were read with at most
    `read_limit` rows: fewer means they are all the pathway's visits."""
    complete = newest_visits is not None and len(newest_visits) < read_limit
    if newest_visits is None or limit is None or not (complete or len(newest_visits) >= limit):
        visits = Visit.objects.filter(pathway=pathway).select_related("author")
        return list(_latest(visits, "occurred_at", limit)), None
    reports = [r for v in newest_visits for r in v.reports.all()] if complete else None
    return newest_visits[:limit], reports


def _events(
    pathway: Pathway, *, limit: int | None, newest_visits: list[Visit] | None = None
) -> list[TimelineEvent]:
    """The events, newest first; with `limit`, at most `limit` (plus those of other apps)."""
    changes = StatusChange.objects.filter(pathway=pathway).select_related("changed_by")
    visits, known_reports = _visits_and_reports(
        pathway, limit, newest_visits, read_limit=NEWEST_VISITS_READ
    )
    # A sheet has some forty measurements; its event shows when, who and the observations.
    records = (
        MonitoringRecord.objects.filter(pathway=pathway)
        .select_related("author")
        .only("pathway_id", "recorded_at", "observations", "author")
    )
    alerts = Alert.objects.filter(pathway=pathway)
    comments = AlertComment.objects.filter(alert__pathway=pathway).select_related("author")
    reports = VisitReport.objects.filter(visit__pathway=pathway).select_related("created_by")
    events = [
        TimelineEvent(
            pathway.created_at,
            "intake",
            "Premier contact",
            pathway.get_intake_channel_display(),
            str(pathway.created_by),
        )
    ]
    # The pathway page has loaded the consents (a handful per pathway) already.
    consents = sorted(pathway.consents.all(), key=lambda c: (c.recorded_at, c.pk), reverse=True)
    for consent in consents[:limit]:
        title = "Opposition au partage" if consent.objects_to_sharing else "Patient informé"
        events.append(
            TimelineEvent(
                consent.recorded_at, "consent", title, consent.notes, str(consent.recorded_by)
            )
        )
    for change in _latest(changes, "changed_at", limit):
        events.append(
            TimelineEvent(
                change.changed_at,
                "status",
                f"Statut : {change.get_to_status_display()}",
                change.reason,
                str(change.changed_by),
            )
        )
    for visit in visits:
        events.append(
            TimelineEvent(
                visit.occurred_at, "visit", visit.get_kind_display(), visit.notes, str(visit.author)
            )
        )
    # A report makes two events (written, sent): one read, by its latest of the two.
    if known_reports is None:
        known_reports = list(_by_latest_event(reports, "created_at", ["sent_at"], limit))
    for report in known_reports:
        events.append(
            TimelineEvent(
                report.created_at, "report", "Compte-rendu rédigé", "", str(report.created_by)
            )
        )
        if report.sent_at:
            events.append(TimelineEvent(report.sent_at, "report", "Compte-rendu envoyé"))
    for record in _latest(records, "recorded_at", limit):
        events.append(
            TimelineEvent(
                record.recorded_at,
                "record",
                "Fiche de surveillance",
                record.observations,
                str(record.author),
            )
        )
    # An alert makes up to three events (raised, escalated, acknowledged): one read.
    alert_rows = list(
        _by_latest_event(
            alerts.select_related("acknowledged_by"),
            "raised_at",
            ["escalated_at", "acknowledged_at"],
            limit,
        )
    )
    for alert in alert_rows:
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
    # A comment is on an alert: a pathway without any has none to read.
    for comment in _latest(comments, "created_at", limit) if alert_rows else []:
        events.append(
            TimelineEvent(
                comment.created_at,
                "alert",
                "Commentaire sur l'alerte",
                comment.text,
                str(comment.author),
            )
        )
    events.extend(extensions.timeline_events_for(pathway))
    events.sort(key=lambda event: event.at, reverse=True)
    return events if limit is None else events[:limit]
