"""The programme report as it is shown and exported: exact for the coordinator of the
structure, protected for regional staff (`report.protected_for`) by the rules of the
regional indicators (oncolien.disclosure).

Relations a reader could use: the patients included are those with an act done and
those without; each kind's prescribed acts are those done and those not; the totals are
the sums of the kinds. An amount follows its count: hidden with it, otherwise rounded
to 500 € (an amount divided by the tariff would give the count back).
"""

from dataclasses import dataclass
from decimal import Decimal

from oncolien.disclosure import RULE, Relation, Shown, protect

from .report import ProgrammeReport

AMOUNT_BASE = 500
AMOUNT_RULE = (
    "Montants : masqués avec l'effectif de leurs actes, sinon arrondis à 500 € près "
    "(un montant redonnerait le nombre d'actes)."
)


@dataclass(frozen=True)
class ShownRow:
    label: str
    prescribed: str
    done: str
    amount: str  # « 45,00 », « 1 000 », or the mark of a hidden count
    amount_is_figure: bool  # whether « € » follows


@dataclass(frozen=True)
class ShownReport:
    report: ProgrammeReport
    included: str
    started: str
    rows: list[ShownRow]
    total: ShownRow
    rules: tuple[str, ...]


def published_amount(amount: Decimal, count: Shown, *, protected: bool) -> tuple[str, bool]:
    if not protected:
        return f"{amount:.2f}".replace(".", ","), True
    if count.value is None:
        return count.text, False
    rounded = int((amount + AMOUNT_BASE // 2) // AMOUNT_BASE * AMOUNT_BASE)
    return f"{rounded:,}".replace(",", "\u202f"), True


def _counts(report: ProgrammeReport) -> tuple[dict, list[Relation]]:
    counts: dict = {
        "included": report.patients_included,
        "started": report.patients_started,
        "not_started": report.patients_included - report.patients_started,
        "prescribed": report.prescribed,
        "done": report.done,
    }
    relations = [Relation("included", ("started", "not_started"))]
    for row in report.rows:
        counts[("prescribed", row.kind)] = row.prescribed
        counts[("done", row.kind)] = row.done
        counts[("not_done", row.kind)] = row.prescribed - row.done
        relations.append(
            Relation(("prescribed", row.kind), (("done", row.kind), ("not_done", row.kind)))
        )
    for name in ("prescribed", "done"):
        relations.append(Relation(name, tuple((name, row.kind) for row in report.rows)))
    return counts, relations


def shown_report(report: ProgrammeReport, *, protected: bool) -> ShownReport:
    counts, relations = _counts(report)
    if protected:
        shown = protect(counts, relations)
    else:
        shown = {key: Shown(str(count), count) for key, count in counts.items()}

    def row(label: str, prescribed, done, amount: Decimal) -> ShownRow:
        text, is_figure = published_amount(amount, shown[done], protected=protected)
        return ShownRow(label, shown[prescribed].text, shown[done].text, text, is_figure)

    return ShownReport(
        report=report,
        included=shown["included"].text,
        started=shown["started"].text,
        rows=[
            row(r.label, ("prescribed", r.kind), ("done", r.kind), r.amount) for r in report.rows
        ],
        total=row("Total", "prescribed", "done", report.amount),
        rules=(RULE, AMOUNT_RULE) if protected else (),
    )
