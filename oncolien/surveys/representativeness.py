"""Representativeness of a survey's respondents against the register of the region's
CPTS, by size class and by department, as the Baromètre 2024 shows it.

For each category: the count and share among respondents (« 12 sur 43 (28 %) »)
beside the count and share in the register (« 24 sur 86 (28 %) »), and a
chi-square goodness-of-fit test whose expected counts are the register's shares
applied to the respondents. Every share states its denominator: the shares of
respondents are taken over the respondents, those of the register over the
register. (Document 004's department table gives « CPTS répondantes » shares
that add up to about 73 %: they are taken over the region's CPTS, a shifted
denominator. The response rate of each category is shown here in its own
column, over the category's CPTS of the register.)

Respondents are counted once per CPTS by default, as the Baromètre does (several
people of one CPTS answering make one respondent CPTS), or once per response.
"""

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import QuerySet
from scipy.stats import chisquare

from oncolien.surveys.departments import department_label
from oncolien.surveys.models import CptsRegister, Response, ResponseStatus, Survey
from oncolien.surveys.register_sizes import SIZE_LABELS

PER_CPTS = "cpts"
PER_RESPONSE = "response"
UNIT_LABELS = {PER_CPTS: "CPTS répondantes", PER_RESPONSE: "réponses"}
# Below this expected count the chi-square approximation is not trusted (Cochran).
MIN_EXPECTED = 5
SIGNIFICANCE = 0.05
UNKNOWN = ""


def _number(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}".replace(".", ",")


def percent(count: int, total: int) -> str:
    """« 28 % », rounded half up (a share of nothing is « – »)."""
    if not total:
        return "–"
    return f"{math.floor(count * 100 / total + 0.5)}\u00a0%"


def count_of(count: int, total: int) -> str:
    """« 12 sur 43 (28 %) »: the count, its denominator and the share."""
    return f"{count} sur {total} ({percent(count, total)})"


def p_value_text(p_value: float) -> str:
    if p_value < 0.001:
        return "p < 0,001"
    return f"p = {_number(p_value, 3 if p_value < 0.01 else 2)}"


@dataclass(frozen=True)
class Category:
    key: str
    label: str


@dataclass(frozen=True)
class CategoryRow:
    label: str
    respondents: int
    respondents_total: int
    register: int
    register_total: int

    @property
    def respondents_text(self) -> str:
        return count_of(self.respondents, self.respondents_total)

    @property
    def register_text(self) -> str:
        return count_of(self.register, self.register_total)

    @property
    def expected(self) -> float:
        if not self.register_total:
            return 0.0
        return self.respondents_total * self.register / self.register_total

    @property
    def expected_text(self) -> str:
        return _number(self.expected, 1)

    @property
    def response_rate_text(self) -> str:
        """Respondent CPTS among the category's CPTS of the register (« 2 sur 3 »)."""
        if not self.register:
            return "–"
        return count_of(self.respondents, self.register)


@dataclass(frozen=True)
class FitTest:
    """A chi-square goodness-of-fit test, or why it could not be computed."""

    sentence: str
    statistic: float | None = None
    dof: int | None = None
    p_value: float | None = None
    # The groups tested, after merging sparse categories (« Taille 3 + Taille 4 »).
    groups: tuple[str, ...] = ()
    merged: tuple[str, ...] = ()
    warning: str = ""

    @property
    def computed(self) -> bool:
        return self.p_value is not None

    @property
    def significant(self) -> bool | None:
        return None if self.p_value is None else self.p_value < SIGNIFICANCE


@dataclass(frozen=True)
class ComparisonTable:
    title: str
    caption: str
    rows: tuple[CategoryRow, ...]
    respondents_total: int
    register_total: int
    test: FitTest


SPARSE_WARNING = "Le test est peu fiable : des effectifs attendus sont inférieurs à 5."


@dataclass
class _Group:
    labels: list[str]
    observed: int
    expected: float

    @property
    def label(self) -> str:
        return " + ".join(self.labels)


def _merge_ordered(groups: list[_Group]) -> None:
    """Merge the sparsest group into its sparser neighbour (size classes are ordered:
    taille 4 joins taille 3, never taille 1)."""
    index = min(range(len(groups)), key=lambda i: groups[i].expected)
    neighbours = [i for i in (index - 1, index + 1) if 0 <= i < len(groups)]
    other = min(neighbours, key=lambda i: groups[i].expected)
    first, second = sorted((index, other))
    groups[first] = _Group(
        groups[first].labels + groups[second].labels,
        groups[first].observed + groups[second].observed,
        groups[first].expected + groups[second].expected,
    )
    del groups[second]


def _merge_nominal(groups: list[_Group], pool: _Group | None) -> _Group:
    """Pool the sparse categories (departments) into one group, grown with the
    smallest categories until it is large enough: departments have no order, and
    one pool reads better than pairs of unrelated departments."""
    others = sorted((g for g in groups if g is not pool), key=lambda g: g.expected)
    sparse = [g for g in others if g.expected < MIN_EXPECTED]
    if pool is None:
        pool = _Group([], 0, 0.0)
        groups.append(pool)
        taken = sparse if len(sparse) >= 2 else others[:2]
    else:
        taken = sparse or others[:1]
    for group in taken:
        if len(groups) <= 2:
            break
        pool.labels.extend(group.labels)
        pool.observed += group.observed
        pool.expected += group.expected
        groups[:] = [g for g in groups if g is not group]
    return pool


def goodness_of_fit(rows: Sequence[CategoryRow], *, ordered: bool) -> FitTest:
    """The chi-square test of the respondents' counts against the register's shares.

    Categories absent from both are left out; respondents in a category absent
    from the register make the test impossible (its expected count is zero).
    Categories whose expected count is below 5 are merged (ordered categories with
    a neighbour, others into one group) while more than two groups remain; the
    warning says when some are still below 5.
    """
    total = rows[0].respondents_total if rows else 0
    if total == 0:
        return FitTest("Aucun répondant : le test n'est pas calculé.")
    if not rows[0].register_total:
        return FitTest("Le registre est vide : le test n'est pas calculé.")
    outside = [row for row in rows if row.register == 0 and row.respondents > 0]
    if outside:
        labels = ", ".join(row.label for row in outside)
        return FitTest(
            "Test non calculable : des répondants relèvent de catégories absentes du "
            f"registre ({labels}), dont l'effectif attendu est nul."
        )
    groups = [_Group([row.label], row.respondents, row.expected) for row in rows if row.register]
    was_sparse = any(group.expected < MIN_EXPECTED for group in groups)
    pool: _Group | None = None
    while len(groups) > 2 and min(group.expected for group in groups) < MIN_EXPECTED:
        if ordered:
            _merge_ordered(groups)
        else:
            pool = _merge_nominal(groups, pool)
    if len(groups) < 2:
        return FitTest("Une seule catégorie dans le registre : le test n'est pas calculé.")
    result = chisquare([g.observed for g in groups], [g.expected for g in groups])
    statistic, p_value, dof = float(result.statistic), float(result.pvalue), len(groups) - 1
    figures = f"(χ² = {_number(statistic, 1)} ; {dof} ddl ; {p_value_text(p_value)})"
    if p_value < SIGNIFICANCE:
        sentence = (
            "Écart significatif au seuil de 5 % : la répartition des répondants diffère "
            f"de celle du registre {figures}."
        )
    else:
        sentence = f"Pas d'écart significatif au seuil de 5 % {figures}."
    # Labels of a merged group in the table's order, whatever the order of merging.
    order = {row.label: index for index, row in enumerate(rows)}
    for group in groups:
        group.labels.sort(key=order.__getitem__)
    merged = tuple(
        f"Regroupées pour le test (effectifs attendus inférieurs à 5) : {group.label}."
        for group in groups
        if len(group.labels) > 1
    )
    still_sparse = any(group.expected < MIN_EXPECTED for group in groups)
    return FitTest(
        sentence,
        statistic=statistic,
        dof=dof,
        p_value=p_value,
        groups=tuple(group.label for group in groups),
        merged=merged if was_sparse else (),
        warning=SPARSE_WARNING if still_sparse else "",
    )


def compare(
    *,
    title: str,
    caption: str,
    categories: Sequence[Category],
    respondent_keys: Iterable[str],
    register_keys: Iterable[str],
    ordered: bool,
) -> ComparisonTable:
    """The table of one dimension: a row per category of `categories` (in that
    order), then any category met among respondents or in the register only."""
    respondents, register = Counter(respondent_keys), Counter(register_keys)
    labels = {category.key: category.label for category in categories}
    keys = [category.key for category in categories]
    keys += sorted((set(respondents) | set(register)) - set(keys))
    respondents_total, register_total = sum(respondents.values()), sum(register.values())
    rows = tuple(
        CategoryRow(
            label=labels.get(key) or key or "Non renseigné",
            respondents=respondents[key],
            respondents_total=respondents_total,
            register=register[key],
            register_total=register_total,
        )
        for key in keys
    )
    return ComparisonTable(
        title=title,
        caption=caption,
        rows=rows,
        respondents_total=respondents_total,
        register_total=register_total,
        test=goodness_of_fit(rows, ordered=ordered),
    )


@dataclass(frozen=True)
class Representativeness:
    survey_title: str
    register: CptsRegister | None
    unit: str
    submitted: int = 0
    counted: int = 0
    without_entry: int = 0
    outside_register: int = 0
    tables: tuple[ComparisonTable, ...] = ()
    message: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def unit_label(self) -> str:
        return UNIT_LABELS[self.unit]

    @property
    def coverage_text(self) -> str:
        """Respondent CPTS among the register's CPTS (« 63 sur 86 (73 %) »)."""
        if self.register is None or not self.tables:
            return ""
        return count_of(self.counted, self.tables[0].register_total)


def _size_key(size_class: int | None) -> str:
    return str(size_class) if size_class else UNKNOWN


def representativeness(
    survey: Survey, *, unit: str = PER_CPTS, responses: QuerySet[Response] | None = None
) -> Representativeness:
    """The representativeness of a survey's submitted responses that know their CPTS
    in the survey's register, by size class and department. `responses` narrows
    them (an analysis filter, « only those who know SOS »); only the submitted ones
    count."""
    if unit not in UNIT_LABELS:
        raise ValueError(f"unknown unit {unit!r}")
    register = survey.register
    if register is None:
        return Representativeness(
            survey_title=survey.title,
            register=None,
            unit=unit,
            message="Aucun registre des CPTS n'est associé à cette enquête : la "
            "représentativité ne peut pas être calculée.",
        )
    chosen = survey.responses.all() if responses is None else responses.filter(survey=survey)
    submitted = chosen.filter(status=ResponseStatus.SUBMITTED)
    rows = list(
        submitted.filter(entry__register=register).values_list(
            "entry_id", "entry__size_class", "entry__department"
        )
    )
    if unit == PER_CPTS:
        rows = list({entry_id: (entry_id, size, dep) for entry_id, size, dep in rows}.values())
    entries = list(register.entries.values_list("size_class", "department"))
    without_entry = submitted.filter(entry__isnull=True).count()
    outside = submitted.filter(entry__isnull=False).exclude(entry__register=register).count()
    unit_label = UNIT_LABELS[unit]
    sizes = [Category(str(value), label) for value, label in SIZE_LABELS.items()]
    departments = sorted({department for _, department in entries})
    tables = (
        compare(
            title="Taille de la CPTS",
            caption=f"Répartition par taille : {unit_label} et CPTS du registre",
            categories=sizes,
            respondent_keys=[_size_key(size) for _, size, _ in rows],
            register_keys=[_size_key(size) for size, _ in entries],
            ordered=True,
        ),
        compare(
            title="Département",
            caption=f"Répartition par département : {unit_label} et CPTS du registre",
            categories=[Category(code, department_label(code)) for code in departments],
            respondent_keys=[department for _, _, department in rows],
            register_keys=[department for _, department in entries],
            ordered=False,
        ),
    )
    notes = []
    if without_entry:
        notes.append(
            f"{without_entry} réponse(s) envoyée(s) sans CPTS connue ne sont pas comptées."
        )
    if outside:
        notes.append(
            f"{outside} réponse(s) rattachée(s) à une CPTS d'un autre registre ne sont pas "
            "comptées."
        )
    return Representativeness(
        survey_title=survey.title,
        register=register,
        unit=unit,
        submitted=submitted.count(),
        counted=len(rows),
        without_entry=without_entry,
        outside_register=outside,
        tables=tables,
        notes=notes,
    )


@dataclass(frozen=True)
class Share:
    label: str
    text: str


def register_distribution(register: CptsRegister) -> tuple[list[Share], list[Share]]:
    """The register's own distribution by size class and by department, each share
    over all the register's CPTS (« 27 sur 86 (31 %) »)."""
    entries = list(register.entries.values_list("size_class", "department"))
    total = len(entries)
    sizes = Counter(_size_key(size) for size, _ in entries)
    departments = Counter(department for _, department in entries)
    size_shares = [
        Share(label, count_of(sizes[str(value)], total)) for value, label in SIZE_LABELS.items()
    ]
    if sizes[UNKNOWN]:
        size_shares.append(Share("Non renseignée", count_of(sizes[UNKNOWN], total)))
    department_shares = [
        Share(department_label(code), count_of(count, total))
        for code, count in sorted(departments.items())
    ]
    return size_shares, department_shares
