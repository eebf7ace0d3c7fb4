"""Reads of the roster and of the calendar."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from oncolien.accounts.authorization import AnyUser, visible
from oncolien.territories.models import Cpts, Department
from oncolien.trainings.access import EVENT_VIEW
from oncolien.trainings.models import (
    Event,
    TrainedProfessional,
    Training,
    TrainingSession,
    hours_label,
)


def training_hours(training: Training) -> Decimal:
    """The training's total hours: the sum of its sessions' (3.5 + 3.5 + 7 = 14)."""
    return sum((s.duration_hours for s in training.sessions.all()), Decimal(0))


@dataclass(frozen=True)
class RosterLine:
    professional: TrainedProfessional
    trainings: list[Training]
    hours: Decimal

    @property
    def hours_label(self) -> str:
        return hours_label(self.hours)


@dataclass(frozen=True)
class Roster:
    cpts: Cpts
    lines: list[RosterLine]
    trainings: list[tuple[Training, str]]


def trainings_of(cpts: Cpts) -> QuerySet[Training]:
    return Training.objects.filter(cpts=cpts).prefetch_related(
        Prefetch("sessions", queryset=TrainingSession.objects.order_by("starts_at", "pk")),
        "participants",
    )


def roster_of(cpts: Cpts) -> Roster:
    """Every trained professional of the CPTS with her trainings and hours in all."""
    trainings = list(trainings_of(cpts))
    hours = {t.pk: training_hours(t) for t in trainings}
    by_professional: dict[int, list[Training]] = {}
    for training in trainings:
        for professional in training.participants.all():
            by_professional.setdefault(professional.pk, []).append(training)
    lines = [
        RosterLine(
            professional=p,
            trainings=by_professional.get(p.pk, []),
            hours=sum((hours[t.pk] for t in by_professional.get(p.pk, [])), Decimal(0)),
        )
        for p in TrainedProfessional.objects.filter(cpts=cpts).select_related("user")
    ]
    return Roster(
        cpts=cpts, lines=lines, trainings=[(t, hours_label(hours[t.pk])) for t in trainings]
    )


def region_of(cpts: Cpts) -> Department | None:
    """A department of the CPTS (the one of most of its communes), for its region."""
    commune = cpts.communes.select_related("department").order_by("department__code").first()
    return commune.department if commune is not None else None


def regions() -> list[tuple[str, str]]:
    """(code, name) of the regions that have communes of a CPTS."""
    return sorted(
        set(
            Department.objects.filter(communes__cpts_set__isnull=False).values_list(
                "region_code", "region_name"
            )
        ),
        key=lambda item: item[1],
    )


def upcoming(queryset: QuerySet[Event], now: datetime | None = None) -> QuerySet[Event]:
    """The events not yet over, soonest first."""
    return queryset.filter(ends_at__gte=now or timezone.now()).order_by("starts_at", "pk")


def public_events() -> QuerySet[Event]:
    return Event.objects.filter(is_public=True).select_related("cpts")


def events_for(user: AnyUser) -> QuerySet[Event]:
    """The public events and the private ones the user may see."""
    private = visible(user, EVENT_VIEW, Event.objects.all()).values("pk")
    return Event.objects.filter(Q(is_public=True) | Q(pk__in=private)).select_related("cpts")
