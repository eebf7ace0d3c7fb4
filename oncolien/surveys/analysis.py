"""A survey's results per question, with the three denominators always explicit.

For each question the analysis counts, in one pass over the submitted responses:

- « l'ensemble des répondants »: every submitted response counted (after filters);
- « ceux à qui la question a été posée »: those `conditions.shown_questions` says
  were shown it — the same function as the answering page, so that the page a
  respondent saw and the denominator cannot disagree;
- « ceux qui ont répondu »: those who were shown it and answered it.

Responses of several versions are analysed per question code: a question's label is
the one of the latest version that has it, its choices the union of every version's
(the versions counted are stated). An answer to a question its respondent was not
shown (left over after a change of an earlier answer) is not counted.

This module computes (`SurveyData`, `summaries`); `summary_tables.py` writes the
figures as tables of « 6 sur 19 (32 %) », exact or protected.
"""

import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from oncolien.surveys.conditions import OTHER, YES_NO, shown_questions
from oncolien.surveys.models import (
    CptsRegisterEntry,
    Response,
    ResponseStatus,
    Survey,
    SurveyVersion,
)

CHOICE_KINDS = ("single", "yes_no")
COUNTED_KINDS = ("single", "yes_no", "multiple")
OTHER_LABEL = "Autre"
KIND_LABELS = {
    "single": "choix unique",
    "multiple": "choix multiple",
    "yes_no": "oui / non / ne sait pas",
    "scale": "échelle",
    "number": "nombre",
    "text": "texte libre",
    "grid": "grille",
}


@dataclass(frozen=True)
class Question:
    """A question as analysed across versions."""

    code: str
    kind: str
    label: str
    section: str
    choices: tuple[tuple[str, str], ...] = ()
    other: bool = False
    items: tuple[tuple[str, str], ...] = ()
    scale: Mapping[str, Any] | None = None
    number: Mapping[str, Any] | None = None
    versions: tuple[int, ...] = ()

    @property
    def options(self) -> tuple[tuple[str, str], ...]:
        """The answers counted one by one: the choices (and « Autre »), or oui/non/nsp."""
        if self.kind == "yes_no":
            return YES_NO
        if self.other:
            return (*self.choices, (OTHER, OTHER_LABEL))
        return self.choices

    def option_label(self, code: str) -> str:
        return dict(self.options).get(code, code)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


def _merge_pairs(older: Sequence[tuple[str, str]], newer: Sequence[Mapping[str, str]]):
    merged = {entry["code"]: entry["label"] for entry in newer}
    for code, label in older:
        merged.setdefault(code, label)
    return tuple(merged.items())


def merged_questions(versions: Sequence[SurveyVersion]) -> list[Question]:
    """Every question of `versions` (oldest first), in the latest version's order, then
    those only earlier versions had; labels from the latest version having each."""
    found: dict[str, Question] = {}
    order: list[str] = []
    for version in sorted(versions, key=lambda v: v.number):
        version_order = []
        for section in version.definition.get("sections", []):
            for raw in section.get("questions", []):
                code = raw["code"]
                previous = found.get(code)
                found[code] = Question(
                    code=code,
                    kind=raw["kind"],
                    label=raw.get("label", code),
                    section=section.get("title", ""),
                    choices=_merge_pairs(
                        previous.choices if previous else (), raw.get("choices") or []
                    ),
                    other=bool(raw.get("other")) or bool(previous and previous.other),
                    items=_merge_pairs(previous.items if previous else (), raw.get("items") or []),
                    scale=raw.get("scale"),
                    number=raw.get("number"),
                    versions=(*(previous.versions if previous else ()), version.number),
                )
                version_order.append(code)
        # The latest version's order first; a question it dropped keeps its place after.
        order = version_order + [code for code in order if code not in version_order]
    return [found[code] for code in order]


@dataclass
class Respondent:
    """One submitted response, as the analysis reads it."""

    id: int
    version_id: int
    answers: dict[str, Any]
    other_texts: dict[str, str]
    entry_id: int | None
    group: str
    submitted_at: datetime | None
    shown: set[str] = field(default_factory=set)


@dataclass
class SurveyData:
    """What every table of a survey is computed from: its questions and its respondents."""

    survey: Survey
    versions: dict[int, SurveyVersion]
    questions: list[Question]
    respondents: list[Respondent]
    entries: dict[int, CptsRegisterEntry]

    @property
    def by_code(self) -> dict[str, Question]:
        return {question.code: question for question in self.questions}

    def question(self, code: str) -> Question | None:
        return self.by_code.get(code)

    @property
    def version_numbers(self) -> list[int]:
        return sorted({self.versions[r.version_id].number for r in self.respondents})

    @property
    def first_submitted(self) -> date | None:
        moments = [r.submitted_at for r in self.respondents if r.submitted_at]
        return min(moments).date() if moments else None

    @property
    def last_submitted(self) -> date | None:
        moments = [r.submitted_at for r in self.respondents if r.submitted_at]
        return max(moments).date() if moments else None


def survey_data(survey: Survey) -> SurveyData:
    """The survey's submitted responses (answers read as stored, one JSON per response)
    and the questions of every version, each response's shown questions computed once."""
    versions = {version.pk: version for version in survey.versions.all()}
    rows = (
        Response.objects.filter(survey=survey, status=ResponseStatus.SUBMITTED)
        .order_by("pk")
        .values_list(
            "pk", "version_id", "answers", "other_texts", "entry_id", "group", "submitted_at"
        )
    )
    definitions = {pk: version.definition for pk, version in versions.items()}
    respondents = [
        Respondent(
            pk,
            version_id,
            answers or {},
            other_texts or {},
            entry_id,
            group,
            submitted_at,
            shown_questions(definitions[version_id], answers or {}),
        )
        for pk, version_id, answers, other_texts, entry_id, group, submitted_at in rows
    ]
    entry_ids = {r.entry_id for r in respondents if r.entry_id}
    entries = {entry.pk: entry for entry in CptsRegisterEntry.objects.filter(pk__in=entry_ids)}
    counted = {r.version_id for r in respondents}
    return SurveyData(
        survey,
        versions,
        merged_questions(
            [v for pk, v in versions.items() if pk in counted] or list(versions.values())
        ),
        respondents,
        entries,
    )


# --- Accumulators: one per question, fed in a single pass -------------------------------


class _Counter:
    """single, yes_no and multiple: how many chose each option."""

    def __init__(self) -> None:
        self.shown = 0
        self.answered = 0
        self.counts: dict[str, int] = {}

    def add(self, value: Any) -> None:
        counts = self.counts
        if type(value) is list:
            if not value:
                return
            for code in set(value):
                counts[code] = counts.get(code, 0) + 1
        elif type(value) is dict:
            return  # a grid's shape under a code that became a choice: not countable
        else:
            counts[value] = counts.get(value, 0) + 1
        self.answered += 1


class _Grid:
    def __init__(self) -> None:
        self.shown = 0
        self.answered = 0
        self.items: dict[str, dict[str, int]] = {}
        self.item_answered: dict[str, int] = {}

    def add(self, value: Any) -> None:
        if not isinstance(value, dict) or not value:
            return
        self.answered += 1
        for item, choice in value.items():
            self.item_answered[item] = self.item_answered.get(item, 0) + 1
            counts = self.items.setdefault(item, {})
            counts[choice] = counts.get(choice, 0) + 1


class _Values:
    def __init__(self) -> None:
        self.shown = 0
        self.values: list[float] = []

    @property
    def answered(self) -> int:
        return len(self.values)

    def add(self, value: Any) -> None:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            self.values.append(value)


class _Texts:
    def __init__(self) -> None:
        self.shown = 0
        self.answered = 0

    def add(self, value: Any) -> None:
        if isinstance(value, str) and value.strip():
            self.answered += 1


Accumulator = _Counter | _Grid | _Values | _Texts
ACCUMULATORS: dict[str, type[Accumulator]] = {
    "single": _Counter,
    "yes_no": _Counter,
    "multiple": _Counter,
    "grid": _Grid,
    "scale": _Values,
    "number": _Values,
    "text": _Texts,
}


# --- Summaries --------------------------------------------------------------------------


@dataclass(frozen=True)
class Denominators:
    everyone: int  # every respondent counted
    shown: int  # those to whom the question was shown
    answered: int  # those shown it who answered it

    @property
    def not_shown(self) -> int:
        return self.everyone - self.shown

    @property
    def no_answer(self) -> int:
        return self.shown - self.answered


@dataclass(frozen=True)
class OptionCount:
    code: str
    label: str
    count: int


@dataclass(frozen=True)
class ItemCounts:
    code: str
    label: str
    answered: int
    options: tuple[OptionCount, ...]


@dataclass(frozen=True)
class Statistics:
    n: int
    mean: float | None
    median: float | None
    minimum: float | None
    maximum: float | None
    distribution: tuple[OptionCount, ...]


@dataclass(frozen=True)
class QuestionSummary:
    question: Question
    denominators: Denominators
    options: tuple[OptionCount, ...] = ()  # single, yes_no, multiple
    items: tuple[ItemCounts, ...] = ()  # grid
    statistics: Statistics | None = None  # scale, number


def _number_label(value: float) -> str:
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.1f}".replace(".", ",")


def _distribution(question: Question, values: list[float]) -> tuple[OptionCount, ...]:
    """A scale: one count per point of the scale. A number: each value when there are
    few distinct ones, else five bands of equal width between the least and the most."""
    if question.kind == "scale" and question.scale:
        low, high = int(question.scale.get("min", 0)), int(question.scale.get("max", 0))
        if high - low <= 20:
            counts = dict.fromkeys(range(low, high + 1), 0)
            for value in values:
                counts[int(value)] = counts.get(int(value), 0) + 1
            return tuple(OptionCount(str(p), str(p), c) for p, c in sorted(counts.items()))
    distinct = sorted(set(values))
    if len(distinct) <= 10:
        return tuple(
            OptionCount(_number_label(v), _number_label(v), values.count(v)) for v in distinct
        )
    least, most = distinct[0], distinct[-1]
    width = (most - least) / 5
    bands = []
    for index in range(5):
        start = least + index * width
        end = most if index == 4 else least + (index + 1) * width
        inside = sum(
            1 for v in values if start <= v < end or (index == 4 and v == most and v >= start)
        )
        label = (
            f"de {_number_label(start)} à {'moins de ' if index < 4 else ''}{_number_label(end)}"
        )
        bands.append(OptionCount(f"band{index}", label, inside))
    return tuple(bands)


def _statistics(question: Question, values: list[float]) -> Statistics:
    if not values:
        return Statistics(0, None, None, None, None, _distribution(question, values))
    return Statistics(
        n=len(values),
        mean=statistics.fmean(values),
        median=statistics.median(values),
        minimum=min(values),
        maximum=max(values),
        distribution=_distribution(question, values),
    )


def _options_of(question: Question, counts: Mapping[str, int]) -> tuple[OptionCount, ...]:
    known = [OptionCount(code, label, counts.get(code, 0)) for code, label in question.options]
    # An answer no version lists any more (an imported code): still counted, under its code.
    listed = {code for code, _ in question.options}
    extra = [OptionCount(code, code, count) for code, count in counts.items() if code not in listed]
    return tuple(known + sorted(extra, key=lambda o: o.code))


def summaries(
    questions: Sequence[Question], respondents: Iterable[Respondent]
) -> list[QuestionSummary]:
    """Every question's summary, in one pass over the respondents."""
    accumulators: dict[str, Accumulator] = {
        q.code: ACCUMULATORS[q.kind]() for q in questions if q.kind in ACCUMULATORS
    }
    adders = {code: accumulator.add for code, accumulator in accumulators.items()}
    shown_counts: Counter[str] = Counter()
    count_shown = shown_counts.update  # counted in C, the loop's hot spot
    everyone = 0
    for respondent in respondents:
        everyone += 1
        shown = respondent.shown
        count_shown(shown)
        # Only the questions shown count: an answer left over to a hidden one does not.
        for code, value in respondent.answers.items():
            if code in shown:
                add = adders.get(code)
                if add is not None:
                    add(value)
    for code, counted in accumulators.items():
        counted.shown = shown_counts[code]
    result = []
    for question in questions:
        accumulator = accumulators.get(question.code)
        if accumulator is None:
            continue
        denominators = Denominators(everyone, accumulator.shown, accumulator.answered)
        if isinstance(accumulator, _Counter):
            result.append(
                QuestionSummary(question, denominators, _options_of(question, accumulator.counts))
            )
        elif isinstance(accumulator, _Grid):
            items = tuple(
                ItemCounts(
                    code,
                    label,
                    accumulator.item_answered.get(code, 0),
                    _options_of(question, accumulator.items.get(code, {})),
                )
                for code, label in question.items
            )
            result.append(QuestionSummary(question, denominators, items=items))
        elif isinstance(accumulator, _Values):
            result.append(
                QuestionSummary(
                    question, denominators, statistics=_statistics(question, accumulator.values)
                )
            )
        else:
            result.append(QuestionSummary(question, denominators))
    return result
