"""The figures of the indicators, computed for one CPTS over one period.

Each computation is named by the code of its indicator in `data/indicators.json`
(see definitions.py, which refuses a file naming an indicator nothing computes,
or leaving out one that is computed). Counts are read by the database; the
medians and 90th percentiles are taken in Python from the durations read, so
that SQLite and PostgreSQL give the same figures to the minute.
"""

import math
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q

from oncolien.aftercare.models import ProgrammeAct
from oncolien.directory.models import Contribution, ContributionStatus, Service, ServiceStatus
from oncolien.pathways.models import (
    Alert,
    IntakeCall,
    IntakeOutcome,
    Pathway,
    StatusChange,
    Visit,
    VisitKind,
)
from oncolien.pathways.statuses import PathwayStatus
from oncolien.referrals.models import Referral, ReferralEvent
from oncolien.referrals.statuses import ReferralStatus
from oncolien.territories.models import Cpts

from .periods import Period
from .planner import likely


@dataclass(frozen=True)
class Figure:
    """One indicator's figure: a count, or a numerator over its denominator, or a
    median (with its 90th percentile) of `denominator` values."""

    value: float | None
    numerator: int | None = None
    denominator: int | None = None
    p90: float | None = None

    @property
    def share(self) -> float | None:
        if self.numerator is None or not self.denominator:
            return None
        return self.numerator / self.denominator


def _percentile(values: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile: a value that was observed, never interpolated."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def _median_and_p90(values: Sequence[float], denominator: int) -> Figure:
    if not values:
        return Figure(None, numerator=0, denominator=denominator)
    return Figure(
        statistics.median(values),
        numerator=len(values),
        denominator=denominator,
        p90=_percentile(values, 0.9),
    )


# The rows each indicator reads for a period, for every CPTS: the dashboard narrows
# them to one CPTS, the regional view (regional.py) counts them per CPTS.


def calls_in(period: Period):
    return IntakeCall.objects.filter(
        called_at__gte=period.starts_at, called_at__lt=period.ends_before
    )


def opened_in(period: Period):
    return Pathway.objects.filter(
        first_contact_on__gte=period.first_day, first_contact_on__lte=period.last_day
    )


def caseload_on(period: Period):
    """Pathways included and not closed on the last day of the period."""
    return Pathway.objects.filter(included_on__lte=period.last_day).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=period.last_day)
    )


def visits_in(period: Period):
    return Visit.objects.filter(
        occurred_at__gte=period.starts_at, occurred_at__lt=period.ends_before
    )


def alerts_in(period: Period):
    # The bounds are hinted (planner.py): same rows, a plan that scales on SQLite.
    return Alert.objects.filter(
        *likely(raised_at__gte=period.starts_at, raised_at__lt=period.ends_before)
    )


INCLUDED_CALL = Q(outcome=IntakeOutcome.INCLUDED)
# A pathway that was ever moved to « Suivi », whether or not it is closed since.
EVER_FOLLOWED = Q(
    Exists(StatusChange.objects.filter(pathway=OuterRef("pk"), to_status=PathwayStatus.FOLLOWED))
)
ESCALATED = Q(escalated_at__isnull=False)


def intake_inclusion(cpts: Cpts, period: Period) -> Figure:
    calls = (
        calls_in(period)
        .filter(cpts=cpts)
        .aggregate(total=Count("pk"), included=Count("pk", filter=INCLUDED_CALL))
    )
    return Figure(calls["included"], numerator=calls["included"], denominator=calls["total"])


def pathways_followed(cpts: Cpts, period: Period) -> Figure:
    opened = (
        opened_in(period)
        .filter(cpts=cpts)
        .aggregate(total=Count("pk"), followed=Count("pk", filter=EVER_FOLLOWED))
    )
    return Figure(opened["followed"], numerator=opened["followed"], denominator=opened["total"])


def active_caseload(cpts: Cpts, period: Period) -> Figure:
    return Figure(caseload_on(period).filter(cpts=cpts).count())


def visits_per_patient(cpts: Cpts, period: Period) -> Figure:
    per_pathway = (
        visits_in(period)
        .filter(pathway__cpts=cpts)
        .values("pathway")
        .annotate(visits=Count("pk"))
        .values_list("visits", flat=True)
    )
    counts = sorted(per_pathway)
    if not counts:
        return Figure(None, numerator=0, denominator=0)
    return Figure(
        statistics.median(counts),
        numerator=sum(counts),
        denominator=len(counts),
        p90=_percentile(counts, 0.9),
    )


def home_visit_duration(cpts: Cpts, period: Period) -> Figure:
    visits = visits_in(period).filter(pathway__cpts=cpts, kind=VisitKind.HOME)
    durations = [
        minutes
        for minutes in visits.filter(duration_minutes__isnull=False).values_list(
            "duration_minutes", flat=True
        )
        if minutes is not None
    ]
    # The mean, as the field counts it (« 1 h, durée moyenne d'une consultation à domicile »).
    return Figure(
        statistics.fmean(durations) if durations else None,
        numerator=len(durations),
        denominator=visits.count(),
    )


def _alerts(cpts: Cpts, period: Period):
    return alerts_in(period).filter(pathway__cpts=cpts)


def alert_acknowledgement_hours(cpts: Cpts, period: Period) -> Figure:
    alerts = _alerts(cpts, period)
    pairs = alerts.filter(acknowledged_at__isnull=False).values_list("raised_at", "acknowledged_at")
    hours = [(acknowledged - raised).total_seconds() / 3600 for raised, acknowledged in pairs]
    return _median_and_p90(hours, alerts.count())


def alert_escalation(cpts: Cpts, period: Period) -> Figure:
    counts = _alerts(cpts, period).aggregate(
        total=Count("pk"), escalated=Count("pk", filter=ESCALATED)
    )
    return Figure(counts["escalated"], numerator=counts["escalated"], denominator=counts["total"])


def _referrals(cpts: Cpts, period: Period):
    return Referral.objects.filter(
        pathway__cpts=cpts, created_at__gte=period.starts_at, created_at__lt=period.ends_before
    )


def _reached(status: str):
    return Exists(ReferralEvent.objects.filter(referral=OuterRef("pk"), to_status=status))


def referrals_accepted(cpts: Cpts, period: Period) -> Figure:
    counts = _referrals(cpts, period).aggregate(
        sent=Count("pk", filter=Q(_reached(ReferralStatus.SENT))),
        accepted=Count(
            "pk", filter=Q(_reached(ReferralStatus.SENT)) & Q(_reached(ReferralStatus.ACCEPTED))
        ),
    )
    return Figure(counts["accepted"], numerator=counts["accepted"], denominator=counts["sent"])


def referrals_honoured(cpts: Cpts, period: Period) -> Figure:
    counts = _referrals(cpts, period).aggregate(
        done=Count("pk", filter=Q(status=ReferralStatus.DONE)),
        ended=Count("pk", filter=Q(status__in=[ReferralStatus.DONE, ReferralStatus.NOT_HONOURED])),
    )
    return Figure(counts["done"], numerator=counts["done"], denominator=counts["ended"])


def directory_verified(cpts: Cpts, period: Period) -> Figure:
    # Verified within the year before the last day of the period (as « à vérifier » says).
    since = period.last_day.replace(year=period.last_day.year - 1)
    counts = Service.objects.filter(organization__cpts=cpts, status=ServiceStatus.ACTIVE).aggregate(
        total=Count("pk"),
        verified=Count(
            "pk", filter=Q(last_verified_on__gt=since, last_verified_on__lte=period.last_day)
        ),
    )
    return Figure(counts["verified"], numerator=counts["verified"], denominator=counts["total"])


def aftercare_acts_done(cpts: Cpts, period: Period) -> Figure:
    counts = ProgrammeAct.objects.filter(
        programme__pathway__cpts=cpts,
        programme__prescribed_on__gte=period.first_day,
        programme__prescribed_on__lte=period.last_day,
    ).aggregate(total=Count("pk"), done=Count("pk", filter=Q(done_on__isnull=False)))
    return Figure(counts["done"], numerator=counts["done"], denominator=counts["total"])


def contributions_accepted(cpts: Cpts, period: Period) -> Figure:
    counts = Contribution.objects.filter(
        cpts=cpts, decided_at__gte=period.starts_at, decided_at__lt=period.ends_before
    ).aggregate(
        decided=Count("pk", filter=~Q(status=ContributionStatus.PENDING)),
        accepted=Count("pk", filter=Q(status=ContributionStatus.ACCEPTED)),
    )
    return Figure(counts["accepted"], numerator=counts["accepted"], denominator=counts["decided"])


COMPUTATIONS: dict[str, Callable[[Cpts, Period], Figure]] = {
    "intake_inclusion": intake_inclusion,
    "pathways_followed": pathways_followed,
    "active_caseload": active_caseload,
    "visits_per_patient": visits_per_patient,
    "home_visit_duration": home_visit_duration,
    "alert_acknowledgement_hours": alert_acknowledgement_hours,
    "alert_escalation": alert_escalation,
    "referrals_accepted": referrals_accepted,
    "referrals_honoured": referrals_honoured,
    "directory_verified": directory_verified,
    "aftercare_acts_done": aftercare_acts_done,
    "contributions_accepted": contributions_accepted,
}
