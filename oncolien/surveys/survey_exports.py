"""Exports of a survey for the regional team, through `oncolien.tables` (formula
protection): the responses (one row per response, one column per question code, a
multiple choice as one column per option `code__choice`, a grid as `code__item`), and
the tables (every question's summary, and a cross-tab), with the filters stated.

Only the regional team exports: the responses hold free text, never shared.
"""

from oncolien.surveys.analysis import Question, Respondent, SurveyData, summaries
from oncolien.surveys.conditions import OTHER
from oncolien.surveys.crosstabs import Crosstab, crosstab_table
from oncolien.surveys.filters import Filters
from oncolien.surveys.models import RespondentGroup
from oncolien.surveys.summary_tables import Table, present
from oncolien.tables import csv_bytes, xlsx_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
NOT_SHOWN = "(non posée)"
GROUPS = dict(RespondentGroup.choices)


def _columns(question: Question) -> list[str]:
    if question.kind == "multiple":
        columns = [f"{question.code}__{code}" for code, _ in question.options]
        if question.other:
            columns.append(f"{question.code}__{OTHER}_precision")
        return columns
    if question.kind == "grid":
        return [f"{question.code}__{code}" for code, _ in question.items]
    if question.other:
        return [question.code, f"{question.code}__{OTHER}_precision"]
    return [question.code]


def _cells(question: Question, respondent: Respondent) -> list[str]:
    shown = question.code in respondent.shown
    value = respondent.answers.get(question.code) if shown else None
    width = len(_columns(question))
    if not shown:
        return [NOT_SHOWN] * width
    if question.kind == "multiple":
        chosen = value if isinstance(value, list) else []
        cells = [("1" if code in chosen else "0") if chosen else "" for code, _ in question.options]
        if question.other:
            cells.append(respondent.other_texts.get(question.code, "") if OTHER in chosen else "")
        return cells
    if question.kind == "grid":
        grid = value if isinstance(value, dict) else {}
        return [str(grid.get(code, "")) for code, _ in question.items]
    text = (
        ""
        if value is None
        else str(value).replace(".", ",")
        if question.kind == "number"
        else str(value)
    )
    if question.other:
        other = respondent.other_texts.get(question.code, "") if value == OTHER else ""
        return [text, other]
    return [text]


def response_rows(data: SurveyData, respondents: list[Respondent]) -> list[list[str]]:
    header = ["reponse", "version", "cpts", "departement", "taille", "groupe", "envoyee_le"]
    for question in data.questions:
        header += _columns(question)
    rows = [header]
    for respondent in respondents:
        entry = data.entries.get(respondent.entry_id) if respondent.entry_id else None
        row = [
            str(respondent.id),
            str(data.versions[respondent.version_id].number),
            entry.name if entry else "",
            entry.department if entry else "",
            str(entry.size_class or "") if entry else "",
            GROUPS.get(respondent.group, ""),
            f"{respondent.submitted_at:%Y-%m-%d}" if respondent.submitted_at else "",
        ]
        for question in data.questions:
            row += _cells(question, respondent)
        rows.append(row)
    return rows


def _table_rows(table: Table) -> list[list[str]]:
    return [[table.title], table.header, *table.rows, *([note] for note in table.notes), []]


def summary_rows(
    data: SurveyData, respondents: list[Respondent], filters: Filters
) -> list[list[str]]:
    rows = [
        [data.survey.title],
        [filters.statement(len(respondents), len(data.respondents))],
        [f"Versions comptées : {', '.join(str(n) for n in data.version_numbers) or 'aucune'}"],
        [],
    ]
    for summary in summaries(data.questions, respondents):
        presented = present(summary)
        rows.append([f"{summary.question.code} — {presented.denominators}"])
        for table in presented.tables:
            rows += _table_rows(table)
    return rows


def crosstab_rows(tab: Crosstab, filters: Filters, kept: int, everyone: int) -> list[list[str]]:
    return [[filters.statement(kept, everyone)], [], *_table_rows(crosstab_table(tab))]


def as_csv(rows: list[list[str]]) -> bytes:
    return csv_bytes(rows)


def as_xlsx(sheets: list[tuple[str, list[list[str]]]]) -> bytes:
    return xlsx_bytes(sheets)
