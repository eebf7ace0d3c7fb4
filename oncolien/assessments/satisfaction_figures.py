"""The satisfaction questionnaires' figures for the indicators: aggregates only.

Per questionnaire: how many moments were recorded, how many messages really left
(`sent`, the denominator of the answer rate), how many could not be sent and why,
how many still wait, how many were answered (of those sent), how many reminders left,
and per question the distribution of answers (and the mean of 0–10 scales). Free
text is counted, never quoted: it could name someone. No name, no pathway, no date
finer than the period asked leaves this module.
"""

from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date

from oncolien.aftercare.extensions import ProgrammeSatisfaction
from oncolien.assessments.models import (
    AssessmentStatus,
    InstrumentVersion,
    SatisfactionSurvey,
    SurveyMoment,
    SurveyOutcome,
)
from oncolien.assessments.surveys import survey_of
from oncolien.notifications.models import Outcome

YES_NO = {"yes": "Oui", "no": "Non"}
# Why a recorded moment gave no message, when the message itself failed.
DELIVERY_FAILED = "delivery_failed"
DELIVERY_NOT_SENT = "delivery_not_sent"


@dataclass(frozen=True)
class AnswerCount:
    value: str
    label: str
    count: int


@dataclass(frozen=True)
class QuestionFigures:
    id: str
    text: str
    type: str
    # Completed questionnaires that answered this question.
    answered: int
    # Every option (or scale step) in order, zeros included; empty for free text.
    distribution: list[AnswerCount] = field(default_factory=list)
    # Scale questions only (0–10), over those who answered; None when nobody did.
    mean: float | None = None


@dataclass(frozen=True)
class SurveyFigures:
    code: str
    title: str
    moment: str
    moment_label: str
    due: int  # moments recorded (sent or not)
    sent: int  # messages that left the server (Delivery « envoyé »)
    pending: int  # handed to the queue, not yet left (or waiting for a retry)
    not_sent: int  # nothing left: no channel, objection, or the message failed for good
    not_sent_reasons: dict[str, int]
    answered: int  # completed, of those sent
    reminders: int  # reminders that left the server
    questions: list[QuestionFigures]

    @property
    def answer_rate(self) -> float | None:
        """answered / sent, None when nothing was sent."""
        return self.answered / self.sent if self.sent else None


def satisfaction_summary(*, cpts, start: date, end: date) -> list[SurveyFigures]:
    """The figures of the moments of `cpts` dated from `start` to `end` (inclusive;
    a moment's date is the pathway's closing or the programme's first anniversary)."""
    rows = SatisfactionSurvey.objects.filter(pathway__cpts=cpts, due_on__range=(start, end))
    return _figures(rows)


def satisfaction_for_programmes(
    programme_ids: Iterable[int], *, start: date | None = None, end: date | None = None
) -> list[SurveyFigures]:
    """The figures of the moments of the pathways of these post-cancer programmes (e.g.
    those of one labelled structure, for the ARS file), optionally within a period."""
    rows = SatisfactionSurvey.objects.filter(pathway__post_cancer_programme__in=list(programme_ids))
    if start is not None:
        rows = rows.filter(due_on__gte=start)
    if end is not None:
        rows = rows.filter(due_on__lte=end)
    return _figures(rows)


def _instruments() -> list[InstrumentVersion]:
    """The latest version of each satisfaction questionnaire, in the order of moments."""
    latest: dict[str, InstrumentVersion] = {}
    for version in InstrumentVersion.objects.order_by("code", "-loaded_at", "-pk"):
        if survey_of(version.definition) is not None:
            latest.setdefault(version.code, version)
    order = SurveyMoment.values
    return sorted(latest.values(), key=lambda v: order.index(v.definition["survey"]["moment"]))


# What each moment's figures are read from (its questionnaire's code first).
_VALUES = (
    "instrument__code",
    "outcome",
    "reason",
    "delivery__outcome",
    "delivery__next_attempt_at",
    "reminder_delivery__outcome",
    "assessment__status",
    "assessment__answers",
)


def _figures(rows) -> list[SurveyFigures]:
    values = rows.values_list(*_VALUES)
    by_code: dict[str, list] = {}
    for row in values:
        by_code.setdefault(row[0], []).append(row[1:])
    return [_one(version, by_code.get(version.code, [])) for version in _instruments()]


def _one(version: InstrumentVersion, rows: list) -> SurveyFigures:
    sent = pending = answered = reminders = 0
    reasons: Counter[str] = Counter()
    completed: list[dict] = []
    for outcome, reason, delivered, retry_at, reminded, status, answers in rows:
        if outcome == SurveyOutcome.NOT_SENT:
            reasons[reason or "unknown"] += 1
        elif delivered == Outcome.SENT:
            sent += 1
            if status == AssessmentStatus.COMPLETED:
                answered += 1
                completed.append(answers or {})
        elif delivered == Outcome.PENDING or (delivered == Outcome.FAILED and retry_at):
            pending += 1
        elif delivered == Outcome.NOT_SENT:
            reasons[DELIVERY_NOT_SENT] += 1
        else:
            reasons[DELIVERY_FAILED] += 1
        if reminded == Outcome.SENT:
            reminders += 1
    definition = version.definition
    moment = SurveyMoment(definition["survey"]["moment"])
    return SurveyFigures(
        code=version.code,
        title=version.title,
        moment=moment.value,
        moment_label=moment.label,
        due=len(rows),
        sent=sent,
        pending=pending,
        not_sent=sum(reasons.values()),
        not_sent_reasons=dict(sorted(reasons.items())),
        answered=answered,
        reminders=reminders,
        questions=[_question(item, completed) for item in definition["items"]],
    )


def _question(item: dict, completed: list[dict]) -> QuestionFigures:
    kind = item["type"]
    given = [a[item["id"]] for a in completed if a.get(item["id"]) not in (None, "", [])]
    if kind == "text":
        return QuestionFigures(item["id"], item["text"], kind, len(given))
    counts: Counter = Counter()
    for value in given:
        counts.update(value if isinstance(value, list) else [value])
    if kind == "scale_0_10":
        steps: list[tuple[object, str]] = [(n, str(n)) for n in range(11)]
        numbers = [v for v in given if isinstance(v, int) and not isinstance(v, bool)]
        mean = round(sum(numbers) / len(numbers), 1) if numbers else None
    elif kind == "yes_no":
        steps, mean = list(YES_NO.items()), None
    else:
        steps, mean = [(o["value"], o["label"]) for o in item["options"]], None
    distribution = [AnswerCount(str(v), label, counts.get(v, 0)) for v, label in steps]
    return QuestionFigures(item["id"], item["text"], kind, len(given), distribution, mean)


SATISFIED = {"very", "rather"}


def programme_year_satisfaction(
    groups: dict[Hashable, list[int]], start: date, end: date
) -> dict[Hashable, ProgrammeSatisfaction] | None:
    """The one-year questionnaire's figures of each group of post-cancer programmes (the
    ARS file's structures), in one read; None when that questionnaire is not loaded.
    Registered in aftercare.extensions."""
    year = next(
        (
            v
            for v in _instruments()
            if v.definition["survey"]["moment"] == SurveyMoment.PROGRAMME_YEAR
        ),
        None,
    )
    if year is None:
        return None
    programme_ids = {pk for ids in groups.values() for pk in ids}
    rows = SatisfactionSurvey.objects.filter(
        instrument__code=year.code,
        pathway__post_cancer_programme__in=programme_ids,
        due_on__range=(start, end),
    ).values_list("pathway__post_cancer_programme", *_VALUES[1:])
    by_programme: dict[int, list] = {}
    for row in rows:
        by_programme.setdefault(row[0], []).append(row[1:])
    found = {}
    for key, ids in groups.items():
        figures = _one(year, [row for pk in ids for row in by_programme.get(pk, [])])
        overall = next((q for q in figures.questions if q.id == "overall"), None)
        found[key] = ProgrammeSatisfaction(
            due=figures.due,
            sent=figures.sent,
            answered=figures.answered,
            satisfied=sum(a.count for a in overall.distribution if a.value in SATISFIED)
            if overall
            else 0,
            rated=overall.answered if overall else 0,
        )
    return found
