"""Visit reports (comptes-rendus): written from a visit and its monitoring sheets,
addressed to chosen members of the care team, shown as a page and a PDF, sent by e-mail.

Reads go through `selectors.pathway_for` first (authorised and audited; 404 for
anyone who may not see the pathway); writes authorise `pathway.write`, validate
everything before writing and are audited. `report_content` gathers what the
report shows into plain values, so that the page, the PDF and the tests read the
same thing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format

from oncolien.accounts.authorization import authorize
from oncolien.accounts.models import User
from oncolien.audit.services import audit_record
from oncolien.notifications.models import Outcome
from oncolien.notifications.services import notify
from oncolien.pathways import selectors
from oncolien.pathways.access import PATHWAY_WRITE
from oncolien.pathways.models import (
    Alert,
    CareTeamMember,
    MonitoringRecord,
    Pathway,
    Visit,
    VisitReport,
)

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
    *, actor: User, visit: Visit, recipients: Iterable[CareTeamMember]
) -> VisitReport:
    """Record a report of `visit` addressed to `recipients` (active members of its care team)."""
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
        report = VisitReport.objects.create(visit=visit, created_by=actor)
        report.recipients.set(chosen)
        audit_record(
            actor=actor,
            action="report.create",
            target=pathway,
            details={"report": report.pk, "visit": visit.pk, "recipients": [m.pk for m in chosen]},
        )
        return report


@dataclass(frozen=True)
class Sending:
    report: VisitReport
    sent_to: list[str]  # names of the recipients e-mailed
    skipped: list[str]  # names of the recipients without an e-mail address
    failed: list[str] = field(default_factory=list)  # names whose e-mail could not be sent


def report_send(*, actor: User, report: VisitReport) -> Sending:
    """E-mail the report (PDF attached) to each recipient who has an address.

    Refused, with nothing sent, when the patient objects to sharing or when no
    recipient has an e-mail address. The e-mail itself names no patient: the
    identity is only in the attachment. Each e-mail is a notification (recorded
    delivery) sent once `sent_at` and the audit entry are committed.
    """
    pathway = report.visit.pathway
    authorize(actor, PATHWAY_WRITE, pathway)
    if not selectors.sharing_allowed(pathway):
        raise ValidationError(
            "Envoi impossible : le patient s'est opposé au partage de ses données. "
            "Le compte-rendu reste consultable dans OncoLien par l'équipe de soins."
        )
    recipients = list(report.recipients.select_related("user").order_by("role", "name"))
    with_email = [member for member in recipients if member.email]
    if not with_email:
        raise ValidationError(
            "Envoi impossible : aucun destinataire de ce compte-rendu n'a d'adresse "
            "électronique. Complétez l'équipe de soins ou créez un compte-rendu pour "
            "d'autres destinataires."
        )
    content = report_content(report)
    pdf = render_report_pdf(content)
    filename = report_filename(report)
    subject = f"[OncoLien] Compte-rendu de visite — parcours n° {pathway.pk}"
    with translation.override(settings.LANGUAGE_CODE):
        visit_day = date_format(timezone.localtime(report.visit.occurred_at), "j F Y")
    body = (
        f"Bonjour,\n\nVous trouverez ci-joint le compte-rendu de la visite du {visit_day} "
        f"(parcours n° {pathway.pk}, {pathway.cpts.name}), rédigé par {content.author}.\n\n"
        "Ce document contient des données de santé : il vous est adressé en tant que membre "
        "de l'équipe de soins du patient et ne doit pas être transmis.\n\n"
        "— OncoLien\n"
    )
    with transaction.atomic():
        report.sent_at = timezone.now()
        report.save(update_fields=["sent_at"])
        audit_record(
            actor=actor,
            action="report.send",
            target=pathway,
            details={
                "report": report.pk,
                "sent_to": [m.pk for m in with_email],
                "skipped": [m.pk for m in recipients if not m.email],
            },
        )
        # One message per recipient: no one learns who else received it. They leave
        # when this block commits, so a failed write sends nothing.
        deliveries = [
            (
                member,
                notify(
                    channel="email",
                    to=member.email,
                    subject=subject,
                    body=body,
                    kind="visit_report.sent",
                    recipient_user=member.user,
                    target=report,
                    attachments=[(filename, pdf, "application/pdf")],
                ),
            )
            for member in with_email
        ]
    # Outside an enclosing transaction the messages have left by now, so the page can
    # name those whose e-mail failed rather than claim it was sent.
    return Sending(
        report=report,
        sent_to=[m.name for m, sent in deliveries if sent.outcome != Outcome.FAILED],
        skipped=[m.name for m in recipients if not m.email],
        failed=[m.name for m, sent in deliveries if sent.outcome == Outcome.FAILED],
    )


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
    sharing_allowed: bool

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
        sharing_allowed=selectors.sharing_allowed(pathway),
    )


def report_filename(report: VisitReport) -> str:
    # No patient name in the file name: it shows in mail clients and download folders.
    return f"compte-rendu-visite-{report.visit.pathway_id}-{report.pk}.pdf"


def _refuse_fetch(url: str, *args, **kwargs):
    # The report embeds its stylesheet and no image: text typed in a sheet can never
    # make the server fetch a URL.
    raise ValueError(f"Ressource externe refusée dans le PDF : {url}")


def render_report_html(content: ReportContent) -> str:
    # Month names come from Django's translations: render in the site's language
    # even outside a request (e-mail sending).
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(PDF_TEMPLATE, {"content": content})


def render_report_pdf(content: ReportContent) -> bytes:
    from weasyprint import HTML  # heavy import, only where a PDF is made

    return HTML(string=render_report_html(content), url_fetcher=_refuse_fetch).write_pdf()
