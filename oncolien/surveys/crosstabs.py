"""Cross-tabulations of a question by the respondent's CPTS (size class, department,
maturity since the ACI), by the respondent's group, or by another question.

A cross-tab counts the respondents to whom the question was shown; each column's
denominators are explicit (those of the column who answered; those of the column to
whom it was shown, for « Non répondu »). A response without a CPTS is counted in a
column « CPTS non renseignée ». Maturity is the number of full years between the ACI
signature and the survey's opening date (or, for a survey without one, the response's
date), banded: < 1 an, 1–2 ans, 3–4 ans, 5 ans et plus.
"""

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import date

from oncolien.disclosure import RULE, TOTAL, Relation
from oncolien.surveys.analysis import Question, Respondent, SurveyData
from oncolien.surveys.models import RespondentGroup, SizeClass
from oncolien.surveys.summary_tables import MULTIPLE_NOTE, WITHHELD_NOTE, Figures, Table

CROSSABLE = ("single", "yes_no", "multiple")
COLUMN_KINDS = ("single", "yes_no")
NO_CPTS = "CPTS non renseignée"
NO_ANSWER_ROW = "no_answer"
ANSWERED_ROW = "answered"
DIMENSIONS = {
    "taille": "Taille de la CPTS",
    "departement": "Département",
    "maturite": "Ancienneté depuis la signature de l'ACI",
    "maturite-barometre": "Ancienneté de l'ACI (tranches du Baromètre 2024)",
    "groupe": "Groupe du répondant",
}
OPTIONAL_COLUMNS = ("unknown", "not_shown", "no_answer", "")
BANDS = (("lt1", "< 1 an"), ("1-2", "1–2 ans"), ("3-4", "3–4 ans"), ("5+", "5 ans et plus"))


class InvalidCrosstab(ValueError):
    """A cross-tab asked of a question or a dimension that cannot be crossed."""


@dataclass(frozen=True)
class Dimension:
    code: str
    title: str
    columns: tuple[tuple[str, str], ...]
    column_of: Callable[[Respondent], str]
    note: str = ""


def full_years(start: date, end: date) -> int:
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def band_of(years: int) -> str:
    if years < 1:
        return "lt1"
    if years <= 2:
        return "1-2"
    if years <= 4:
        return "3-4"
    return "5+"


def dimension(data: SurveyData, code: str) -> Dimension:
    entries = data.entries
    if code == "taille":

        def size(r: Respondent) -> str:
            entry = entries.get(r.entry_id) if r.entry_id else None
            if entry is None:
                return "none"
            return str(entry.size_class) if entry.size_class else "unknown"

        columns = [(str(value), f"Taille {value}") for value in SizeClass.values]
        return Dimension(
            code,
            DIMENSIONS[code],
            (*columns, ("unknown", "Taille inconnue"), ("none", NO_CPTS)),
            size,
        )
    if code == "departement":
        departments = sorted({entry.department for entry in entries.values()})

        def department(r: Respondent) -> str:
            entry = entries.get(r.entry_id) if r.entry_id else None
            return entry.department if entry else "none"

        columns = [(d, d) for d in departments]
        return Dimension(code, DIMENSIONS[code], (*columns, ("none", NO_CPTS)), department)
    if code == "maturite":
        opening = data.survey.opens_on

        def maturity(r: Respondent) -> str:
            entry = entries.get(r.entry_id) if r.entry_id else None
            if entry is None:
                return "none"
            if entry.aci_signed_on is None:
                return "unknown"
            on = opening or (r.submitted_at.date() if r.submitted_at else None)
            if on is None:
                return "unknown"
            return band_of(full_years(entry.aci_signed_on, on))

        reference = (
            f"à l'ouverture de l'enquête ({opening:%d/%m/%Y})"
            if opening
            else "à la date de chaque réponse (l'enquête n'a pas de date d'ouverture)"
        )
        return Dimension(
            code,
            DIMENSIONS[code],
            (*BANDS, ("unknown", "Date de l'ACI inconnue"), ("none", NO_CPTS)),
            maturity,
            f"Ancienneté : années pleines depuis la signature de l'ACI, {reference}.",
        )
    if code == "maturite-barometre":
        return _barometer_maturity(data, code)
    if code == "groupe":
        columns = [(value, label) for value, label in RespondentGroup.choices]
        return Dimension(
            code,
            DIMENSIONS[code],
            (*columns, ("", "Groupe non renseigné")),
            lambda r: r.group or "",
        )
    if code.startswith("question:"):
        other = data.question(code.removeprefix("question:"))
        if other is None or other.kind not in COLUMN_KINDS:
            raise InvalidCrosstab("Croisement impossible : choisissez une question à choix unique.")

        asked: Question = other

        def answer(r: Respondent, other: Question = asked) -> str:
            if other.code not in r.shown:
                return "not_shown"
            value = r.answers.get(other.code)
            return str(value) if value is not None else "no_answer"

        return Dimension(
            code,
            other.label,
            (
                *other.options,
                ("no_answer", "Non répondu"),
                ("not_shown", "Question non posée"),
            ),
            answer,
        )
    raise InvalidCrosstab("Croisement inconnu.")


def _barometer_maturity(data: SurveyData, code: str) -> Dimension:
    """The Baromètre 2024's own bands: the ACI signed in the survey's year, less than
    two full years before its opening, two years or more."""
    entries = data.entries
    opening = data.survey.opens_on

    def band(r: Respondent) -> str:
        entry = entries.get(r.entry_id) if r.entry_id else None
        if entry is None:
            return "none"
        on = opening or (r.submitted_at.date() if r.submitted_at else None)
        if entry.aci_signed_on is None or on is None:
            return "unknown"
        if entry.aci_signed_on.year == on.year:
            return "same-year"
        return "lt2" if full_years(entry.aci_signed_on, on) < 2 else "2+"

    year = f"en {opening.year}" if opening else "l'année de la réponse"
    reference = (
        f"à l'ouverture de l'enquête ({opening:%d/%m/%Y})"
        if opening
        else "à la date de chaque réponse (l'enquête n'a pas de date d'ouverture)"
    )
    return Dimension(
        code,
        DIMENSIONS[code],
        (
            ("same-year", f"ACI signée {year}"),
            ("lt2", "Moins de deux ans"),
            ("2+", "Deux ans ou plus"),
            ("unknown", "Date de l'ACI inconnue"),
            ("none", NO_CPTS),
        ),
        band,
        f"Ancienneté : années pleines depuis la signature de l'ACI, {reference} ; "
        "une ACI signée l'année de l'enquête est comptée à part, comme dans le Baromètre.",
    )


def dimension_choices(data: SurveyData) -> list[tuple[str, str]]:
    offered = list(DIMENSIONS.items())
    offered += [
        (f"question:{q.code}", f"Réponse à « {q.label} »")
        for q in data.questions
        if q.kind in COLUMN_KINDS
    ]
    return offered


@dataclass(frozen=True)
class Crosstab:
    question: Question
    dimension: Dimension
    rows: tuple[tuple[str, str], ...]  # the options, then « Non répondu »
    counts: dict[Hashable, int]
    relations: list[Relation]

    @property
    def multiple(self) -> bool:
        return self.question.kind == "multiple"


def crosstab(
    data: SurveyData, respondents: Sequence[Respondent], question_code: str, dimension_code: str
) -> Crosstab:
    question = data.question(question_code)
    if question is None or question.kind not in CROSSABLE:
        raise InvalidCrosstab(
            "Croisement impossible : choisissez une question à choix unique, à choix "
            "multiple ou oui / non."
        )
    dim = dimension(data, dimension_code)
    if dim.code == f"question:{question.code}":
        raise InvalidCrosstab("Croisement impossible : une question avec elle-même.")
    options = list(question.options)
    columns = [key for key, _ in dim.columns]
    option_codes = [code for code, _ in options]
    counts: dict[Hashable, int] = {}
    for row in [*option_codes, NO_ANSWER_ROW, ANSWERED_ROW]:
        for column in [*columns, TOTAL]:
            counts[(row, column)] = 0
            if question.kind == "multiple" and row in option_codes:
                counts[(("not", row), column)] = 0
    for column in [*columns, TOTAL]:
        counts[(TOTAL, column)] = 0
    for respondent in respondents:
        if question.code not in respondent.shown:
            continue
        column = dim.column_of(respondent)
        if column not in columns:
            continue
        value = respondent.answers.get(question.code)
        chosen = value if isinstance(value, list) else [] if value is None else [value]
        chosen = [c for c in chosen if c in option_codes]
        for key in (column, TOTAL):
            counts[(TOTAL, key)] += 1
            if not chosen:
                counts[(NO_ANSWER_ROW, key)] += 1
                continue
            counts[(ANSWERED_ROW, key)] += 1
            for code in set(chosen):
                counts[(code, key)] += 1
    # A column of nobody among the optional ones (« Taille inconnue »…) says nothing.
    kept = [c for c in columns if c not in OPTIONAL_COLUMNS or counts[(TOTAL, c)]]
    counts = {
        key: n
        for key, n in counts.items()
        if isinstance(key, tuple) and (key[1] in kept or key[1] == TOTAL)
    }
    columns = kept
    relations: list[Relation] = []
    all_columns = [*columns, TOTAL]
    for column in all_columns:
        relations.append(
            Relation((TOTAL, column), ((ANSWERED_ROW, column), (NO_ANSWER_ROW, column)))
        )
        if question.kind == "multiple":
            for code in option_codes:
                counts[(("not", code), column)] = (
                    counts[(ANSWERED_ROW, column)] - counts[(code, column)]
                )
                relations.append(
                    Relation((ANSWERED_ROW, column), ((code, column), (("not", code), column)))
                )
        else:
            relations.append(
                Relation((ANSWERED_ROW, column), tuple((code, column) for code in option_codes))
            )
    rows_summed: list[Hashable] = [*option_codes, NO_ANSWER_ROW, ANSWERED_ROW, TOTAL]
    if question.kind == "multiple":
        rows_summed += [("not", code) for code in option_codes]
    for summed in rows_summed:
        relations.append(Relation((summed, TOTAL), tuple((summed, column) for column in columns)))
    dim = Dimension(
        dim.code, dim.title, tuple(c for c in dim.columns if c[0] in kept), dim.column_of, dim.note
    )
    return Crosstab(question, dim, (*options, (NO_ANSWER_ROW, "Non répondu")), counts, relations)


def crosstab_table(tab: Crosstab, *, protected: bool = False) -> Table:
    """The cross-tab as a table: each cell « n sur N (p %) », N the column's respondents
    who answered (or to whom it was shown, for « Non répondu »)."""
    figures = Figures(tab.counts, tab.relations, protected=protected)
    columns = [*tab.dimension.columns, (TOTAL, "Ensemble")]
    header = [tab.question.label, *(label for _, label in columns)]
    rows = []
    for code, label in tab.rows:
        of = TOTAL if code == NO_ANSWER_ROW else ANSWERED_ROW
        rows.append([label, *(figures.share((code, key), (of, key)) for key, _ in columns)])
    rows.append(
        ["Ont répondu (dénominateur des réponses)"]
        + [figures.text((ANSWERED_ROW, key)) for key, _ in columns]
    )
    rows.append(
        ["Question posée (dénominateur de « Non répondu »)"]
        + [figures.text((TOTAL, key)) for key, _ in columns]
    )
    notes = [
        "Répondants à qui la question a été posée, par colonne. Dans chaque cellule, "
        "l'effectif sur ceux de la colonne qui ont répondu (sur ceux à qui elle a été "
        "posée pour « Non répondu »)."
    ]
    if tab.dimension.note:
        notes.append(tab.dimension.note)
    if tab.multiple:
        notes.append(MULTIPLE_NOTE)
    if protected:
        if figures.withheld:
            notes.append(WITHHELD_NOTE)
        notes.append(RULE)
    return Table(
        f"{tab.question.label} selon : {tab.dimension.title}", header, rows, notes, total_rows=2
    )
