"""Distributing a survey: personal links to CPTS contacts, and the open link.

A personal link's token is 32 random bytes that appear only in the e-mail; the
database keeps its SHA-256 (`Invitation.token_hash`), so the database alone never
gives a working link. Since the token is not kept, a reminder carries a new link that
replaces the previous one (`invitation_new_link`); the response already started is
tied to the invitation, not to the token, and reopens at the answers given.

The open link (`Survey.open_token_hash`) is shown once to the regional staff who made
it; making another one disables the previous one.
"""

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from oncolien.accounts.authorization import authorize
from oncolien.accounts.models import User
from oncolien.audit.services import audit_record
from oncolien.notifications.models import Delivery
from oncolien.notifications.services import notify
from oncolien.surveys.access import SURVEYS_MANAGE
from oncolien.surveys.answers import fold
from oncolien.surveys.models import (
    CptsRegisterEntry,
    Invitation,
    RespondentGroup,
    Response,
    ResponseSource,
    ResponseStatus,
    Survey,
)
from oncolien.surveys.schedule import closed_reason
from oncolien.table_reading import UnreadableFile, read_table

INVITATION_KIND = "survey.invitation"
REMINDER_KIND = "survey.reminder"
MAX_CONTACT_ROWS = 500

BuildUrl = Callable[[str], str]

INVITATION_MESSAGE = """Bonjour{name},

{reminder}Le Guichet régional des CPTS vous invite à répondre à l'enquête « {title} » pour la {entry}.

Votre lien personnel :
{url}

Ce lien vous est réservé : il permet une seule réponse, que vous pouvez enregistrer et reprendre plus tard avec le même lien.{closes}

Merci de votre participation.
"""


def new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def closes_sentence(survey: Survey) -> str:
    if survey.closes_on is None:
        return ""
    return f"\nL'enquête est ouverte jusqu'au {survey.closes_on:%d/%m/%Y} inclus."


REMINDER_INTRO = (
    "Sauf erreur, vos réponses ne nous sont pas encore parvenues. Le lien ci-dessous "
    "remplace celui du message précédent ; les réponses déjà enregistrées sont conservées.\n\n"
)


def invitation_message(invitation: Invitation, url: str, *, reminder: bool = False) -> str:
    return INVITATION_MESSAGE.format(
        reminder=REMINDER_INTRO if reminder else "",
        name=f" {invitation.contact_name}" if invitation.contact_name else "",
        title=invitation.survey.title,
        entry=invitation.entry.name,
        url=url,
        closes=closes_sentence(invitation.survey),
    )


def _check_distributable(survey: Survey) -> None:
    if closed_reason(survey):
        raise ValidationError(
            "L'enquête ne reçoit pas de réponses aujourd'hui : elle ne peut pas être diffusée."
        )
    if survey.register_id is None:
        raise ValidationError(
            "Associez d'abord un registre des CPTS à l'enquête : chaque réponse doit "
            "connaître sa CPTS."
        )


@dataclass
class Contact:
    entry: CptsRegisterEntry
    contact_name: str
    email: str
    group: str


def _send(invitation: Invitation, build_url: BuildUrl, *, kind: str, subject: str) -> Delivery:
    """A new token for the invitation, and the message that carries it."""
    token = new_token()
    invitation.token_hash = hash_token(token)
    invitation.save(update_fields=["token_hash"])
    return notify(
        channel="email",
        to=invitation.email,
        subject=subject,
        body=invitation_message(invitation, build_url(token), reminder=kind == REMINDER_KIND),
        kind=kind,
        target=invitation,
    )


@transaction.atomic
def invitations_create(
    *, actor: User, survey: Survey, contacts: list[Contact], build_url: BuildUrl
) -> list[tuple[Invitation, Delivery]]:
    """One invitation per contact, each sent at once (the token lives only in its
    e-mail). A contact already invited to this survey (same CPTS and address) is
    refused: nothing is created."""
    authorize(actor, SURVEYS_MANAGE)
    _check_distributable(survey)
    existing = set(
        Invitation.objects.filter(survey=survey, revoked_at__isnull=True).values_list(
            "entry_id", "email"
        )
    )
    for contact in contacts:
        if (contact.entry.pk, contact.email.lower()) in existing:
            raise ValidationError(
                f"{contact.email} est déjà invité·e pour la {contact.entry.name}."
            )
        existing.add((contact.entry.pk, contact.email.lower()))
    sent = []
    now = timezone.now()
    for contact in contacts:
        invitation = Invitation(
            survey=survey,
            entry=contact.entry,
            contact_name=contact.contact_name,
            email=contact.email.lower(),
            group=contact.group,
            # A placeholder until _send draws the real token: unique, and no token's hash.
            token_hash=f"pending-{secrets.token_hex(16)}",
            sent_at=now,
        )
        invitation.save()
        delivery = _send(
            invitation,
            build_url,
            kind=INVITATION_KIND,
            subject=f"Enquête régionale : {survey.title}",
        )
        sent.append((invitation, delivery))
    audit_record(
        actor=actor,
        action="survey.invitations.create",
        target=survey,
        details={"invitations": [invitation.pk for invitation, _ in sent]},
    )
    return sent


def invitation_new_link(invitation: Invitation, build_url: BuildUrl, *, subject: str) -> Delivery:
    """A reminder: a new link, which replaces the previous one."""
    return _send(invitation, build_url, kind=REMINDER_KIND, subject=subject)


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: Invitation) -> None:
    authorize(actor, SURVEYS_MANAGE)
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="survey.invitation.revoke", target=invitation)


@transaction.atomic
def open_link_issue(*, actor: User, survey: Survey) -> str:
    """A new open link for the survey (the previous one stops working); the token is
    returned once, to be shown to the staff who asked for it."""
    authorize(actor, SURVEYS_MANAGE)
    _check_distributable(survey)
    token = new_token()
    survey.open_token_hash = hash_token(token)
    survey.save(update_fields=["open_token_hash"])
    audit_record(actor=actor, action="survey.open_link.issue", target=survey)
    return token


@transaction.atomic
def open_link_disable(*, actor: User, survey: Survey) -> None:
    authorize(actor, SURVEYS_MANAGE)
    survey.open_token_hash = ""
    survey.save(update_fields=["open_token_hash"])
    audit_record(actor=actor, action="survey.open_link.disable", target=survey)


# --- Contacts from a pasted or uploaded table

CONTACT_COLUMNS = {
    "cpts": "entry",
    "nom": "contact_name",
    "contact": "contact_name",
    "courriel": "email",
    "email": "email",
    "e-mail": "email",
    "adresse electronique": "email",
    "adresse électronique": "email",
    "groupe": "group",
}
GROUP_WORDS = {
    "": "",
    "health_professional": RespondentGroup.HEALTH_PROFESSIONAL,
    "professionnel de sante": RespondentGroup.HEALTH_PROFESSIONAL,
    "professionnel·le de sante": RespondentGroup.HEALTH_PROFESSIONAL,
    "professionnelle de sante": RespondentGroup.HEALTH_PROFESSIONAL,
    "ps": RespondentGroup.HEALTH_PROFESSIONAL,
    "coordination": RespondentGroup.COORDINATION,
    "equipe de coordination": RespondentGroup.COORDINATION,
    "equipe de coordination (salarie·e)": RespondentGroup.COORDINATION,
    "salarie": RespondentGroup.COORDINATION,
}


def group_of(text: str) -> str:
    """The respondent group named by `text` (code or French label), or ValueError."""
    folded = fold(text)
    for code, label in RespondentGroup.choices:
        if folded in (fold(code), fold(label)):
            return code
    if folded in GROUP_WORDS:
        return GROUP_WORDS[folded]
    raise ValueError(
        f"Groupe inconnu : « {text.strip()} » (« professionnel de santé » ou « coordination »)."
    )


def entry_named(survey: Survey, name: str) -> CptsRegisterEntry | None:
    wanted = fold(name)
    for entry in CptsRegisterEntry.objects.filter(register_id=survey.register_id):
        if fold(entry.name) == wanted:
            return entry
    return None


@dataclass
class ContactReport:
    contacts: list[Contact] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line, message)


def contacts_read(survey: Survey, data: bytes, filename: str) -> ContactReport:
    """The contacts of a table (columns cpts, nom, courriel, groupe), each line
    checked; any error and the caller creates nothing."""
    report = ContactReport()
    try:
        table = read_table(data, filename)
    except UnreadableFile as error:
        report.errors.append((0, str(error)))
        return report
    columns: dict[str, int] = {}
    for index, header in enumerate(table.headers):
        name = header.strip().lower()
        if not name:
            continue
        if name not in CONTACT_COLUMNS:
            report.errors.append(
                (
                    1,
                    f"Colonne inconnue : « {header.strip()} » (attendu : cpts, nom, courriel, groupe).",
                )
            )
            continue
        columns[CONTACT_COLUMNS[name]] = index
    for needed, label in (("entry", "cpts"), ("email", "courriel")):
        if needed not in columns:
            report.errors.append((1, f"Colonne « {label} » manquante."))
    if report.errors:
        return report
    if len(table.rows) > MAX_CONTACT_ROWS:
        report.errors.append((0, f"Au plus {MAX_CONTACT_ROWS} contacts par envoi."))
        return report

    def cell(row, name: str) -> str:
        index = columns.get(name)
        return row.cells[index].strip() if index is not None and index < len(row.cells) else ""

    for row in table.rows:
        if not any(c.strip() for c in row.cells):
            continue
        entry = entry_named(survey, cell(row, "entry"))
        if entry is None:
            report.errors.append(
                (row.line, f"CPTS absente du registre : « {cell(row, 'entry')} ».")
            )
        email = cell(row, "email")
        try:
            validate_email(email)
        except ValidationError:
            report.errors.append((row.line, f"Adresse électronique non valide : « {email} »."))
            email = ""
        try:
            group = group_of(cell(row, "group"))
        except ValueError as error:
            report.errors.append((row.line, str(error)))
            group = ""
        if entry is not None and email:
            report.contacts.append(
                Contact(
                    entry=entry,
                    contact_name=cell(row, "contact_name")[:200],
                    email=email,
                    group=group,
                )
            )
    if not report.contacts and not report.errors:
        report.errors.append((0, "Aucun contact dans le tableau."))
    return report


# --- What the distribution page shows


@dataclass
class InvitationStatus:
    invitation: Invitation
    delivery: Delivery | None  # the latest message (invitation or reminder)
    response_status: str  # "", "in_progress" or "submitted"
    submitted_at: object = None


def invitation_statuses(survey: Survey) -> list[InvitationStatus]:
    """Each invitation of the survey with its latest delivery (the recorded outcome,
    never more) and whether its response was started or sent."""
    invitations = list(
        Invitation.objects.filter(survey=survey)
        .select_related("entry", "response")
        .order_by("entry__name", "email", "pk")
    )
    deliveries: dict[str, Delivery] = {}
    for delivery in Delivery.objects.filter(
        target_type=Invitation._meta.label_lower,
        target_id__in=[str(invitation.pk) for invitation in invitations],
        kind__in=(INVITATION_KIND, REMINDER_KIND),
    ).order_by("created_at", "pk"):
        deliveries[delivery.target_id] = delivery
    rows = []
    for invitation in invitations:
        response = getattr(invitation, "response", None)
        rows.append(
            InvitationStatus(
                invitation=invitation,
                delivery=deliveries.get(str(invitation.pk)),
                response_status=response.status if response else "",
                submitted_at=response.submitted_at if response else None,
            )
        )
    return rows


def responses_by_source(survey: Survey) -> list[tuple[str, int, int]]:
    """(origin, submitted, in progress) of the survey's responses, for each origin."""
    counts = Response.objects.filter(survey=survey).aggregate(
        **{
            f"{source}_{status}": Count("pk", filter=Q(source=source, status=status))
            for source in ResponseSource.values
            for status in ResponseStatus.values
        }
    )
    return [
        (
            label,
            counts[f"{source}_{ResponseStatus.SUBMITTED}"],
            counts[f"{source}_{ResponseStatus.IN_PROGRESS}"],
        )
        for source, label in ResponseSource.choices
    ]


def personal_url(token: str) -> str:
    return f"{settings.ONCOLIEN_SITE_URL}{reverse('surveys:r_start', args=[token])}"
