"""What the ARS file publishes of each count: exact for the coordinator who sends it,
protected for regional staff (`ArsFile.protected`) by the rules of the regional
indicators (oncolien.disclosure: « < 5 », complementary suppression, rounding to 5).

Every count of the file is one key (row, measure) — row: the structure's index, or
TOTAL — and the relations a reader could use are all given to the solver:

- in a row, the file active is the sum of its age bands, of its sexes, of its cancer
  sites; each treatment kind, the new inclusions, the patients without an act and each
  questionnaire figure has a complement (« sans ce traitement », « déjà inclus », …)
  that a reader gets by subtraction: it is a count of its own;
- acts: a row's total is the sum of its kinds, the total row the sum of the structures;
- patients: the total row counts each patient once, so it is not the sum of the
  structures when a patient went to two of them: the sum of the structures is the
  total plus an overlap, a count a reader could compute too — both enter the solver.

Amounts would give their acts' count back (an act has a tariff): an amount is hidden
with its count, and otherwise rounded to 500 € (`AMOUNT_RULE`).
"""

import logging
from collections.abc import Hashable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from oncolien.disclosure import RULE, TOTAL, Relation, Shown, protect

from .ars_file import SATISFACTION_UNAVAILABLE, ArsFile, Share, StructureFigures, percent
from .extensions import ProgrammeSatisfaction
from .report_display import AMOUNT_RULE, published_amount

logger = logging.getLogger(__name__)

PROFILES = ("age_bands", "sexes", "cancer_sites")
SATISFACTION = ("due", "sent", "answered", "rated", "satisfied")
# (whole, part): the part's complement is a count a reader gets by subtraction.
SATISFACTION_NESTED = (("due", "sent"), ("sent", "answered"), ("rated", "satisfied"))

Row = Hashable  # a structure's index in ArsFile.structures, or TOTAL
Key = tuple[Hashable, Hashable]  # (row, measure), or ("sum" | "overlap", measure)


def rows(ars: ArsFile) -> Iterator[tuple[Row, StructureFigures]]:
    yield from enumerate(ars.structures)
    yield TOTAL, ars.total


def _row_counts(figures: StructureFigures) -> dict[Hashable, int]:
    counts: dict[Hashable, int] = {"file_active": figures.file_active}
    for name in PROFILES:
        shares: list[Share] = getattr(figures, name)
        for share in shares:
            counts[(name, share.label)] = share.count
        # Whatever no label holds (a value outside the lists): never shown, but the
        # relation needs it to hold.
        counts[(name, "rest")] = figures.file_active - sum(share.count for share in shares)
    for share in figures.treatments:
        counts[("treatments", share.label)] = share.count
        counts[("treatments", share.label, "without")] = figures.file_active - share.count
    for name in ("new_inclusions", "without_act"):
        share = getattr(figures, name)
        counts[name] = share.count
        counts[(name, "rest")] = figures.file_active - share.count
    for act in figures.acts:
        counts[("prescribed", act.kind)] = act.prescribed
        counts[("done", act.kind)] = act.done
    counts["prescribed"] = figures.acts_prescribed
    counts["done"] = figures.acts_done
    found = figures.satisfaction
    if found is not None:
        for name in SATISFACTION:
            counts[("satisfaction", name)] = getattr(found, name)
        for whole, part in SATISFACTION_NESTED:
            rest = getattr(found, whole) - getattr(found, part)
            if rest >= 0:
                counts[("satisfaction", whole, part)] = rest
    return counts


def _row_relations(row: Row, counts: dict[Key, int]) -> list[Relation]:
    measures = {measure for (key_row, measure) in counts if key_row == row}
    relations = []
    for name in PROFILES:
        parts = [m for m in measures if isinstance(m, tuple) and m[0] == name]
        relations.append(Relation((row, "file_active"), tuple((row, m) for m in sorted(parts))))
    for measure in measures:
        if isinstance(measure, tuple) and measure[0] == "treatments" and len(measure) == 2:
            relations.append(
                Relation((row, "file_active"), ((row, measure), (row, (*measure, "without"))))
            )
    for name in ("new_inclusions", "without_act"):
        relations.append(Relation((row, "file_active"), ((row, name), (row, (name, "rest")))))
    for name in ("prescribed", "done"):
        parts = sorted(m for m in measures if isinstance(m, tuple) and m[0] == name)
        relations.append(Relation((row, name), tuple((row, m) for m in parts)))
    for whole, part in SATISFACTION_NESTED:
        if (row, ("satisfaction", whole, part)) in counts:
            relations.append(
                Relation(
                    (row, ("satisfaction", whole)),
                    ((row, ("satisfaction", part)), (row, ("satisfaction", whole, part))),
                )
            )
    return relations


def _derived(measure: Hashable) -> bool:
    return isinstance(measure, tuple) and (
        measure[-1] in ("rest", "without") or (measure[0] == "satisfaction" and len(measure) == 3)
    )


def _is_act(measure: Hashable) -> bool:
    return measure in ("prescribed", "done") or (
        isinstance(measure, tuple) and measure[0] in ("prescribed", "done")
    )


def _across_rows(
    structures: list[Row], counts: dict[Key, int]
) -> tuple[dict[Key, int], list[Relation]]:
    """Relations between the structures and the total row, and the counts they add."""
    added: dict[Key, int] = {}
    relations: list[Relation] = []
    if not structures:
        return added, relations
    # Complements (« rest », « without », a questionnaire's difference) are sums of
    # the others in each row: relating them across rows would tell the solver nothing
    # more, and only make it slower.
    measures = {measure for (row, measure) in counts if row == TOTAL and not _derived(measure)}
    for measure in sorted(measures, key=repr):
        parts = tuple((row, measure) for row in structures if (row, measure) in counts)
        if len(parts) != len(structures):
            continue  # a figure some structures lack (no questionnaire): no relation
        whole = sum(counts[part] for part in parts)
        if _is_act(measure):
            relations.append(Relation((TOTAL, measure), parts))
            continue
        overlap = whole - counts[(TOTAL, measure)]
        if overlap < 0:
            # Never expected (each patient of the total is in one structure's row with
            # the same figures): the total is then hidden rather than trusted.
            logger.warning("ARS file: the total of %r exceeds its structures", measure)
            continue
        added[("sum", measure)] = whole
        added[("overlap", measure)] = overlap
        relations.append(Relation(("sum", measure), parts))
        relations.append(Relation(("sum", measure), ((TOTAL, measure), ("overlap", measure))))
    return added, relations


@dataclass(frozen=True)
class Published:
    """What the file shows of each count, and how it writes shares and amounts."""

    shown: dict[Hashable, Shown]
    protected: bool

    def cell(self, row: Row, measure: Hashable) -> Shown:
        return self.shown[(row, measure)]

    def count(self, row: Row, measure: Hashable) -> str:
        return self.cell(row, measure).text

    def share(self, row: Row, measure: Hashable, of: Hashable = "file_active") -> list[str]:
        """[count, denominator, percentage] as published."""
        count, total = self.cell(row, measure), self.cell(row, of)
        if count.value is None or total.value is None:
            return [count.text, total.text, "—"]
        return [count.text, total.text, percent(count.value, total.value)]

    def share_text(self, row: Row, measure: Hashable, of: Hashable = "file_active") -> str:
        count, total, share = self.share(row, measure, of)
        if total == "0":
            return "0 sur 0"
        return f"{count} sur {total} ({share})"

    def amount(self, row: Row, measure: Hashable, amount: Decimal) -> str:
        return published_amount(amount, self.cell(row, measure), protected=self.protected)[0]

    @property
    def rules(self) -> list[tuple[str, str]]:
        """The rules to state with the file (nothing for the exact file)."""
        return [("Petits effectifs", RULE), ("Montants", AMOUNT_RULE)] if self.protected else []


def satisfaction_published(pub: Published, row: Row, found: ProgrammeSatisfaction | None) -> str:
    """The one-year questionnaire's line of a row, from the published counts."""
    if found is None:
        return SATISFACTION_UNAVAILABLE
    if not found.due:
        return "aucun questionnaire à un an dû sur le semestre"

    def figure(name: str) -> str:
        return pub.count(row, ("satisfaction", name))

    def share(name: str, of: str) -> str:
        return pub.share_text(row, ("satisfaction", name), ("satisfaction", of))

    text = (
        f"questionnaires à un an : {figure('sent')} envoyé(s) sur {figure('due')} dû(s), "
        f"{share('answered', 'sent')} rempli(s)"
    )
    if found.rated:
        text += f" ; satisfaits (très ou plutôt) : {share('satisfied', 'rated')}"
    return text


def published(ars: ArsFile) -> Published:
    counts: dict[Key, int] = {}
    relations: list[Relation] = []
    for row, figures in rows(ars):
        row_counts = _row_counts(figures)
        counts |= {(row, measure): count for measure, count in row_counts.items()}
    if not ars.protected:
        return Published({key: Shown(str(count), count) for key, count in counts.items()}, False)
    for row, _ in rows(ars):
        relations += _row_relations(row, counts)
    added, across = _across_rows(list(range(len(ars.structures))), counts)
    every: dict[Hashable, int] = dict(counts.items())
    every.update(added.items())
    return Published(protect(every, relations + across), True)
