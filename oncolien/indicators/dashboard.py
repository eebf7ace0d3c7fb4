"""A CPTS's indicators for a period, as the page and the exports show them:
each figure beside its definition, its numerator and its denominator."""

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from oncolien.territories.models import Cpts
from oncolien.web import charts

from . import periods
from .breakdowns import BREAKDOWNS, Row
from .definitions import Breakdown, Column, Definitions, Indicator, current
from .figures import COMPUTATIONS, Figure
from .periods import Period


@dataclass(frozen=True)
class Line:
    indicator: Indicator
    figure: Figure

    @property
    def value_text(self) -> str:
        """The figure as read aloud: « 35 sur 70 (50 %) », « 2 (90e centile : 4) »."""
        figure, unit = self.figure, self.indicator.unit
        if unit == "count":
            return number(figure.value)
        if unit == "proportion":
            if not figure.denominator:
                return "0 sur 0 (aucun cas sur la période)"
            return f"{number(figure.numerator)} sur {number(figure.denominator)} ({percent(figure.share)})"
        if figure.value is None:
            return "aucune donnée sur la période"
        suffix = {"minutes": " min", "hours": " h"}.get(unit, "")
        text = f"{number(figure.value)}{suffix}"
        if figure.p90 is not None:
            text += f" (90e centile : {number(figure.p90)}{suffix})"
        return text

    @property
    def basis_text(self) -> str:
        """What the figure stands on, for medians and means: « sur 7 visites de 3 patients »."""
        figure, indicator = self.figure, self.indicator
        if indicator.unit in ("count", "proportion"):
            return ""
        return (
            f"{number(figure.numerator)} {indicator.numerator} ; "
            f"{number(figure.denominator)} {indicator.denominator}"
        )


@dataclass(frozen=True)
class Cell:
    """One figure of a breakdown's row, with the column that says what it counts."""

    column: Column
    figure: Figure

    @property
    def text(self) -> str:
        """« 3 sur 4 (75 %) », « 2 h (90e centile : 30 h) — 3 sur 4 », « 90 € »."""
        figure, unit = self.figure, self.column.unit
        if unit == "count":
            return number(figure.value)
        if unit == "euros":
            return "—" if figure.value is None else f"{money(figure.value)}\u00a0€"
        if figure.denominator is None:
            return "—"  # the column does not apply to this row
        if unit == "proportion":
            if not figure.denominator:
                return "0 sur 0"
            return f"{number(figure.numerator)} sur {number(figure.denominator)} ({percent(figure.share)})"
        basis = f"{number(figure.numerator)} sur {number(figure.denominator)}"
        if figure.value is None:
            return f"aucune donnée ({basis})"
        if unit == "score":
            return f"{number(figure.value)} sur 10 — {basis} réponses"
        suffix = {"days": "\u00a0j", "hours": "\u00a0h"}[unit]
        text = f"{number(figure.value)}{suffix}"
        if figure.p90 is not None:
            text += f" (90e centile : {number(figure.p90)}{suffix})"
        return f"{text} — {basis}"


@dataclass(frozen=True)
class BreakdownRow:
    label: str
    cells: list[Cell]
    is_total: bool = False


@dataclass(frozen=True)
class BreakdownTable:
    """A breakdown as the page, the exports and the PDF report show it: its
    definition, its rows (each a label and one cell per column, in the order of
    `breakdown.columns`), and its chart (bars of one column) or None."""

    breakdown: Breakdown
    rows: list[BreakdownRow]
    chart: charts.Chart | None


@dataclass(frozen=True)
class Dashboard:
    cpts: Cpts
    period: Period
    definitions: Definitions
    lines: list[Line]
    breakdowns: list[BreakdownTable] = field(default_factory=list)


def number(value: float | int | None) -> str:
    """French writing: « 1 234 », « 2,5 »; one decimal at most."""
    if value is None:
        return "—"
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", "\u202f")
    return f"{value:,.1f}".replace(",", "\u202f").replace(".", ",")


def money(value: float) -> str:
    """Euros as French write them: « 1 234 », « 45,50 »."""
    if float(value).is_integer():
        return number(value)
    return f"{value:,.2f}".replace(",", "\u202f").replace(".", ",")


def percent(share: float | None) -> str:
    if share is None:
        return "—"
    return f"{round(share * 100):d} %".replace(" ", "\u202f")


def dashboard_for(cpts: Cpts, period: Period) -> Dashboard:
    definitions = current()
    lines = [
        Line(indicator, COMPUTATIONS[indicator.code](cpts, period))
        for indicator in definitions.indicators
    ]
    tables = [
        breakdown_table(breakdown, BREAKDOWNS[breakdown.code].compute(cpts, period))
        for breakdown in definitions.breakdowns
    ]
    return Dashboard(cpts, period, definitions, lines, tables)


def breakdown_table(breakdown: Breakdown, rows: list[Row]) -> BreakdownTable:
    shown = [
        BreakdownRow(
            row.label,
            [Cell(column, row.figures[column.code]) for column in breakdown.columns],
            row.is_total,
        )
        for row in rows
    ]
    return BreakdownTable(breakdown, shown, _chart(breakdown, rows))


def _chart(breakdown: Breakdown, rows: list[Row]) -> charts.Chart | None:
    """Bars of the chosen column, or None when there is nothing to draw (an empty
    chart would only repeat « aucune donnée »). A share is drawn in per cent, so
    that rows over different denominators compare; the table gives the counts."""
    if not breakdown.chart:
        return None
    column = next(c for c in breakdown.columns if c.code == breakdown.chart)
    drawn = [row for row in rows if not row.is_total]
    figures = [row.figures[column.code] for row in drawn]
    values: list[float | None]
    if column.unit == "proportion":
        name = f"{column.name} (%)"
        values = [None if f.share is None else float(round(f.share * 100)) for f in figures]
    else:
        name, values = column.name, [f.value for f in figures]
    if not any(values):
        return None
    labels = [row.label for row in drawn]
    # Long labels (care types, alert rules) read better on horizontal bars.
    horizontal = max(len(label) for label in labels) > 12
    return charts.bars(
        breakdown.name,
        labels,
        {name: values},
        horizontal=horizontal,
        height=max(240, 36 * len(labels)) if horizontal else 280,
    )


def default_period(today: date | None = None) -> Period:
    """The current month, Paris time."""
    return periods.month(today or timezone.localdate())


def period_choices(today: date | None = None) -> list[tuple[str, str]]:
    """The periods offered in the page's list: the last 12 months, the last 8
    quarters, the last 4 semesters and the last 3 years."""
    today = today or timezone.localdate()
    choices: list[tuple[str, str]] = []
    month = periods.month(today)
    for _ in range(12):
        choices.append((month.code, month.label))
        month = month.previous()
    quarter = periods.parse(f"{today.year}-T{(today.month - 1) // 3 + 1}")
    for _ in range(8):
        choices.append((quarter.code, quarter.label))
        quarter = quarter.previous()
    semester = periods.parse(f"{today.year}-S{1 if today.month <= 6 else 2}")
    for _ in range(4):
        choices.append((semester.code, semester.label))
        semester = semester.previous()
    for year in range(today.year, today.year - 3, -1):
        choices.append((str(year), f"année {year}"))
    return choices


EXPORT_HEADER = [
    "CPTS",
    "Période",
    "Code",
    "Indicateur",
    "Valeur",
    "Numérateur",
    "Dénominateur",
    "Part",
    "90e centile",
    "Unité",
    "Définition",
    "Ce que compte le numérateur",
    "Ce que compte le dénominateur",
    "Règle de période",
    "Source",
    "Repère de terrain",
    "Version des définitions",
]


def _cell(value: float | int | None) -> str:
    return "" if value is None else number(value).replace("\u202f", "")


def export_rows(board: Dashboard) -> list[list[str]]:
    rows = [EXPORT_HEADER]
    for line in board.lines:
        indicator, figure = line.indicator, line.figure
        rows.append(
            [
                board.cpts.name,
                board.period.label,
                indicator.code,
                indicator.name,
                _cell(figure.value),
                _cell(figure.numerator),
                _cell(figure.denominator),
                percent(figure.share) if indicator.unit == "proportion" else "",
                _cell(figure.p90),
                indicator.unit_label,
                indicator.definition,
                indicator.numerator,
                indicator.denominator,
                indicator.period_rule,
                indicator.source.title,
                indicator.field_note,
                board.definitions.version,
            ]
        )
    return rows


BREAKDOWN_HEADER = [
    "CPTS",
    "Période",
    "Code",
    "Répartition",
    "Ligne",
    "Colonne",
    "Valeur",
    "Numérateur",
    "Dénominateur",
    "Part",
    "90e centile",
    "Unité",
    "Ce que compte une ligne",
    "Ce que compte le numérateur",
    "Ce que compte le dénominateur",
    "Règle de période",
    "Source",
    "Version des définitions",
]


def breakdown_export_rows(board: Dashboard) -> list[list[str]]:
    """Every breakdown in one long table, one row per cell: the « Code » and
    « Répartition » columns say which breakdown a row belongs to."""
    rows = [BREAKDOWN_HEADER]
    for table in board.breakdowns:
        breakdown = table.breakdown
        for row in table.rows:
            for cell in row.cells:
                column, figure = cell.column, cell.figure
                rows.append(
                    [
                        board.cpts.name,
                        board.period.label,
                        breakdown.code,
                        breakdown.name,
                        row.label,
                        column.name,
                        _cell(figure.value),
                        _cell(figure.numerator),
                        _cell(figure.denominator),
                        percent(figure.share) if column.unit == "proportion" else "",
                        _cell(figure.p90),
                        column.unit_label,
                        breakdown.rows,
                        column.numerator,
                        column.denominator,
                        breakdown.period_rule,
                        breakdown.source.title,
                        board.definitions.version,
                    ]
                )
    return rows


def export_filename(board: Dashboard, extension: str) -> str:
    period = board.period.code.replace("..", "_au_")
    return f"indicateurs-{board.cpts.slug}-{period}.{extension}"
