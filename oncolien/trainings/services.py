"""Writes of the roster and of the calendar: each authorises, checks everything
before writing (a French error, nothing changed), writes atomically and audits."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from oncolien.accounts.authorization import authorize
from oncolien.accounts.models import Membership, User
from oncolien.audit.services import audit_record
from oncolien.territories.models import Cpts
from oncolien.trainings.access import (
    EVENT_CREATE,
    EVENT_CREATE_REGIONAL,
    EVENT_EDIT,
    ROSTER_EDIT,
)
from oncolien.trainings.models import Event, TrainedProfessional, Training, TrainingSession


def professional_add(
    *,
    actor: User,
    cpts: Cpts,
    user: User | None = None,
    last_name: str = "",
    first_name: str = "",
    profession: str = "",
    rpps: str = "",
) -> TrainedProfessional:
    """Add a professional to the CPTS's roster: a user of the CPTS (her name taken from
    the account) or a named professional without an account (RPPS optional)."""
    authorize(actor, ROSTER_EDIT, cpts)
    if user is not None:
        if not Membership.objects.filter(user=user, cpts=cpts).exists():
            raise ValidationError({"user": "Ce compte n'appartient pas à la CPTS."})
        last_name = last_name or user.last_name or user.get_username()
        first_name = first_name or user.first_name
        rpps = rpps or user.rpps
    professional = TrainedProfessional(
        cpts=cpts,
        user=user,
        last_name=last_name.strip(),
        first_name=first_name.strip(),
        profession=profession.strip() or "Infirmier·ère libéral·e",
        rpps=rpps.strip(),
    )
    duplicate = "Ce professionnel ou cette professionnelle est déjà dans la liste (même compte ou même RPPS)."
    if user is not None and TrainedProfessional.objects.filter(cpts=cpts, user=user).exists():
        raise ValidationError(duplicate)
    if (
        professional.rpps
        and TrainedProfessional.objects.filter(cpts=cpts, rpps=professional.rpps).exists()
    ):
        raise ValidationError(duplicate)
    professional.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            professional.save()
            audit_record(
                actor=actor,
                action="trainings.professional.create",
                target=professional,
                details={"cpts": cpts.pk, "user": user.pk if user else None},
            )
    except IntegrityError:
        raise ValidationError(duplicate) from None
    return professional


def professional_remove(*, actor: User, professional: TrainedProfessional) -> None:
    authorize(actor, ROSTER_EDIT, professional.cpts)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="trainings.professional.delete",
            target=professional,
            details={"cpts": professional.cpts_id},
        )
        professional.delete()


@dataclass(frozen=True)
class SessionValues:
    starts_at: datetime
    ends_at: datetime
    hours: Decimal | None = None


def _check_sessions(sessions: Sequence[SessionValues]) -> None:
    if not sessions:
        raise ValidationError({"sessions": "Indiquez au moins une séance (date, début et fin)."})
    for number, session in enumerate(sessions, start=1):
        if session.ends_at <= session.starts_at:
            raise ValidationError(
                {"sessions": f"Séance {number} : la fin doit être après le début."}
            )
        if session.hours is not None:
            span = Decimal(int((session.ends_at - session.starts_at).total_seconds())) / 3600
            if session.hours <= 0 or session.hours > span:
                raise ValidationError(
                    {
                        "sessions": f"Séance {number} : la durée effective doit être positive et "
                        "ne pas dépasser l'amplitude de la séance."
                    }
                )


def training_save(
    *,
    actor: User,
    cpts: Cpts,
    title: str,
    organiser: str,
    sessions: Sequence[SessionValues],
    participants: Iterable[TrainedProfessional] = (),
    place: str = "",
    remote: bool = False,
    description: str = "",
    training: Training | None = None,
) -> Training:
    """Record a training of the CPTS (or change `training`) with all its sessions."""
    authorize(actor, ROSTER_EDIT, cpts)
    if training is not None and training.cpts_id != cpts.pk:
        raise ValidationError("Cette formation n'appartient pas à cette CPTS.")
    people = list(participants)
    if any(p.cpts_id != cpts.pk for p in people):
        raise ValidationError({"participants": "Un·e participant·e n'est pas de cette CPTS."})
    _check_sessions(sessions)
    created = training is None
    training = training or Training(cpts=cpts)
    training.title, training.organiser = title.strip(), organiser.strip()
    training.place, training.remote, training.description = place.strip(), remote, description
    training.full_clean()
    with transaction.atomic():
        training.save()
        training.sessions.all().delete()
        TrainingSession.objects.bulk_create(
            [
                TrainingSession(
                    training=training, starts_at=s.starts_at, ends_at=s.ends_at, hours=s.hours
                )
                for s in sessions
            ]
        )
        training.participants.set(people)
        audit_record(
            actor=actor,
            action="trainings.training.create" if created else "trainings.training.update",
            target=training,
            details={"cpts": cpts.pk, "sessions": len(sessions), "participants": len(people)},
        )
    return training


def training_delete(*, actor: User, training: Training) -> None:
    authorize(actor, ROSTER_EDIT, training.cpts)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="trainings.training.delete",
            target=training,
            details={"cpts": training.cpts_id},
        )
        training.delete()


EVENT_FIELDS = (
    "kind",
    "title",
    "organiser",
    "starts_at",
    "ends_at",
    "place",
    "remote",
    "url",
    "description",
    "is_public",
)


def _check_event(event: Event) -> None:
    if event.starts_at and event.ends_at and event.ends_at <= event.starts_at:
        raise ValidationError({"ends_at": "La fin doit être après le début."})
    if not event.remote and not event.place.strip():
        raise ValidationError({"place": "Indiquez le lieu, ou cochez « en distanciel »."})
    event.full_clean()


def event_create(
    *, actor: User, cpts: Cpts | None = None, region_code: str = "", **values: object
) -> Event:
    """Announce an event of `cpts` (its coordination), or of the region `region_code`
    (regional staff)."""
    if cpts is not None:
        authorize(actor, EVENT_CREATE, cpts)
        region_code = ""
    else:
        authorize(actor, EVENT_CREATE_REGIONAL)
        if not region_code:
            raise ValidationError({"calendar": "Choisissez la CPTS ou la région de l'événement."})
    unknown = set(values) - set(EVENT_FIELDS)
    if unknown:
        raise ValidationError(f"Champ(s) inconnu(s) : {', '.join(sorted(unknown))}.")
    event = Event(cpts=cpts, region_code=region_code, created_by=actor, **values)
    _check_event(event)
    with transaction.atomic():
        event.save()
        audit_record(
            actor=actor,
            action="trainings.event.create",
            target=event,
            details={"cpts": cpts.pk if cpts else None, "region": region_code},
        )
    return event


def event_update(*, actor: User, event: Event, **values: object) -> Event:
    authorize(actor, EVENT_EDIT, event)
    unknown = set(values) - set(EVENT_FIELDS)
    if unknown:
        raise ValidationError(f"Champ(s) inconnu(s) : {', '.join(sorted(unknown))}.")
    for name, value in values.items():
        setattr(event, name, value)
    _check_event(event)
    with transaction.atomic():
        event.save()
        audit_record(
            actor=actor,
            action="trainings.event.update",
            target=event,
            details={"fields": sorted(values)},
        )
    return event


def event_delete(*, actor: User, event: Event) -> None:
    authorize(actor, EVENT_EDIT, event)
    with transaction.atomic():
        audit_record(actor=actor, action="trainings.event.delete", target=event)
        event.delete()
