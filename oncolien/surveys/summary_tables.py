"""A question's figures as tables: every percentage beside its « n sur N », the
denominator of each column named, exact for the regional team or protected when the
results are shared beyond it (`oncolien.disclosure`: « < 5 », complementary
suppression, rounding; percentages only from published counts).

The same tables feed the page, the exports and the PDF, so that they never disagree.
"""

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field

from oncolien.disclosure import RULE, Relation, Shown, protect
from oncolien.surveys.analysis import QuestionSummary, Respondent, Statistics
from oncolien.surveys.page_protection import PageFigures
from oncolien.web import charts

NBSP = "\u202f"
EVERYONE_HEADER = "Parmi l'ensemble des répondants"
SHOWN_HEADER = "Parmi ceux à qui la question a été posée"
ANSWERED_HEADER = "Parmi ceux qui ont répondu"
MULTIPLE_NOTE = (
    "Plusieurs réponses possibles : les parts s'additionnent à plus de 100 %, "
    "chaque répondant pouvant cocher plusieurs options."
)
WITHHELD_CELL = "non publié"
WITHHELD_NOTE = (
    "Trop peu de répondants pour publier ce tableau sans qu'un petit effectif puisse "
    "être retrouvé : aucun chiffre n'en est publié."
)
SHARED_NOTE = (
    "Résultats partagés au-delà de l'équipe régionale : petits effectifs protégés, "
    "réponses libres non diffusées."
)


def percent(count: int, of: int) -> str:
    """Half up, as a reader rounds: 6 of 19 is 32 %."""
    return f"{(200 * count + of) // (2 * of)}{NBSP}%"


def number(value: float | None) -> str:
    if value is None:
        return "—"
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.1f}".replace(".", ",")


class Figures:
    """Counts and what a reader may see of them: exact, or protected as one set (the
    relations « total = sum of parts » between them given)."""

    def __init__(
        self,
        counts: Mapping[Hashable, int],
        relations: Sequence[Relation],
        *,
        protected: bool,
        published: Mapping[Hashable, Shown] | None = None,
    ) -> None:
        self.counts = dict(counts)
        self.relations = list(relations)
        self.protected = protected
        # `published`: what the page's protection (page_protection.py) publishes of
        # these counts; otherwise the table is protected alone.
        self.shown: dict[Hashable, Shown] = (
            {}
            if not protected
            else dict(published)
            if published is not None
            else protect(self.counts, relations)
        )
        # When nothing shown is left to hide around the small counts, `protect` hides
        # every count; the marks « < 5 » would still bound them (four cells « < 5 »
        # under a total « < 5 » are each 1), so such a table publishes no figure at all.
        self.withheld = protected and all(s.value is None for s in self.shown.values())

    def value(self, key: Hashable) -> int | None:
        """The published count (rounded when protected), None when hidden."""
        if not self.protected:
            return self.counts[key]
        return self.shown[key].value

    def text(self, key: Hashable) -> str:
        if not self.protected:
            return str(self.counts[key])
        if self.withheld:
            return WITHHELD_CELL
        return self.shown[key].text

    def share(self, key: Hashable, of: Hashable) -> str:
        """« 6 sur 19 (32 %) »; the percentage only when both counts are published."""
        count, denominator = self.value(key), self.value(of)
        basis = f"{self.text(key)} sur {self.text(of)}"
        if count is None or denominator is None or denominator == 0:
            return basis
        return f"{basis} ({percent(count, denominator)})"


@dataclass(frozen=True)
class Table:
    title: str
    header: list[str]
    rows: list[list[str]]
    notes: list[str] = field(default_factory=list)
    # The rows of totals, printed bold.
    total_rows: int = 0


@dataclass(frozen=True)
class PresentedQuestion:
    summary: QuestionSummary
    denominators: str  # the three denominators in one sentence
    tables: list[Table]
    chart: charts.Chart | None
    notes: list[str]
    # The counts behind the tables and what is published of them.
    figures: Figures | None = None

    @property
    def question(self):
        return self.summary.question


EVERYONE, SHOWN, NOT_SHOWN, ANSWERED, NO_ANSWER = (
    "everyone",
    "shown",
    "not_shown",
    "answered",
    "no_answer",
)


def _base(summary: QuestionSummary, prefix: tuple = ()) -> tuple[dict, list[Relation]]:
    d = summary.denominators
    counts = {
        EVERYONE: d.everyone,
        SHOWN: d.shown,
        NOT_SHOWN: d.not_shown,
        ANSWERED: d.answered,
        NO_ANSWER: d.no_answer,
    }
    relations = [
        Relation(EVERYONE, (SHOWN, NOT_SHOWN)),
        Relation(SHOWN, (ANSWERED, NO_ANSWER)),
    ]
    return counts, relations


def denominators_sentence(figures: Figures) -> str:
    return (
        f"Ensemble des répondants : {figures.text(EVERYONE)} ; "
        f"question posée à {figures.text(SHOWN)} ; "
        f"ont répondu : {figures.text(ANSWERED)}."
    )


def _three(figures: Figures, key: Hashable, answered_key: Hashable = ANSWERED) -> list[str]:
    return [
        figures.share(key, EVERYONE),
        figures.share(key, SHOWN),
        figures.share(key, answered_key),
    ]


def _footer(figures: Figures) -> list[list[str]]:
    return [
        ["Non répondu", figures.text(NO_ANSWER), figures.share(NO_ANSWER, EVERYONE)]
        + [figures.share(NO_ANSWER, SHOWN), "—"],
        ["Question non posée", figures.text(NOT_SHOWN), figures.share(NOT_SHOWN, EVERYONE)]
        + ["—", "—"],
        ["Ensemble des répondants", figures.text(EVERYONE), figures.share(EVERYONE, EVERYONE)]
        + ["—", "—"],
    ]


HEADER_NOTE = (
    "Chaque part est donnée avec son dénominateur : la première colonne de parts sur "
    "l'ensemble des répondants, la deuxième sur ceux à qui la question a été posée, la "
    "troisième sur ceux qui y ont répondu."
)


def _chart(title: str, labels: list[str], values: list[int | None], protected: bool):
    if not labels:
        return None
    name = "Répondants (effectifs publiés)" if protected else "Répondants"
    return charts.bars(title, labels, {name: values}, horizontal=True, height=60 + 30 * len(labels))


def _counted(
    summary: QuestionSummary, protected: bool, published: Mapping[Hashable, Shown] | None
) -> PresentedQuestion:
    question = summary.question
    counts, relations = _base(summary)
    multiple = question.kind == "multiple"
    for option in summary.options:
        counts[("option", option.code)] = option.count
        if multiple:
            counts[("not_chosen", option.code)] = summary.denominators.answered - option.count
            relations.append(
                Relation(ANSWERED, (("option", option.code), ("not_chosen", option.code)))
            )
    if not multiple:
        relations.append(Relation(ANSWERED, tuple(("option", o.code) for o in summary.options)))
    figures = Figures(counts, relations, protected=protected, published=published)
    header = ["Réponse", "Effectif", EVERYONE_HEADER, SHOWN_HEADER, ANSWERED_HEADER]
    if multiple:
        header = ["Réponse", "Cochée", "Non cochée", EVERYONE_HEADER, SHOWN_HEADER]
        header.append(ANSWERED_HEADER)
    rows = []
    for option in summary.options:
        key = ("option", option.code)
        row = [option.label, figures.text(key)]
        if multiple:
            row.append(figures.text(("not_chosen", option.code)))
        rows.append(row + _three(figures, key))
    footer = _footer(figures)
    if multiple:
        footer = [[row[0], row[1], "—", *row[2:]] for row in footer]
    notes = [HEADER_NOTE] + ([MULTIPLE_NOTE] if multiple else [])
    table = Table(question.label, header, rows + footer, total_rows=1)
    chart = _chart(
        f"{question.label} ({figures.text(ANSWERED)} ayant répondu)",
        [o.label for o in summary.options],
        [figures.value(("option", o.code)) for o in summary.options],
        protected,
    )
    return PresentedQuestion(
        summary, denominators_sentence(figures), [table], chart, notes, figures
    )


def _grid(
    summary: QuestionSummary, protected: bool, published: Mapping[Hashable, Shown] | None
) -> PresentedQuestion:
    question = summary.question
    counts, relations = _base(summary)
    for item in summary.items:
        answered, no_answer = ("item", item.code, ANSWERED), ("item", item.code, NO_ANSWER)
        counts[answered] = item.answered
        counts[no_answer] = summary.denominators.shown - item.answered
        relations.append(Relation(SHOWN, (answered, no_answer)))
        parts = []
        for option in item.options:
            counts[("item", item.code, option.code)] = option.count
            parts.append(("item", item.code, option.code))
        relations.append(Relation(answered, tuple(parts)))
    figures = Figures(counts, relations, protected=protected, published=published)
    options = list(question.options)
    tables = []
    for item in summary.items:
        answered = ("item", item.code, ANSWERED)
        rows = [
            [label, figures.text(("item", item.code, code))]
            + [
                figures.share(("item", item.code, code), EVERYONE),
                figures.share(("item", item.code, code), SHOWN),
                figures.share(("item", item.code, code), answered),
            ]
            for code, label in options
        ]
        no_answer = ("item", item.code, NO_ANSWER)
        rows.append(
            ["Non répondu", figures.text(no_answer), figures.share(no_answer, EVERYONE)]
            + [figures.share(no_answer, SHOWN), "—"]
        )
        tables.append(
            Table(
                f"{question.label} — {item.label}",
                ["Réponse", "Effectif", EVERYONE_HEADER, SHOWN_HEADER, ANSWERED_HEADER],
                rows,
                [],
                total_rows=1,
            )
        )
    chart = None
    if summary.items and options:
        series: dict[str, Sequence[float | None]] = {
            label: [figures.value(("item", item.code, code)) for item in summary.items]
            for code, label in options
        }
        chart = charts.bars(
            question.label,
            [item.label for item in summary.items],
            series,
            horizontal=True,
            height=80 + 30 * len(summary.items) * max(1, len(options) // 2),
        )
    notes = [HEADER_NOTE, "Une grille : un tableau par ligne de la grille."]
    return PresentedQuestion(summary, denominators_sentence(figures), tables, chart, notes, figures)


def _values(
    summary: QuestionSummary, protected: bool, published: Mapping[Hashable, Shown] | None
) -> PresentedQuestion:
    question = summary.question
    stats = summary.statistics or Statistics(0, None, None, None, None, ())
    counts, relations = _base(summary)
    for band in stats.distribution:
        counts[("band", band.code)] = band.count
    relations.append(Relation(ANSWERED, tuple(("band", b.code) for b in stats.distribution)))
    figures = Figures(counts, relations, protected=protected, published=published)
    unit = (question.number or {}).get("unit", "") if question.kind == "number" else ""
    if question.kind == "scale" and question.scale:
        scale = question.scale
        unit = (
            f"échelle de {scale.get('min')} ({scale.get('min_label', '')}) "
            f"à {scale.get('max')} ({scale.get('max_label', '')})"
        )
    notes = [HEADER_NOTE]
    if protected and (figures.value(ANSWERED) or 0) < 5:
        # Too few answers: even a mean would describe a handful of CPTS.
        stat_rows = [["Répondants", figures.text(ANSWERED)]]
        notes.append(
            "Nombre de réponses inférieur à 5 ou masqué : moyenne et médiane non publiées."
        )
    else:
        stat_rows = [
            ["Répondants", figures.text(ANSWERED)],
            ["Moyenne", number(stats.mean)],
            ["Médiane", number(stats.median)],
        ]
        if protected:
            notes.append("Minimum et maximum non publiés : ce sont des réponses individuelles.")
        else:
            stat_rows += [["Minimum", number(stats.minimum)], ["Maximum", number(stats.maximum)]]
    tables = [
        Table(
            f"{question.label} — indicateurs" + (f" ({unit})" if unit else ""),
            ["Indicateur", "Valeur"],
            stat_rows,
        ),
        Table(
            f"{question.label} — répartition",
            ["Valeur", "Effectif", EVERYONE_HEADER, SHOWN_HEADER, ANSWERED_HEADER],
            [
                [b.label, figures.text(("band", b.code)), *_three(figures, ("band", b.code))]
                for b in stats.distribution
            ]
            + _footer(figures),
            total_rows=1,
        ),
    ]
    chart = _chart(
        f"{question.label} : répartition",
        [b.label for b in stats.distribution],
        [figures.value(("band", b.code)) for b in stats.distribution],
        protected,
    )
    return PresentedQuestion(summary, denominators_sentence(figures), tables, chart, notes, figures)


def _text(
    summary: QuestionSummary, protected: bool, published: Mapping[Hashable, Shown] | None
) -> PresentedQuestion:
    counts, relations = _base(summary)
    figures = Figures(counts, relations, protected=protected, published=published)
    rows = [
        ["Ont répondu", figures.text(ANSWERED), *_three(figures, ANSWERED)],
        *_footer(figures),
    ]
    table = Table(
        summary.question.label,
        ["", "Effectif", EVERYONE_HEADER, SHOWN_HEADER, ANSWERED_HEADER],
        rows,
        total_rows=1,
    )
    notes = [HEADER_NOTE]
    if protected:
        notes.append("Réponses libres : non diffusées en dehors de l'équipe régionale.")
    return PresentedQuestion(summary, denominators_sentence(figures), [table], None, notes, figures)


def present(
    summary: QuestionSummary,
    *,
    protected: bool = False,
    published: Mapping[Hashable, Shown] | None = None,
) -> PresentedQuestion:
    kind = summary.question.kind
    if kind in ("single", "yes_no", "multiple"):
        presented = _counted(summary, protected, published)
    elif kind == "grid":
        presented = _grid(summary, protected, published)
    elif kind in ("scale", "number"):
        presented = _values(summary, protected, published)
    else:
        presented = _text(summary, protected, published)
    if protected:
        if presented.figures is not None and presented.figures.withheld:
            presented.notes.append(WITHHELD_NOTE)
        presented.notes.append(RULE)
    return presented


def present_page(
    summaries: Sequence[QuestionSummary], respondents: Sequence[Respondent], *, protected: bool
) -> list[PresentedQuestion]:
    """Every question of a page; protected, its counts are protected as one set, so
    that no table gives away what another hides (page_protection.py)."""
    exact = [present(summary) for summary in summaries]
    if not protected:
        return exact
    tables = []
    for summary, table in zip(summaries, exact, strict=True):
        assert table.figures is not None  # every kind of question has its counts
        tables.append((summary, table.figures.counts, table.figures.relations))
    page = PageFigures(tables, respondents)
    presented = []
    for index, summary in enumerate(summaries):
        view = page.view(index)
        published = {key: view.shown(key) for key in view.table_keys()}
        presented.append(present(summary, protected=True, published=published))
    return presented
