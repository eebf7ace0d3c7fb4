"""The breakdowns of the indicators: for one CPTS over one period, a table of rows
per category (care type, alert rule, age band…), each cell a `Figure` with its
numerator and denominator.

Each computation is named by the code of its breakdown in `data/indicators.json`
and declares the codes of its columns: definitions.py refuses a file whose
breakdown names no computation, or other columns than the computation gives.
Counts are SQL aggregates; three things are taken in Python over the period's
rows, the same on SQLite and PostgreSQL: the needs read from the assessments'
JSON results, the medians and 90th percentiles of durations, and ages.
"""

import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Min, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from oncolien.aftercare.models import ActKind, PostCancerProgramme, ProgrammeAct
from oncolien.assessments.models import Assessment, AssessmentStatus, NeedLevel
from oncolien.assessments.selectors import satisfaction_summary
from oncolien.directory.models import Service, ServiceStatus
from oncolien.outreach.selectors import campaign_counts_between
from oncolien.pathways import alerts as alert_rules
from oncolien.pathways import phases
from oncolien.pathways.ages import AGE_BANDS, age_band, age_on
from oncolien.pathways.models import (
    Alert,
    CancerSite,
    MonitoringRecord,
    Pathway,
    Sex,
    Treatment,
    TreatmentKind,
)
from oncolien.reference.models import CareType, Phase
from oncolien.referrals.models import ReferralEvent
from oncolien.referrals.statuses import ReferralStatus
from oncolien.territories.models import Cpts

from .figures import Figure, _percentile, _reached, _referrals, alerts_in, visits_in
from .periods import PARIS, Period


@dataclass(frozen=True)
class Row:
    """One category: its label and a figure per column code."""

    label: str
    figures: dict[str, Figure] = field(default_factory=dict)
    is_total: bool = False


@dataclass(frozen=True)
class Computation:
    compute: Callable[[Cpts, Period], list[Row]]
    columns: tuple[str, ...]


def _share(count: int, total: int) -> Figure:
    return Figure(count, numerator=count, denominator=total)


def _median(values: list[float], denominator: int, *, p90: bool) -> Figure:
    if not values:
        return Figure(None, numerator=0, denominator=denominator)
    return Figure(
        statistics.median(values),
        numerator=len(values),
        denominator=denominator,
        p90=_percentile(values, 0.9) if p90 else None,
    )


def _care_types() -> list[CareType]:
    return list(CareType.objects.filter(active=True).order_by("position", "name"))


# --- Needs found, referrals, directory: per care type -------------------------------


def needs_by_care_type(cpts: Cpts, period: Period) -> list[Row]:
    """Patients whose completed assessments of the period found a need for each care
    type, of those assessed on it (the results are JSON: read in Python)."""
    results = Assessment.objects.filter(
        pathway__cpts=cpts,
        status=AssessmentStatus.COMPLETED,
        completed_at__gte=period.starts_at,
        completed_at__lt=period.ends_before,
    ).values_list("pathway_id", "results")
    rated: dict[str, set[int]] = defaultdict(set)
    found: dict[str, set[int]] = defaultdict(set)
    priority: dict[str, set[int]] = defaultdict(set)
    for pathway_id, result in results:
        needs = result.get("needs", {}) if isinstance(result, dict) else {}
        for code, level in needs.items():
            rated[code].add(pathway_id)
            if level in (NeedLevel.TO_DISCUSS, NeedLevel.PRIORITY):
                found[code].add(pathway_id)
            if level == NeedLevel.PRIORITY:
                priority[code].add(pathway_id)
    return [
        Row(
            care_type.name,
            {
                "found": _share(len(found[care_type.code]), len(rated[care_type.code])),
                "priority": _share(len(priority[care_type.code]), len(rated[care_type.code])),
            },
        )
        for care_type in _care_types()
        if rated[care_type.code]
    ]


def _care_day(appointment_on: date | None, done_at) -> date | None:
    if appointment_on is not None:
        return appointment_on
    return timezone.localtime(done_at, PARIS).date() if done_at else None


def referrals_by_care_type(cpts: Cpts, period: Period) -> list[Row]:
    referrals = _referrals(cpts, period)
    sent, accepted = Q(_reached(ReferralStatus.SENT)), Q(_reached(ReferralStatus.ACCEPTED))
    counts = {
        row["care_type"]: row
        for row in referrals.values("care_type").annotate(
            total=Count("pk"),
            sent=Count("pk", filter=sent),
            accepted=Count("pk", filter=sent & accepted),
            done=Count("pk", filter=Q(status=ReferralStatus.DONE)),
            ended=Count(
                "pk", filter=Q(status__in=[ReferralStatus.DONE, ReferralStatus.NOT_HONOURED])
            ),
        )
    }
    # Days from the referral (its day, Paris time) to the care: the appointment's day,
    # else the day it was first marked done.
    first_done = ReferralEvent.objects.filter(
        referral=OuterRef("pk"), to_status=ReferralStatus.DONE
    ).values("referral")
    done = referrals.filter(status=ReferralStatus.DONE).annotate(
        done_at=Subquery(first_done.annotate(first=Min("at")).values("first")[:1])
    )
    days: dict[int, list[float]] = defaultdict(list)
    for care_type_id, created_at, appointment_on, done_at in done.values_list(
        "care_type", "created_at", "appointment_on", "done_at"
    ):
        care_day = _care_day(appointment_on, done_at)
        if care_day is not None:
            created_on = timezone.localtime(created_at, PARIS).date()
            days[care_type_id].append(float((care_day - created_on).days))
    rows = []
    for care_type in _care_types():
        if care_type.pk not in counts:
            continue
        row = counts[care_type.pk]
        rows.append(
            Row(
                care_type.name,
                {
                    "referrals": Figure(row["total"]),
                    "accepted": _share(row["accepted"], row["sent"]),
                    "honoured": _share(row["done"], row["ended"]),
                    "days_to_care": _median(days[care_type.pk], row["done"], p90=False),
                },
            )
        )
    return rows


def directory_by_care_type(cpts: Cpts, period: Period) -> list[Row]:
    active = Q(services__status=ServiceStatus.ACTIVE, services__organization__cpts=cpts)
    total = Service.objects.filter(organization__cpts=cpts, status=ServiceStatus.ACTIVE).count()
    per_care_type = CareType.objects.filter(active=True).annotate(
        offered=Count("services", filter=active, distinct=True)
    )
    return [
        Row(care_type.name, {"services": _share(care_type.offered, total)})
        for care_type in per_care_type.order_by("position", "name")
    ]


# --- Alerts and monitoring sheets, per rule ------------------------------------------


def alerts_by_rule(cpts: Cpts, period: Period) -> list[Row]:
    alerts = list(
        alerts_in(period)
        .filter(pathway__cpts=cpts)
        .values_list("rule", "raised_at", "acknowledged_at", "record_id")
    )
    sheets = MonitoringRecord.objects.filter(
        pathway__cpts=cpts, recorded_at__gte=period.starts_at, recorded_at__lt=period.ends_before
    )
    sheet_count = sheets.count()
    sheets_per_rule = dict(
        Alert.objects.filter(record__in=sheets)
        .values("rule")
        .annotate(sheets=Count("record", distinct=True))
        .values_list("rule", "sheets")
    )
    raised: Counter[str] = Counter(rule for rule, *_ in alerts)
    hours: dict[str, list[float]] = defaultdict(list)
    for rule, raised_at, acknowledged_at, _ in alerts:
        if acknowledged_at is not None:
            hours[rule].append((acknowledged_at - raised_at).total_seconds() / 3600)
    sheet_rules = {rule.code for rule in alert_rules.RULES}
    labels: dict[str, str] = {
        **{rule.code: rule.label for rule in alert_rules.RULES},
        **{rule.code: rule.label for rule in alert_rules.SCORE_RULES},
        **{rule.code: rule.label for rule in alert_rules.FINDING_RULES},
    }
    codes = [code for code in labels if code in raised or code in sheet_rules]
    codes += sorted(code for code in raised if code not in labels)
    return [
        Row(
            labels.get(code, code),
            {
                "alerts": _share(raised[code], len(alerts)),
                # Sheet rules only: an alert of an assessment comes from no sheet.
                "sheets": (
                    _share(sheets_per_rule.get(code, 0), sheet_count)
                    if code in sheet_rules
                    else Figure(None)
                ),
                "acknowledgement_hours": _median(hours[code], raised[code], p90=True),
            },
        )
        for code in codes
    ]


# --- Visits per patient ----------------------------------------------------------------

VISIT_BANDS = (
    ("1 visite", 1),
    ("2 visites", 2),
    ("3 visites", 3),
    ("4 visites", 4),
    ("5 visites", 5),
    ("6 visites et plus", 6),
)


def visits_distribution(cpts: Cpts, period: Period) -> list[Row]:
    per_pathway = (
        visits_in(period)
        .filter(pathway__cpts=cpts)
        .values("pathway")
        .annotate(visits=Count("pk"))
        .values_list("visits", flat=True)
    )
    bands = Counter(min(count, 6) for count in per_pathway)
    patients = sum(bands.values())
    return [
        Row(label, {"patients": _share(bands[number], patients)}) for label, number in VISIT_BANDS
    ]


# --- The post-cancer programme -----------------------------------------------------


def _programmes(cpts: Cpts, period: Period):
    return PostCancerProgramme.objects.filter(
        pathway__cpts=cpts,
        prescribed_on__gte=period.first_day,
        prescribed_on__lte=period.last_day,
    )


def _acts_figures(counts: dict) -> dict[str, Figure]:
    amount = counts["amount"] or Decimal(0)
    return {
        "acts_done": _share(counts["done"], counts["total"]),
        "amount": Figure(float(amount), numerator=counts["done"]),
    }


_ACT_COUNTS = {
    "total": Count("pk"),
    "done": Count("pk", filter=Q(done_on__isnull=False)),
    "amount": Sum("amount", filter=Q(done_on__isnull=False)),
}


def aftercare_by_structure(cpts: Cpts, period: Period) -> list[Row]:
    """Patients included (one programme each) per labelled structure, their acts
    prescribed and done, and the amounts of the acts done; the last row adds them up."""
    programmes = _programmes(cpts, period)
    included = dict(
        programmes.values("service").annotate(n=Count("pk")).values_list("service", "n")
    )
    total = sum(included.values())
    acts = ProgrammeAct.objects.filter(programme__in=programmes)
    per_structure = {
        row["programme__service"]: row
        for row in acts.values("programme__service").annotate(**_ACT_COUNTS)
    }
    empty = {"total": 0, "done": 0, "amount": None}
    rows = [
        Row(
            service.name,
            {
                "patients": _share(included[service.pk], total),
                **_acts_figures(per_structure.get(service.pk, empty)),
            },
        )
        for service in Service.objects.filter(pk__in=included).order_by("name")
    ]
    rows.append(
        Row(
            "Ensemble",
            {"patients": _share(total, total), **_acts_figures(acts.aggregate(**_ACT_COUNTS))},
            is_total=True,
        )
    )
    return rows


def aftercare_by_act(cpts: Cpts, period: Period) -> list[Row]:
    acts = ProgrammeAct.objects.filter(programme__in=_programmes(cpts, period))
    per_kind = {row["kind"]: row for row in acts.values("kind").annotate(**_ACT_COUNTS)}
    return [
        Row(str(label), _acts_figures(per_kind[code]))
        for code, label in ActKind.choices
        if code in per_kind
    ]


# --- The profile of the period's patients --------------------------------------------


def followed_in(period: Period):
    """Pathways included by the last day of the period and not closed before its first."""
    return Pathway.objects.filter(included_on__lte=period.last_day).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=period.first_day)
    )


def _patients(cpts: Cpts, period: Period):
    return followed_in(period).filter(cpts=cpts)


def _distribution(
    counts: dict[str, int], labels: Iterable[tuple[str, str]], total: int
) -> list[Row]:
    return [Row(label, {"patients": _share(counts.get(code, 0), total)}) for code, label in labels]


# No band is given by the field documents (the PACA evaluation shows « tranche d'âge »
# without its bounds): the usual ten-year bands, age on the last day of the period.
def profile_age(cpts: Cpts, period: Period) -> list[Row]:
    ages = [
        age_on(born, period.last_day)
        for born in _patients(cpts, period).values_list("patient__birth_date", flat=True)
    ]
    counts = Counter(age_band(age) for age in ages)
    return _distribution(counts, ((label, label) for *_, label in AGE_BANDS), len(ages))


def _counted(queryset, key: str) -> tuple[dict[str, int], int]:
    counts = dict(queryset.values(key).annotate(n=Count("pk")).values_list(key, "n"))
    return counts, sum(counts.values())


def profile_sex(cpts: Cpts, period: Period) -> list[Row]:
    counts, total = _counted(_patients(cpts, period), "patient__sex")
    return _distribution(counts, Sex.choices, total)


def profile_cancer_site(cpts: Cpts, period: Period) -> list[Row]:
    counts, total = _counted(_patients(cpts, period), "cancer_site")
    labels = [*CancerSite.choices, ("", "Non renseignée")]
    return [row for row in _distribution(counts, labels, total) if row.figures["patients"].value]


def profile_treatments(cpts: Cpts, period: Period) -> list[Row]:
    """Patients with each kind of treatment recorded: a patient may have several."""
    patients = _patients(cpts, period)
    total = patients.count()
    counts = dict(
        Treatment.objects.filter(pathway__in=patients)
        .values("kind")
        .annotate(n=Count("pathway", distinct=True))
        .values_list("kind", "n")
    )
    untreated = patients.exclude(treatments__isnull=False).count()
    labels = [*TreatmentKind.choices, ("none", "Aucun traitement renseigné")]
    return _distribution({**counts, "none": untreated}, labels, total)


def profile_phase(cpts: Cpts, period: Period) -> list[Row]:
    """The phase each pathway shows on the last day of the period (the pathways' rule)."""
    patients = phases.with_phase(_patients(cpts, period), today=period.last_day)
    counts, total = _counted(patients, "phase")
    return _distribution(counts, Phase.choices, total)


def profile_commune(cpts: Cpts, period: Period) -> list[Row]:
    counts, total = _counted(_patients(cpts, period), "patient__commune__name")
    ordered = sorted(counts, key=lambda name: (-counts[name], name))
    return _distribution(counts, ((name, name) for name in ordered), total)


# --- Satisfaction (questionnaires sent by the task queue, assessments app) ----------


def _surveys(cpts: Cpts, period: Period):
    # A questionnaire belongs to the period of its moment: the pathway's closing, or
    # the first anniversary of the post-cancer programme.
    return satisfaction_summary(cpts=cpts, start=period.first_day, end=period.last_day)


def satisfaction_sending(cpts: Cpts, period: Period) -> list[Row]:
    return [
        Row(
            survey.title,
            {
                "sent": _share(survey.sent, survey.due),
                "answered": _share(survey.answered, survey.sent),
                "reminders": Figure(survey.reminders),
                "not_sent": Figure(survey.not_sent),
            },
        )
        for survey in _surveys(cpts, period)
    ]


def satisfaction_answers(cpts: Cpts, period: Period) -> list[Row]:
    """A row per answer of each choice question (its share of those who answered the
    question), and per scale question (its mean); free text is never quoted."""
    rows = []
    not_applicable = Figure(None)
    for survey in _surveys(cpts, period):
        for question in survey.questions:
            asked = f"{survey.title} — {question.text}"
            if question.type.startswith("scale"):
                rows.append(
                    Row(
                        asked,
                        {
                            "answers": _share(question.answered, survey.answered),
                            "mean": Figure(
                                question.mean,
                                numerator=question.answered,
                                denominator=survey.answered,
                            ),
                        },
                    )
                )
                continue
            for answer in question.distribution:
                rows.append(
                    Row(
                        f"{asked} : {answer.label}",
                        {
                            "answers": _share(answer.count, question.answered),
                            "mean": not_applicable,
                        },
                    )
                )
    return rows


# --- Flyers and posters: what each QR campaign brought ------------------------------


def contact_requests_by_campaign(cpts: Cpts, period: Period) -> list[Row]:
    return [
        Row(
            counts.campaign.name,
            {
                "visits": Figure(counts.visits),
                "requests": Figure(counts.requests),
                "intakes": Figure(counts.intakes),
                "pathways": Figure(counts.pathways),
            },
        )
        for counts in campaign_counts_between(
            cpts=cpts,
            first_day=period.first_day,
            last_day=period.last_day,
            starts_at=period.starts_at,
            ends_before=period.ends_before,
        )
    ]


BREAKDOWNS: dict[str, Computation] = {
    "needs_by_care_type": Computation(needs_by_care_type, ("found", "priority")),
    "referrals_by_care_type": Computation(
        referrals_by_care_type, ("referrals", "accepted", "honoured", "days_to_care")
    ),
    "alerts_by_rule": Computation(alerts_by_rule, ("alerts", "sheets", "acknowledgement_hours")),
    "visits_distribution": Computation(visits_distribution, ("patients",)),
    "aftercare_by_structure": Computation(
        aftercare_by_structure, ("patients", "acts_done", "amount")
    ),
    "aftercare_by_act": Computation(aftercare_by_act, ("acts_done", "amount")),
    "directory_by_care_type": Computation(directory_by_care_type, ("services",)),
    "profile_age": Computation(profile_age, ("patients",)),
    "profile_sex": Computation(profile_sex, ("patients",)),
    "profile_cancer_site": Computation(profile_cancer_site, ("patients",)),
    "profile_treatments": Computation(profile_treatments, ("patients",)),
    "profile_phase": Computation(profile_phase, ("patients",)),
    "profile_commune": Computation(profile_commune, ("patients",)),
    "satisfaction_sending": Computation(
        satisfaction_sending, ("sent", "answered", "reminders", "not_sent")
    ),
    "satisfaction_answers": Computation(satisfaction_answers, ("answers", "mean")),
    "contact_requests_by_campaign": Computation(
        contact_requests_by_campaign, ("visits", "requests", "intakes", "pathways")
    ),
}
