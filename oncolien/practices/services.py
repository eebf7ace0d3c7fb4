"""Writes of shared practices: drafting, the public proposal, the review, the radar
and the documents. Each checks its permission (accounts.authorization) and writes
its state change to the audit trail in the same transaction.

    draft ──submit──▶ submitted ──publish──▶ published
      ▲                 │  ▲  └──refuse───▶ refused
      └ changes_requested ◀┘  (a public proposal starts as « submitted »)
"""

from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from oncolien.accounts.authorization import authorize
from oncolien.accounts.models import User
from oncolien.audit.services import audit_record
from oncolien.practices import radar as radar_data
from oncolien.practices.access import PRACTICE_CREATE, PRACTICE_EDIT, PRACTICE_REVIEW
from oncolien.practices.documents import check_file
from oncolien.practices.models import Document, Practice, Status
from oncolien.rate_limits import seconds_before_next, sender_fingerprint
from oncolien.reference.models import CareType
from oncolien.territories.models import Cpts

TEXT_FIELDS = (
    "title",
    "summary",
    "origin",
    "step_screening",
    "step_care",
    "step_support",
    "step_follow_up",
    "partners",
    "costs_funding",
    "obstacles_levers",
    "perspectives",
    "contact",
)
EDITABLE = (Status.DRAFT, Status.CHANGES_REQUESTED)

# At most this many public proposals per sender and window (as for the directory's
# contributions): enough for a CPTS telling a few actions, too few for a robot.
RATE_LIMIT = 5
RATE_WINDOW = timedelta(hours=1)


class TooManyProposals(Exception):
    """The sender has reached the rate limit; nothing was stored."""

    def __init__(self, retry_after: int):
        self.retry_after = retry_after
        minutes = max(1, -(-retry_after // 60))
        super().__init__(
            f"Vous avez déjà envoyé {RATE_LIMIT} actions en moins d'une heure : merci ! "
            f"Pour nous protéger des envois automatiques, les suivantes seront acceptées "
            f"dans {minutes} min environ. Votre action n'a pas été enregistrée : gardez "
            "cette page ouverte et envoyez-la à nouveau plus tard."
        )


def _retry_after(fingerprint: str) -> int | None:
    """Seconds before this sender may send again, or None when it may now."""
    return seconds_before_next(
        Practice.objects.filter(sender_fingerprint=fingerprint),
        limit=RATE_LIMIT,
        window=RATE_WINDOW,
    )


def _clean_values(values: dict[str, Any]) -> dict[str, Any]:
    cleaned = {name: (values.get(name) or "").strip() for name in TEXT_FIELDS}
    errors = {}
    if not cleaned["title"]:
        errors["title"] = "Donnez un titre à l'action."
    if not cleaned["summary"]:
        errors["summary"] = "Décrivez l'action en quelques lignes."
    figures = []
    for figure in values.get("key_figures") or []:
        value, label = str(figure.get("value", "")).strip(), str(figure.get("label", "")).strip()
        if value and label:
            figures.append({"value": value, "label": label})
        elif value or label:
            errors["key_figures"] = "Chaque chiffre clé a une valeur et ce qu'elle compte."
    if errors:
        raise ValidationError(errors)
    cleaned["key_figures"] = figures
    return cleaned


def _save(practice: Practice, values: dict[str, Any], care_types: list[CareType] | None) -> None:
    for name, value in values.items():
        setattr(practice, name, value)
    practice.save()
    if care_types is not None:
        practice.care_types.set(care_types)


def _transition(actor: User | None, practice: Practice, to: str, **details: Any) -> None:
    before = practice.status
    practice.status = to
    practice.save(update_fields=["status", "review_comment", "published_at", "updated_at"])
    audit_record(
        actor=actor,
        action=f"practices.{to}",
        target=practice,
        details={"from": before, "to": to, **details},
    )


@transaction.atomic
def practice_create(
    *, actor: User, cpts: Cpts, values: dict[str, Any], care_types: list[CareType]
) -> Practice:
    authorize(actor, PRACTICE_CREATE, cpts)
    practice = Practice(cpts=cpts, created_by=actor, status=Status.DRAFT)
    _save(practice, _clean_values(values), care_types)
    audit_record(actor=actor, action="practices.created", target=practice)
    return practice


def _editable(actor: User, practice: Practice) -> Practice:
    authorize(actor, PRACTICE_EDIT, practice)
    locked = Practice.objects.select_for_update().get(pk=practice.pk)
    if locked.status not in EDITABLE:
        raise ValidationError(
            f"Cette action est « {locked.get_status_display()} » : elle ne peut plus être "
            "modifiée par la CPTS."
        )
    return locked


@transaction.atomic
def practice_update(
    *, actor: User, practice: Practice, values: dict[str, Any], care_types: list[CareType]
) -> Practice:
    practice = _editable(actor, practice)
    _save(practice, _clean_values(values), care_types)
    audit_record(actor=actor, action="practices.updated", target=practice)
    return practice


@transaction.atomic
def practice_submit(*, actor: User, practice: Practice) -> Practice:
    """The CPTS sends its practice to regional review."""
    practice = _editable(actor, practice)
    _transition(actor, practice, Status.SUBMITTED)
    return practice


@transaction.atomic
def practice_propose(
    *,
    cpts: Cpts,
    values: dict[str, Any],
    care_types: list[CareType],
    client_ip: str | None,
    proposer_name: str = "",
    proposer_email: str = "",
) -> Practice:
    """A public proposal (no account): stored for regional review, never published
    as is. Raises TooManyProposals, with nothing stored, past the rate limit."""
    fingerprint = sender_fingerprint(client_ip)
    retry_after = _retry_after(fingerprint)
    if retry_after is not None:
        raise TooManyProposals(retry_after)
    practice = Practice(
        cpts=cpts,
        status=Status.SUBMITTED,
        proposer_name=proposer_name.strip(),
        proposer_email=proposer_email.strip(),
        sender_fingerprint=fingerprint,
    )
    _save(practice, _clean_values(values), care_types)
    audit_record(
        actor=None,
        action="practices.proposed",
        target=practice,
        details={"to": Status.SUBMITTED},
    )
    return practice


def _in_review(actor: User, practice: Practice) -> Practice:
    authorize(actor, PRACTICE_REVIEW, practice)
    locked = Practice.objects.select_for_update().get(pk=practice.pk)
    if locked.status != Status.SUBMITTED:
        raise ValidationError(
            f"Cette action est « {locked.get_status_display()} » : seule une action en "
            "relecture peut être publiée, renvoyée ou refusée."
        )
    return locked


@transaction.atomic
def practice_request_changes(*, actor: User, practice: Practice, comment: str) -> Practice:
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": "Dites à la CPTS ce qui doit être modifié."})
    practice = _in_review(actor, practice)
    practice.review_comment = comment
    _transition(actor, practice, Status.CHANGES_REQUESTED)
    return practice


@transaction.atomic
def practice_publish(*, actor: User, practice: Practice) -> Practice:
    practice = _in_review(actor, practice)
    practice.review_comment = ""
    practice.published_at = timezone.now()
    _transition(actor, practice, Status.PUBLISHED)
    return practice


@transaction.atomic
def practice_refuse(*, actor: User, practice: Practice, comment: str) -> Practice:
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": "Indiquez le motif du refus : il est conservé."})
    practice = _in_review(actor, practice)
    practice.review_comment = comment
    _transition(actor, practice, Status.REFUSED)
    return practice


@transaction.atomic
def radar_save(
    *, actor: User, practice: Practice, ratings: dict[str, Any], note: str = ""
) -> Practice:
    """Rate the five axes; a value off the scale refuses the whole questionnaire."""
    practice = _editable(actor, practice)
    cleaned = radar_data.clean_ratings(ratings)
    practice.radar = cleaned
    practice.radar_version = radar_data.definition().version
    practice.radar_note = (note or "").strip()
    practice.save(update_fields=["radar", "radar_version", "radar_note", "updated_at"])
    audit_record(
        actor=actor, action="practices.radar_rated", target=practice, details={"radar": cleaned}
    )
    return practice


@transaction.atomic
def document_add(
    *, actor: User, practice: Practice, kind: str, title: str, name: str, content: bytes
) -> Document:
    practice = _editable(actor, practice)
    checked = check_file(name=name, content=content)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": "Donnez un titre au document (par exemple « Flyer »)."})
    document = Document.objects.create(
        practice=practice,
        kind=kind,
        title=title,
        filename=checked.filename,
        content_type=checked.content_type,
        size=len(checked.content),
        content=checked.content,
    )
    audit_record(
        actor=actor,
        action="practices.document_added",
        target=practice,
        details={"document": document.pk, "content_type": checked.content_type},
    )
    return document
