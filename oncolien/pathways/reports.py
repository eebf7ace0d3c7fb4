"""Visit reports (comptes-rendus): written from a visit and its monitoring sheets,
addressed to chosen members of the care team, shown as a page and a PDF, sent only by
secure health messaging (MSSanté), or announced in OncoLien to the team's users.

Reads go through `selectors.pathway_for` first (authorised and audited; 404 for
anyone who may not see the pathway); writes authorise `pathway.write`, validate
everything before writing and are audited. `report_content` gathers what the
report shows into plain values, so that the page, the PDF and the tests read the
same thing.

The PDF is laid out by the task queue, never in a request (`report_pdf_request`,
`tasks.render_report_pdf`), and kept (`models.ReportPdf`) until the report changes;
a sending by secure messaging renders it in its task too, then calls `notify`.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format

from oncolien.accounts.authorization import AccessDenied, authorize
from oncolien.accounts.models import User
from oncolien.audit.services import audit_record
from oncolien.notifications.models import Delivery, Outcome
from oncolien.notifications.services import notify, secure_messaging_configured
from oncolien.pathways import extensions, selectors
from oncolien.pathways.access import PATHWAY_WRITE
from oncolien.pathways.models import (
    Alert,
    CareTeamMember,
    MonitoringRecord,
    Pathway,
    ReportPdf,
    Visit,
    VisitReport,
)
from oncolien.pdf import refuse_fetch

logger = logging.getLogger(__name__)

PDF_TEMPLATE = "pathways/report_pdf.html"

# The sheet as the field document orders it: (label, fields shown together).
SHEET_LINES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Poids", ("weight_kg",)),
    ("Pression artérielle", ("systolic_bp", "diastolic_bp")),
    ("Pouls", ("pulse_bpm", "pulse_regular")),
    ("Saturation", ("saturation_pct",)),
    ("Température", ("temperature_c",)),
    ("Dyspnée", ("dyspnoea",)),
    ("Nausées", ("nausea",)),
    ("Vomissements", ("vomiting",)),
    ("Transit", ("transit",)),
    ("Alimentation enrichie / CNO", ("enriched_food",)),
    ("Alimentation fractionnée", ("fractionated_meals",)),
    ("Mucite", ("mucositis",)),
    ("Sécheresse de la peau", ("dry_skin",)),
    ("Syndrome main-pied", ("hand_foot_syndrome",)),
    ("Alopécie / ongles", ("alopecia_nails",)),
    ("Fourmillements / polynévrite", ("tingling",)),
    ("Paresthésies", ("paresthesia",)),
    ("Oubli de prise", ("missed_doses",)),
    ("Difficultés avec le traitement", ("treatment_difficulties",)),
    ("Douleur (EVA 0-10)", ("pain_score", "pain_location")),
    ("Bilan biologique", ("biology_on", "biology_anomalies")),
    ("Voie d'abord", ("venous_access", "venous_access_flush", "venous_access_aspect")),
)

# Which lines of the sheet an alert rule (pathways.alerts.RULES) was computed from,
# so that the report marks the value that raised the alert next to it.
ALERT_FIELDS: dict[str, frozenset[str]] = {
    "fever": frozenset({"temperature_c"}),
    "refractory_vomiting": frozenset({"vomiting"}),
    "pain": frozenset({"pain_score"}),
    "venous_access": frozenset({"venous_access", "venous_access_flush", "venous_access_aspect"}),
    "desaturation": frozenset({"saturation_pct"}),
    "weight_loss": frozenset({"weight_kg"}),
}


# --- Reads, each through pathway_for ------------------------------------------------


def visit_for(*, user: User, visit_pk: int, action: str = "visit.read") -> Visit:
    """A visit of a pathway `user` may see; Http404 otherwise (the denial is audited)."""
    pathway_id = Visit.objects.filter(pk=visit_pk).values_list("pathway_id", flat=True).first()
    if pathway_id is None:
        raise Http404("Visite introuvable.")
    pathway = selectors.pathway_for(user=user, pk=pathway_id, action=action)
    visit = Visit.objects.select_related("author").get(pk=visit_pk)
    visit.pathway = pathway
    return visit


def report_for(*, user: User, pk: int, action: str = "report.read") -> VisitReport:
    """A report of a pathway `user` may see; Http404 otherwise (the denial is audited)."""
    pathway_id = (
        VisitReport.objects.filter(pk=pk).values_list("visit__pathway_id", flat=True).first()
    )
    if pathway_id is None:
        raise Http404("Compte-rendu introuvable.")
    pathway = selectors.pathway_for(user=user, pk=pathway_id, action=action)
    report = VisitReport.objects.select_related("visit", "visit__author", "created_by").get(pk=pk)
    report.visit.pathway = pathway
    return report


def recipient_choices(pathway: Pathway):
    """The active care-team members a report may be addressed to. Call only on a
    pathway obtained from `selectors.pathway_for`."""
    return CareTeamMember.objects.filter(pathway=pathway, active=True).order_by("role", "name")


def reports_of_visit(visit: Visit) -> list[VisitReport]:
    """The reports already written for a visit obtained from `visit_for`."""
    return list(visit.reports.select_related("created_by").prefetch_related("recipients"))


# --- Writes -----------------------------------------------------------------------------


def report_create(
    *,
    actor: User,
    visit: Visit,
    recipients: Iterable[CareTeamMember],
    conclusion: str = "",
) -> VisitReport:
    """Record a report of `visit` addressed to `recipients` (active members of its care
    team), with the conclusion its author writes."""
    pathway = visit.pathway
    authorize(actor, PATHWAY_WRITE, pathway)
    with transaction.atomic():
        chosen = list(recipients)
        if not chosen:
            raise ValidationError(
                {"recipients": "Choisissez au moins un destinataire dans l'équipe de soins."}
            )
        allowed = set(recipient_choices(pathway).values_list("pk", flat=True))
        strangers = [member for member in chosen if member.pk not in allowed]
        if strangers:
            raise ValidationError(
                {"recipients": "Un destinataire ne fait pas partie de l'équipe de soins active."}
            )
        report = VisitReport.objects.create(
            visit=visit, created_by=actor, conclusion=conclusion.strip()
        )
        report.recipients.set(chosen)
        audit_record(
            actor=actor,
            action="report.create",
            target=pathway,
            details={"report": report.pk, "visit": visit.pk, "recipients": [m.pk for m in chosen]},
        )
        return report


# How a recipient is reached (VisitReport.sending[*]["how"]).
BY_SECURE_MESSAGING = "mss"
IN_ONCOLIEN = "oncolien"
NOT_SENT = "none"

NO_CHANNEL_WITHOUT_MSS = (
    "aucune messagerie sécurisée de santé n'est configurée et ce destinataire n'a pas "
    "de compte OncoLien"
)
NO_CHANNEL_WITH_MSS = "ni adresse de messagerie sécurisée de santé (MSSanté) ni compte OncoLien"
# A message by secure messaging whose PDF the task queue is still preparing.
PREPARING = "preparing"
PDF_FAILED = "le PDF n'a pas pu être préparé"


@dataclass(frozen=True)
class Dispatch:
    """What was done for one recipient of a report: how, and what happened."""

    name: str
    how: str  # BY_SECURE_MESSAGING, IN_ONCOLIEN or NOT_SENT
    outcome: str  # a notifications Outcome, or "" when nothing was attempted
    reason: str = ""
    address: str = ""

    @property
    def text(self) -> str:
        """The sentence the report page shows for this recipient."""
        if self.how == NOT_SENT:
            return f"non envoyé : {self.reason}"
        means = (
            f"par messagerie sécurisée ({self.address})"
            if self.how == BY_SECURE_MESSAGING
            else "notification dans OncoLien"
        )
        if self.outcome == Outcome.SENT:
            return means
        if self.outcome == PREPARING:
            return f"{means} : PDF en préparation, pas encore envoyé"
        if self.outcome == Outcome.PENDING:
            return f"{means} : en cours d'envoi"
        return f"{means} : non envoyé, {self.reason or 'échec de l’envoi'}"

    @property
    def left(self) -> bool:
        return self.outcome == Outcome.SENT


def _plan(member: CareTeamMember, *, secure: bool) -> tuple[str, str]:
    """(how, reason) for one recipient: the secure channel when it is configured and
    the member has an MSSanté address, else a link in OncoLien for a user, else nothing."""
    if secure and member.mssante_address:
        return BY_SECURE_MESSAGING, ""
    if can_notify_in_oncolien(member):
        return IN_ONCOLIEN, ""
    return NOT_SENT, NO_CHANNEL_WITH_MSS if secure else NO_CHANNEL_WITHOUT_MSS


def can_notify_in_oncolien(member: CareTeamMember) -> bool:
    """Whether `member` is an active OncoLien user who can be told of a report."""
    user = member.user
    return user is not None and user.is_active


def notify_in_oncolien(*, member: CareTeamMember, report: VisitReport, report_url: str) -> Delivery:
    """Tell a care-team user, in OncoLien's « Notifications », that a report waits for
    them: a link to the report page, and nothing of the patient."""
    assert member.user is not None
    pathway = report.visit.pathway
    return notify(
        channel="app",
        to=member.user.get_full_name() or member.user.get_username(),
        subject=f"Un compte-rendu de visite vous est adressé ({pathway.cpts.name})",
        body="",
        kind="visit_report.notice",
        recipient_user=member.user,
        target=report,
        link=urlsplit(report_url).path,
    )


def report_send(*, actor: User, report: VisitReport, report_url: str) -> list[Dispatch]:
    """Send the report to each recipient by the one channel allowed for them.

    Health data leaves only by secure health messaging (the PDF, to the member's
    MSSanté address, when a backend is configured). A recipient without it who is an
    OncoLien user gets a notice with the link `report_url` to the report page, and
    nothing else; anyone else gets nothing, and the result says why. Refused, with
    nothing sent, when the patient objects to sharing or when no recipient can be
    reached. The notices leave when the block commits; the messages by secure
    messaging wait for their PDF, laid out by the task queue
    (`report_send_securely`), and read « PDF en préparation » until then. Each
    message is a recorded delivery: nothing is said to have left before it has.
    """
    pathway = report.visit.pathway
    authorize(actor, PATHWAY_WRITE, pathway)
    if not selectors.sharing_allowed(pathway):
        raise ValidationError(
            "Envoi impossible : le patient s'est opposé au partage de ses données. "
            "Le compte-rendu reste consultable dans OncoLien par l'équipe de soins."
        )
    secure = secure_messaging_configured()
    recipients = list(report.recipients.select_related("user").order_by("role", "name"))
    plans = [(member, *_plan(member, secure=secure)) for member in recipients]
    if all(how == NOT_SENT for _, how, _ in plans):
        raise ValidationError(
            "Envoi impossible : aucun destinataire de ce compte-rendu ne peut le recevoir. "
            "Il faut une adresse de messagerie sécurisée de santé (MSSanté), avec la "
            "messagerie sécurisée configurée, ou un compte OncoLien."
            if secure
            else "Envoi impossible : aucune messagerie sécurisée de santé n'est configurée "
            "et aucun destinataire n'a de compte OncoLien. Le compte-rendu ne part jamais "
            "par courriel ordinaire : téléchargez le PDF pour le remettre par un autre "
            "moyen sécurisé."
        )
    batch = uuid.uuid4().hex
    with transaction.atomic():
        sending: list[dict[str, object]] = []
        deliveries: list[Delivery | None] = []
        for member, how, reason in plans:
            delivery: Delivery | None = None
            entry: dict[str, object] = {
                "member": member.pk,
                "name": member.name,
                "how": how,
                "address": member.mssante_address if how == BY_SECURE_MESSAGING else "",
                "reason": reason,
            }
            if how == BY_SECURE_MESSAGING:
                # The PDF is laid out by the task queue, which then sends it.
                entry["preparing"] = batch
            elif how == IN_ONCOLIEN:
                delivery = notify_in_oncolien(member=member, report=report, report_url=report_url)
            deliveries.append(delivery)
            entry["delivery"] = delivery.pk if delivery is not None else None
            sending.append(entry)
        report.sending = sending
        report.save(update_fields=["sending"])
        audit_record(
            actor=actor,
            action="report.send",
            target=pathway,
            details={"report": report.pk, "sending": [(d["member"], d["how"]) for d in sending]},
        )
        if any(entry.get("preparing") for entry in sending):
            transaction.on_commit(
                lambda: _enqueue_secure_sending(report.pk, actor.pk, batch), robust=True
            )
    # Outside an enclosing transaction the in-app notices are delivered by now.
    _note_first_sending(report, deliveries)
    report.refresh_from_db(fields=["sending", "sent_at"])
    return dispatches_of(report)


def _note_first_sending(report: VisitReport, deliveries: Iterable[Delivery | None]) -> None:
    sent = [d for d in deliveries if d is not None and d.outcome == Outcome.SENT]
    if sent and report.sent_at is None:
        report.sent_at = min(d.sent_at for d in sent if d.sent_at is not None)
        report.save(update_fields=["sent_at"])


def _enqueue_secure_sending(report_id: int, actor_id: int, batch: str) -> None:
    from oncolien.pathways import tasks  # the tasks module imports this one

    try:
        tasks.send_report_securely(report_id, actor_id, batch)
    except Exception:
        logger.exception("Secure sending of report %s could not be queued", report_id)
        _give_up_preparing(report_id, batch, reason="le traitement en arrière-plan est injoignable")


def _acting_user(user_id: int) -> User | None:
    """The user a task acts for, authorised again by `report_for` (roles, CPTS, active).

    Only a request that passed `report_for` queues a report task, and patient data is
    read there only from a session verified by the second factor: the task carries
    that verification, which has no session to read it from."""
    user = User.objects.filter(pk=user_id).first()
    if user is not None:
        user.is_verified = lambda: True  # type: ignore[attr-defined]
    return user


def _give_up_preparing(report_id: int, batch: str, *, reason: str) -> None:
    with transaction.atomic():
        report = VisitReport.objects.select_for_update().filter(pk=report_id).first()
        if report is None:
            return
        for entry in report.sending:
            if entry.get("preparing") == batch:
                entry.pop("preparing")
                entry["failed"] = True
                entry["reason"] = reason
        report.save(update_fields=["sending"])


def report_send_securely(*, report_id: int, actor_id: int, batch: str) -> None:
    """The task of a sending by secure messaging: lay out the PDF (or take the kept one,
    when it shows the report as it is), then hand one message per recipient of the
    sending `batch` to `notify`. The actor is authorised again: rights may have changed
    while the task waited. A task run twice sends once (the entries are claimed)."""
    actor = _acting_user(actor_id)
    try:
        report = report_for(user=actor, pk=report_id, action="report.send_secure")  # type: ignore[arg-type]
        authorize(actor, PATHWAY_WRITE, report.visit.pathway)
    except (Http404, AccessDenied):
        _give_up_preparing(
            report_id, batch, reason="l'auteur de l'envoi n'a plus accès au parcours"
        )
        return
    if not any(entry.get("preparing") == batch for entry in report.sending):
        return
    if not selectors.sharing_allowed(report.visit.pathway):
        # The patient objected while the task waited: nothing leaves.
        _give_up_preparing(report_id, batch, reason="le patient s'est opposé au partage")
        return
    try:
        pdf = report_pdf_current(report, requested_by=actor)
    except Exception:
        logger.exception("The PDF of report %s could not be rendered for sending", report_id)
        _give_up_preparing(report_id, batch, reason=PDF_FAILED)
        return
    pathway = report.visit.pathway
    deliveries: list[Delivery | None] = []
    with transaction.atomic():
        locked = VisitReport.objects.select_for_update().get(pk=report_id)
        sending = locked.sending
        for entry in sending:
            if entry.get("preparing") != batch:
                continue
            member = (
                CareTeamMember.objects.filter(pk=entry["member"]).select_related("user").first()
            )
            entry.pop("preparing")
            if member is None or not member.mssante_address:
                entry["failed"] = True
                entry["reason"] = "ce destinataire n'a plus d'adresse MSSanté"
                continue
            delivery = notify(
                channel="mss",
                to=member.mssante_address,
                subject=f"[OncoLien] Compte-rendu de visite — parcours n° {pathway.pk}",
                body=secure_message_body(report),
                kind="visit_report.sent",
                recipient_user=member.user,
                target=locked,
                attachments=[(report_filename(report), pdf, "application/pdf")],
            )
            entry["delivery"] = delivery.pk
            deliveries.append(delivery)
        locked.sending = sending
        locked.save(update_fields=["sending"])
    # Outside an enclosing transaction the messages have been handed over by now.
    _note_first_sending(locked, deliveries)


def dispatches_of(report: VisitReport) -> list[Dispatch]:
    """The last sending of `report`, recipient by recipient, with each delivery's outcome
    as recorded now (a message queued may have left, or failed, since)."""
    ids = [entry["delivery"] for entry in report.sending if entry.get("delivery")]
    deliveries = {d.pk: d for d in Delivery.objects.filter(pk__in=ids)}
    result = []
    for entry in report.sending:
        delivery = deliveries.get(entry.get("delivery") or 0)
        outcome = delivery.outcome if delivery is not None else ""
        if entry.get("preparing"):
            outcome = PREPARING
        elif entry.get("failed"):
            outcome = Outcome.FAILED
        reason = entry.get("reason", "")
        if delivery is not None and outcome in (Outcome.FAILED, Outcome.NOT_SENT):
            reason = (
                "aucune messagerie sécurisée de santé n'est configurée"
                if outcome == Outcome.NOT_SENT
                else "l'envoi a échoué"
            )
        result.append(
            Dispatch(
                name=entry["name"],
                how=entry["how"],
                outcome=outcome,
                reason=reason,
                address=entry.get("address", ""),
            )
        )
    return result


def first_sent_at(report: VisitReport) -> datetime | None:
    """When a message of the report first left, read from the recorded deliveries."""
    return (
        Delivery.objects.filter(
            target_type=VisitReport._meta.label_lower,
            target_id=str(report.pk),
            outcome=Outcome.SENT,
        )
        .order_by("sent_at")
        .values_list("sent_at", flat=True)
        .first()
    )


def secure_message_body(report: VisitReport) -> str:
    pathway = report.visit.pathway
    author = report.created_by.get_full_name() or report.created_by.get_username()
    with translation.override(settings.LANGUAGE_CODE):
        visit_day = date_format(_paris(report.visit.occurred_at), "j F Y")
    return (
        f"Bonjour,\n\nVous trouverez ci-joint le compte-rendu de la visite du {visit_day} "
        f"(parcours n° {pathway.pk}, {pathway.cpts.name}), rédigé par {author}.\n\n"
        "Ce document contient des données de santé : il vous est adressé par messagerie "
        "sécurisée de santé en tant que membre de l'équipe de soins du patient et ne doit "
        "pas être transmis.\n\n— OncoLien\n"
    )


def _paris(moment: datetime) -> datetime:
    return timezone.localtime(moment, ZoneInfo(settings.TIME_ZONE))


# --- What the report shows --------------------------------------------------------------


@dataclass(frozen=True)
class SheetLine:
    label: str
    value: str
    alert: bool  # the value raised an alert


@dataclass(frozen=True)
class SheetView:
    recorded_at: datetime
    author: str
    lines: list[SheetLine]
    observations: str
    alerts: list[Alert]


@dataclass(frozen=True)
class ReportContent:
    report: VisitReport
    pathway: Pathway
    visit: Visit
    sheets: list[SheetView]
    alerts: list[Alert]
    needs: list[str]
    recipients: list[CareTeamMember]
    author: str
    author_phone: str
    author_email: str
    sharing_allowed: bool
    sections: list[extensions.ReportSection]
    dispatches: list[Dispatch]
    sent_at: datetime | None

    @property
    def patient(self):
        return self.pathway.patient


def _number(value) -> str:
    return format(Decimal(value).normalize(), "f").replace(".", ",")


def _yes_no(value: bool) -> str:
    return "Oui" if value else "Non"


def _field_text(record: MonitoringRecord, name: str) -> str:
    value = getattr(record, name)
    if value is None or value == "":
        return ""
    if name == "weight_kg":
        return f"{_number(value)} kg"
    if name == "temperature_c":
        return f"{_number(value)} °C"
    if name == "saturation_pct":
        return f"{value} %"
    if name == "pulse_bpm":
        return f"{value} /min"
    if name == "pulse_regular":
        return "rythme régulier" if value else "rythme irrégulier"
    if name == "pain_score":
        return f"{value}/10"
    if name == "biology_on":
        return date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, bool):
        return _yes_no(value)
    display = getattr(record, f"get_{name}_display", None)
    return str(display()) if display else str(value)


def _line_value(record: MonitoringRecord, fields: tuple[str, ...]) -> str:
    if fields == ("systolic_bp", "diastolic_bp"):
        if record.systolic_bp is None and record.diastolic_bp is None:
            return ""
        return f"{record.systolic_bp or '?'}/{record.diastolic_bp or '?'} mmHg"
    if fields[0] == "venous_access" and record.venous_access == "none":
        return "Aucune"
    return " — ".join(text for text in (_field_text(record, f) for f in fields) if text)


def sheet_view(record: MonitoringRecord) -> SheetView:
    """The lines of a sheet that were filled in, each marked when it raised an alert."""
    alerts = list(record.alerts.all())
    flagged = set().union(*(ALERT_FIELDS.get(alert.rule, frozenset()) for alert in alerts))
    lines = []
    for label, fields in SHEET_LINES:
        value = _line_value(record, fields)
        if value:
            lines.append(SheetLine(label, value, alert=bool(flagged & set(fields))))
    author = record.author.get_full_name() or record.author.get_username()
    return SheetView(record.recorded_at, author, lines, record.observations, alerts)


def report_content(report: VisitReport) -> ReportContent:
    """Everything the report shows. `report` must come from `report_for` (or a service
    that authorised it), so that its pathway was read through `pathway_for`."""
    visit = report.visit
    pathway = visit.pathway
    records = list(
        MonitoringRecord.objects.filter(visit=visit)
        .select_related("author")
        .prefetch_related("alerts")
        .order_by("recorded_at", "pk")
    )
    sheets = [sheet_view(record) for record in records]
    author = report.created_by.get_full_name() or report.created_by.get_username()
    return ReportContent(
        report=report,
        pathway=pathway,
        visit=visit,
        sheets=sheets,
        alerts=[alert for sheet in sheets for alert in sheet.alerts],
        needs=list(
            visit.needs_discussed.order_by("position", "name").values_list("name", flat=True)
        ),
        recipients=list(report.recipients.order_by("role", "name")),
        author=author,
        author_phone=report.created_by.phone,
        author_email=report.created_by.email,
        sharing_allowed=selectors.sharing_allowed(pathway),
        sections=extensions.report_sections_for(pathway),
        dispatches=dispatches_of(report),
        sent_at=first_sent_at(report),
    )


def report_filename(report: VisitReport) -> str:
    # No patient name in the file name: it shows in mail clients and download folders.
    return f"compte-rendu-visite-{report.visit.pathway_id}-{report.pk}.pdf"


def render_report_html(content: ReportContent, *, edited_at: datetime | None = None) -> str:
    # Month names come from Django's translations and times are French: render in
    # the site's language and in Paris time even outside a request (a task, a
    # shell) or under another active time zone.
    with translation.override(settings.LANGUAGE_CODE), timezone.override(settings.TIME_ZONE):
        return render_to_string(PDF_TEMPLATE, {"content": content, "edited_at": edited_at})


def render_report_pdf(content: ReportContent, *, edited_at: datetime | None = None) -> bytes:
    """Lay out the report as a PDF (seconds of CPU: only the task queue calls it)."""
    from weasyprint import HTML  # heavy import, only where a PDF is made

    html = render_report_html(content, edited_at=edited_at or timezone.now())
    return HTML(string=html, url_fetcher=refuse_fetch).write_pdf()


# --- The kept PDF, rendered by the task queue -------------------------------------------

# A render asked this long ago and never finished (the consumer stopped) may be asked
# for again.
REQUEUE_AFTER = timedelta(minutes=10)
PDF_QUEUE_DOWN = (
    "Le PDF n'a pas pu être mis en préparation : le traitement en arrière-plan est "
    "injoignable. Réessayez dans quelques minutes."
)
PDF_RENDER_FAILED = (
    "La préparation du PDF a échoué ; l'erreur a été enregistrée. Rechargez la page "
    "pour la relancer, ou prévenez l'administrateur."
)


def report_digest(content: ReportContent) -> str:
    """What the PDF shows, as a digest: a report that changed (a sheet, the team, the
    conclusion, the supportive care) no longer matches the file kept for it. The
    template is rendered without its edition time, in milliseconds."""
    return hashlib.sha256(render_report_html(content).encode()).hexdigest()


@dataclass(frozen=True)
class PdfState:
    """Where the PDF of a report stands, for the report page."""

    ready: bool  # a kept file shows the report as it is
    edited_at: datetime | None
    preparing: bool
    problem: str = ""


def report_pdf_state(report: VisitReport, content: ReportContent, *, actor: User) -> PdfState:
    """The state of the PDF of `report` (from `report_for`); when no kept file shows it
    as it is, a render is queued (once) for `actor`."""
    digest = report_digest(content)
    kept = ReportPdf.objects.filter(report=report).defer("content").first()
    if kept is not None and kept.content_ready and kept.source_digest == digest:
        return PdfState(ready=True, edited_at=kept.rendered_at, preparing=False)
    if kept is not None and kept.error and kept.queued_at is None and kept.queued_digest == digest:
        # It failed for this very content: say so; reloading the page asks again.
        problem = kept.error
        ReportPdf.objects.filter(pk=kept.pk).update(error="", queued_digest="")
        return PdfState(ready=False, edited_at=None, preparing=False, problem=problem)
    queued = report_pdf_request(report, digest=digest, actor=actor)
    return PdfState(
        ready=False,
        edited_at=None,
        preparing=queued is not False,
        problem="" if queued is not False else PDF_QUEUE_DOWN,
    )


def report_pdf_request(report: VisitReport, *, digest: str, actor: User) -> bool | None:
    """Queue a render of the PDF of `report` for the content named by `digest`, unless
    one is already waiting for it: True when queued now, None when one was waiting,
    False when the queue could not be reached."""
    ReportPdf.objects.get_or_create(report=report)
    now = timezone.now()
    claimed = (
        ReportPdf.objects.filter(report=report)
        .exclude(queued_digest=digest, queued_at__gte=now - REQUEUE_AFTER)
        .update(queued_at=now, queued_digest=digest, requested_by=actor, error="")
    )
    if not claimed:
        return None
    from oncolien.pathways import tasks  # the tasks module imports this one

    try:
        if transaction.get_connection().in_atomic_block:
            transaction.on_commit(lambda: tasks.render_report_pdf(report.pk, actor.pk), robust=True)
        else:
            tasks.render_report_pdf(report.pk, actor.pk)
    except Exception:
        logger.exception("The PDF of report %s could not be queued", report.pk)
        ReportPdf.objects.filter(report=report).update(queued_at=None, queued_digest="")
        return False
    return True


def report_pdf_current(report: VisitReport, *, requested_by: User | None) -> bytes:
    """The PDF of `report` (from `report_for`) as it is now: the kept file when it shows
    the report as it is, else laid out now and kept. Only the task queue calls it."""
    content = report_content(report)
    digest = report_digest(content)
    kept = ReportPdf.objects.filter(report=report).first()
    if kept is not None and kept.content_ready and kept.source_digest == digest:
        return bytes(kept.content)
    edited_at = timezone.now()
    pdf = render_report_pdf(content, edited_at=edited_at)
    ReportPdf.objects.update_or_create(
        report=report,
        defaults={
            "content": pdf,
            "source_digest": digest,
            "rendered_at": edited_at,
            "queued_at": None,
            "queued_digest": "",
            "requested_by": requested_by,
            "error": "",
        },
    )
    return pdf


def report_pdf_render(*, report_id: int, user_id: int) -> None:
    """The task of a PDF render: as the user who asked, authorised again (rights may
    have changed while the task waited); the outcome is kept for the report page."""
    user = _acting_user(user_id)
    try:
        report = report_for(user=user, pk=report_id, action="report.render")  # type: ignore[arg-type]
    except Http404:
        ReportPdf.objects.filter(report_id=report_id).update(queued_at=None)
        return
    try:
        report_pdf_current(report, requested_by=user)
    except Exception:
        logger.exception("The PDF of report %s failed to render", report_id)
        ReportPdf.objects.filter(report_id=report_id).update(
            queued_at=None, error=PDF_RENDER_FAILED
        )


def report_pdf_file(report: VisitReport) -> tuple[bytes, datetime | None] | None:
    """The kept PDF of `report` (from `report_for`) when it shows the report as it is."""
    digest = report_digest(report_content(report))
    kept = ReportPdf.objects.filter(report=report, source_digest=digest).first()
    if kept is None or not kept.content_ready:
        return None
    return bytes(kept.content), kept.rendered_at
