"""Filters on answers (« seulement ceux qui connaissent les SOS »), combinable.

A filter keeps the respondents whose answer to a question is one of the chosen values
(for a multiple choice: who ticked any of them). Several filters on different
questions all apply (and). In a query string each is `filtre=<code>:<value>`, repeated;
values of the same question are alternatives (or). Every table, export and PDF states
the filters above it in French (`Filters.statement`), with the number kept out of all.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from oncolien.surveys.analysis import Question, Respondent, SurveyData

FILTERABLE = ("single", "yes_no", "multiple", "scale")
PARAMETER = "filtre"


class InvalidFilter(ValueError):
    """A filter that names no question or no answer of the survey (message in French)."""


@dataclass(frozen=True)
class Filter:
    question: Question
    values: tuple[str, ...]

    def keeps(self, respondent: Respondent) -> bool:
        if self.question.code not in respondent.shown:
            return False
        value = respondent.answers.get(self.question.code)
        if isinstance(value, list):
            return any(str(v) in self.values for v in value)
        return value is not None and str(value) in self.values

    @property
    def text(self) -> str:
        labels = [self._label(value) for value in self.values]
        return f"{self.question.label} = {' ou '.join(labels)}"

    def _label(self, value: str) -> str:
        if self.question.kind == "scale":
            return value
        return self.question.option_label(value)


@dataclass(frozen=True)
class Filters:
    filters: tuple[Filter, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.filters)

    def apply(self, respondents: Iterable[Respondent]) -> list[Respondent]:
        return [r for r in respondents if all(f.keeps(r) for f in self.filters)]

    @property
    def parameters(self) -> list[tuple[str, str]]:
        return [(PARAMETER, f"{f.question.code}:{v}") for f in self.filters for v in f.values]

    def statement(self, kept: int, everyone: int) -> str:
        """« Filtre : Connaissez-vous les SOS ? = Oui — 19 répondants sur 32 »."""
        if not self.filters:
            return f"Aucun filtre — {_respondents(everyone)}"
        word = "Filtre" if len(self.filters) == 1 else "Filtres"
        conditions = " ; ".join(f.text for f in self.filters)
        return f"{word} : {conditions} — {_respondents(kept)} sur {everyone}"

    def as_options(self) -> list[list[str]]:
        return [[f.question.code, *f.values] for f in self.filters]


def _respondents(count: int) -> str:
    return f"{count} répondant{'s' if count > 1 else ''}"


def _values_of(question: Question) -> list[str]:
    if question.kind == "scale" and question.scale:
        return [str(v) for v in range(int(question.scale["min"]), int(question.scale["max"]) + 1)]
    return [code for code, _ in question.options]


def parse(data: SurveyData, raw: Sequence[str]) -> Filters:
    """Filters from `filtre=<code>:<value>` strings (InvalidFilter for one that names no
    question or answer of the survey)."""
    by_code = data.by_code
    chosen: dict[str, list[str]] = {}
    for text in raw:
        code, _, value = text.partition(":")
        question = by_code.get(code)
        if question is None or question.kind not in FILTERABLE:
            raise InvalidFilter(f"Filtre inconnu : la question « {code} » ne peut pas filtrer.")
        if value not in _values_of(question):
            raise InvalidFilter(
                f"Filtre inconnu : « {value} » n'est pas une réponse de « {question.label} »."
            )
        values = chosen.setdefault(code, [])
        if value not in values:
            values.append(value)
    return Filters(tuple(Filter(by_code[code], tuple(values)) for code, values in chosen.items()))


def from_options(data: SurveyData, options: Sequence[Sequence[str]]) -> Filters:
    """The filters kept on a PDF request (`Filters.as_options`)."""
    return parse(data, [f"{code}:{value}" for code, *values in options for value in values])


def choices(data: SurveyData) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """What the filter form offers: (code, label, [(value, label)]) per question."""
    offered = []
    for question in data.questions:
        if question.kind not in FILTERABLE:
            continue
        if question.kind == "scale":
            values = [(v, v) for v in _values_of(question)]
        else:
            values = list(question.options)
        offered.append((question.code, question.label, values))
    return offered
