"""Disclosure control of the counts regional users see: suppress, then round.

The rule, stated under every table that uses it (`RULE`):

1. **Primary suppression.** A count from 1 to 4 is not shown: « < 5 ».
2. **Complementary suppression.** A hidden count must not be recoverable by
   subtraction from the totals, nor from another table of the same page or
   export (the known weakness of plain thresholding). Every relation « total =
   sum of parts » is checked: none may have exactly one hidden member, the sum of
   its hidden parts must not itself be a small count, and the bounds a reader
   knows (« < 5 » means 1 to 4, « masqué » means 5 or more) must leave every
   hidden count at least two possible values. Then the whole set of relations
   of the page is solved exactly as a reader could (an integer program per
   hidden count, its least and greatest value): no hidden count may be pinned. Each time one of these fails, the smallest
   non-zero shown count of the relation is hidden too (« masqué »), and all is
   checked again.
3. **Rounding.** The counts shown are rounded to the nearest multiple of 5
   (totals rounded separately, so they may differ from the sum of the rounded
   parts), as OpenSAFELY publishes.

Tables of one page share their quantities: a count that appears in two tables
(an age band's total in the age table and in the age × sex table) is one key,
so hiding it hides it in both.
"""

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

THRESHOLD = 5
ROUNDING_BASE = 5
SMALL = "< 5"
MASKED = "masqué"
RULE = (
    "Protection des petits effectifs : un effectif de 1 à 4 est affiché « < 5 » ; d'autres "
    "chiffres sont « masqués » pour qu'aucun petit effectif ne puisse être retrouvé par "
    "soustraction, dans ce tableau ou un autre de la page ; les chiffres affichés sont "
    "arrondis au multiple de 5 le plus proche, les totaux séparément."
)

Key = Hashable
TOTAL = "total"


@dataclass(frozen=True)
class Relation:
    """`total` is the sum of `parts` (keys of the published counts)."""

    total: Key
    parts: tuple[Key, ...]

    @property
    def members(self) -> tuple[Key, ...]:
        return (self.total, *self.parts)


@dataclass(frozen=True)
class Shown:
    """What is published of one count."""

    text: str
    value: int | None  # the rounded count, None when hidden
    small: bool = False  # hidden as a count of 1 to 4
    masked: bool = False  # hidden to protect another


def table_relations(rows: Sequence[Key], columns: Sequence[Key]) -> list[Relation]:
    """The relations of a table of counts keyed (row, column), with its margins
    keyed (row, TOTAL), (TOTAL, column) and (TOTAL, TOTAL)."""
    relations = [Relation((row, TOTAL), tuple((row, column) for column in columns)) for row in rows]
    relations += [
        Relation((TOTAL, column), tuple((row, column) for row in rows)) for column in columns
    ]
    relations.append(Relation((TOTAL, TOTAL), tuple((row, TOTAL) for row in rows)))
    relations.append(Relation((TOTAL, TOTAL), tuple((TOTAL, column) for column in columns)))
    return relations


def rounded(count: int, base: int = ROUNDING_BASE) -> int:
    """To the nearest multiple of `base`, halves up (a count of 0 stays 0)."""
    return (count + base // 2) // base * base


def protect(
    counts: Mapping[Key, int],
    relations: Iterable[Relation],
    *,
    threshold: int = THRESHOLD,
    base: int = ROUNDING_BASE,
) -> dict[Key, Shown]:
    """What may be published of `counts`, given the relations between them."""
    relations = list(relations)
    _check(counts, relations)
    small = {key for key, count in counts.items() if 0 < count < threshold}
    hidden = hidden_keys(counts, relations, threshold=threshold)
    return {
        key: (
            Shown(SMALL, None, small=True)
            if key in small
            else Shown(MASKED, None, masked=True)
            if key in hidden
            else Shown(str(rounded(count, base)), rounded(count, base))
        )
        for key, count in counts.items()
    }


def hidden_keys(
    counts: Mapping[Key, int], relations: Sequence[Relation], *, threshold: int = THRESHOLD
) -> set[Key]:
    """The keys to hide: the small counts, and what protects them."""
    small = {key for key, count in counts.items() if 0 < count < threshold}
    hidden = set(small)
    while True:
        changed = False
        for relation in relations:
            if _exposed(relation, counts, hidden, small, threshold):
                changed |= _hide_one_more(relation, counts, hidden)
        if changed:
            continue
        determined = _determined(relations, counts, hidden, small, threshold)
        if not determined:
            return hidden
        for key in sorted(determined, key=repr):
            for relation in relations:
                if key in relation.members and _hide_one_more(relation, counts, hidden):
                    changed = True
                    break
        if not changed:
            # Nothing shown is left to hide around them: hide every count (never expected).
            return set(counts)


def _check(counts: Mapping[Key, int], relations: Sequence[Relation]) -> None:
    for key, count in counts.items():
        if not isinstance(count, int) or count < 0:
            raise ValueError(f"Effectif invalide pour {key!r} : {count!r}.")
    for relation in relations:
        missing = [key for key in relation.members if key not in counts]
        if missing:
            raise ValueError(f"Effectif manquant pour {missing!r}.")
        if counts[relation.total] != sum(counts[part] for part in relation.parts):
            raise ValueError(f"Le total {relation.total!r} n'est pas la somme de ses parties.")


def _bounds(key: Key, counts, small: set, threshold: int) -> tuple[int, float]:
    # What a reader knows of a hidden count from its mark.
    return (1, threshold - 1) if key in small else (threshold, float("inf"))


def _exposed(relation: Relation, counts, hidden: set, small: set, threshold: int) -> bool:
    """Whether this relation gives a hidden count away (or a small sum of them)."""
    members = [key for key in relation.members if key in hidden]
    if not members:
        return False
    if len(members) == 1:
        return True
    if relation.total in hidden:
        return False  # the sum of the hidden parts is not known from this relation
    hidden_parts = [part for part in relation.parts if part in hidden]
    known_sum = counts[relation.total] - sum(
        counts[part] for part in relation.parts if part not in hidden
    )
    if 0 < known_sum < threshold:
        return True
    bounds = [_bounds(part, counts, small, threshold) for part in hidden_parts]
    for index, (low, high) in enumerate(bounds):
        others_low = sum(b[0] for i, b in enumerate(bounds) if i != index)
        others_high = sum(b[1] for i, b in enumerate(bounds) if i != index)
        if min(high, known_sum - others_low) - max(low, known_sum - others_high) < 1:
            return True
    return False


def _hide_one_more(relation: Relation, counts, hidden: set) -> bool:
    """Hide the smallest non-zero count shown in the relation (a part before the total)."""
    candidates = [key for key in relation.parts if key not in hidden and counts[key] > 0]
    if not candidates and relation.total not in hidden and counts[relation.total] > 0:
        candidates = [relation.total]
    if not candidates:
        return False
    hidden.add(min(candidates, key=lambda key: (counts[key], repr(key))))
    return True


def _determined(
    relations: Sequence[Relation], counts, hidden: set, small: set, threshold: int
) -> set[Key]:
    """The hidden counts a reader could pin down: those that take a single integer
    value over every assignment consistent with what is shown, the relations and
    the marks' bounds (an exact integer program per count, minimised then maximised).
    Relations sharing no hidden count are independent: each group is solved alone."""
    pinned: set[Key] = set()
    for group in _groups(relations, hidden):
        if len(group) == 1:
            pinned |= _pinned_by_one(group[0], counts, hidden, small, threshold)
        else:
            pinned |= _pinned_in(group, counts, hidden, small, threshold)
    return pinned


def _pinned_by_one(relation: Relation, counts, hidden: set, small: set, threshold: int) -> set[Key]:
    """The same answer as `_pinned_in` for a group of one relation, in closed form: with
    one equation whose coefficients are ±1, each hidden count ranges over every integer
    between the bounds the others leave it."""
    signed = [(-1, relation.total)] + [(1, part) for part in relation.parts]
    constant = -sum(sign * counts[key] for sign, key in signed if key not in hidden)
    terms = []
    for sign, key in signed:
        if key in hidden:
            low, high = (1, threshold - 1) if key in small else (threshold, float("inf"))
            terms.append((sign, key, low, high))
    pinned = set()
    for sign, key, low, high in terms:
        # sign·x = constant − Σ others; the others' signed sum spans [least, most].
        least = sum(min(s * lo, s * hi) for s, k, lo, hi in terms if k != key)
        most = sum(max(s * lo, s * hi) for s, k, lo, hi in terms if k != key)
        ends = ((constant - most) * sign, (constant - least) * sign)
        smallest, largest = max(low, min(ends)), min(high, max(ends))
        if largest - smallest < 1:
            pinned.add(key)
    return pinned


def _groups(relations: Sequence[Relation], hidden: set) -> list[list[Relation]]:
    """The relations holding hidden counts, grouped by the hidden counts they share."""
    parent: dict[Key, Key] = {key: key for key in hidden}

    def root(key: Key) -> Key:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    holding = []
    for relation in relations:
        members = [key for key in relation.members if key in hidden]
        if not members:
            continue
        holding.append((relation, members[0]))
        for key in members[1:]:
            parent[root(key)] = root(members[0])
    groups: dict[Key, list[Relation]] = {}
    for relation, member in holding:
        groups.setdefault(root(member), []).append(relation)
    return list(groups.values())


def _pinned_in(
    relations: list[Relation], counts, hidden: set, small: set, threshold: int
) -> set[Key]:
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp

    unknowns = sorted(
        {key for relation in relations for key in relation.members if key in hidden}, key=repr
    )
    column = {key: index for index, key in enumerate(unknowns)}
    rows, constants = [], []
    for relation in relations:
        coefficients = np.zeros(len(unknowns))
        constant = 0
        for sign, key in [(-1, relation.total)] + [(1, part) for part in relation.parts]:
            if key in hidden:
                coefficients[column[key]] += sign
            else:
                constant -= sign * counts[key]
        rows.append(coefficients)
        constants.append(constant)
    constraint = LinearConstraint(np.array(rows), constants, constants)
    bounds = Bounds(
        [1 if key in small else threshold for key in unknowns],
        [threshold - 1 if key in small else np.inf for key in unknowns],
    )
    integrality = np.ones(len(unknowns))
    truth = np.array([counts[key] for key in unknowns])
    pinned = set()
    # Every solution found is a whole assignment: each hidden count it gives a value
    # other than the true one is shown to take two values, without a program of its
    # own. So a count is only minimised (then maximised) while no earlier solution
    # has already freed it: a few programs for a group, not two per hidden count.
    undecided = set(range(len(unknowns)))

    def free_by(solution) -> None:
        differs = np.abs(np.round(solution) - truth) >= 1
        undecided.difference_update(np.flatnonzero(differs).tolist())

    # First, every undecided count pushed away from its true value together (down when
    # it has room below, else up, to a finite cap far above any true count: freedom is
    # the same, and the program has an optimum), a few rounds: most counts are freed
    # by these programs, without one of their own.
    capped = Bounds(bounds.lb, np.minimum(bounds.ub, truth + 1_000))
    for _ in range(3):
        if len(undecided) < 8:
            break
        before = len(undecided)
        objective = np.zeros(len(unknowns))
        chosen = sorted(undecided)
        objective[chosen] = np.where(truth[chosen] > bounds.lb[chosen], 1.0, -1.0)
        pushed = milp(objective, constraints=constraint, bounds=capped, integrality=integrality)
        if pushed.status == 0:
            free_by(pushed.x)
        if len(undecided) == before:
            break
    for index in range(len(unknowns)):
        if index not in undecided:
            continue
        objective = np.zeros(len(unknowns))
        objective[index] = 1
        least = milp(objective, constraints=constraint, bounds=bounds, integrality=integrality)
        if least.status != 0:
            raise RuntimeError(f"Protection des effectifs : problème insoluble ({least.message}).")
        free_by(least.x)
        if index not in undecided:
            continue
        most = milp(-objective, constraints=constraint, bounds=bounds, integrality=integrality)
        if most.status == 0:
            free_by(most.x)
        else:
            undecided.discard(index)  # unbounded above: it takes many values
        if index in undecided:
            pinned.add(unknowns[index])
    return pinned
