"""Disclosure control: no hidden count can be recovered from what is published.

The attacker here knows more than a reader would: every count shown exactly
(before rounding), every relation of the page (totals of rows, columns and of
other tables), and what the marks mean (« < 5 »: 1 to 4; « masqué »: 5 or
more). `solutions` enumerates every assignment of the hidden counts that fits
all of that; a hidden count is protected when it can take at least two values.
"""

import random

import pytest

from oncolien.disclosure import (
    MASKED,
    RULE,
    SMALL,
    TOTAL,
    Relation,
    hidden_keys,
    protect,
    rounded,
    table_relations,
)


def table(rows: dict[str, list[int]], columns: list[str]) -> tuple[dict, list[Relation]]:
    counts = {}
    for row, values in rows.items():
        for column, value in zip(columns, values, strict=True):
            counts[(row, column)] = value
        counts[(row, TOTAL)] = sum(values)
    for index, column in enumerate(columns):
        counts[(TOTAL, column)] = sum(values[index] for values in rows.values())
    counts[(TOTAL, TOTAL)] = sum(map(sum, rows.values()))
    return counts, table_relations(list(rows), columns)


def solutions(counts, relations, hidden, small, *, limit=3, avoid=None):
    """Up to `limit` assignments of the hidden counts consistent with everything
    published (backtracking), if given with `avoid[0]` not worth `avoid[1]`."""
    unknown = sorted(hidden, key=repr)
    ceiling = max(counts.values())
    found: list[dict] = []

    def bounds(key):
        return (1, 4) if key in small else (5, ceiling)

    def fits(values):
        for relation in relations:
            members = relation.members
            if all(m in values or m not in hidden for m in members):
                total = values.get(relation.total, counts[relation.total])
                if total != sum(values.get(p, counts[p]) for p in relation.parts):
                    return False
        return True

    def search(values, index):
        if len(found) >= limit:
            return
        if index == len(unknown):
            found.append(dict(values))
            return
        key = unknown[index]
        low, high = bounds(key)
        for value in range(low, high + 1):
            if avoid is not None and key == avoid[0] and value == avoid[1]:
                continue
            values[key] = value
            if fits(values):
                search(values, index + 1)
            del values[key]

    search({}, 0)
    return found


def recoverable(counts, relations, hidden):
    """The hidden keys that no consistent assignment gives another value than the true one."""
    small = {key for key in hidden if 0 < counts[key] < 5}
    assert solutions(counts, relations, hidden, small, limit=1), "the true counts fit"
    return {
        key
        for key in hidden
        if not solutions(counts, relations, hidden, small, limit=1, avoid=(key, counts[key]))
    }


def plain_threshold(counts):
    return {key for key, count in counts.items() if 0 < count < 5}


def test_plain_thresholding_gives_a_small_count_away_and_protect_does_not():
    # Row A's 3 is 25 − 10 − 12 under plain thresholding.
    counts, relations = table({"A": [3, 10, 12], "B": [8, 9, 7]}, ["x", "y", "z"])
    assert recoverable(counts, relations, plain_threshold(counts)) == {("A", "x")}
    hidden = hidden_keys(counts, relations)
    assert ("A", "x") in hidden and len(hidden) >= 4
    assert recoverable(counts, relations, hidden) == set()


def test_another_table_of_the_page_cannot_give_it_away():
    # Ages alone (one table) and ages × sex (another) share the age bands' totals.
    counts, relations = table({"<40": [1, 1], "40-69": [10, 12], "70+": [15, 13]}, ["F", "M"])
    # The one-way table of ages publishes the same totals: same keys, plus its own total.
    relations.append(Relation("all ages", tuple((age, TOTAL) for age in ("<40", "40-69", "70+"))))
    counts["all ages"] = counts[(TOTAL, TOTAL)]
    relations.append(Relation("all ages", ((TOTAL, TOTAL),)))
    plain = plain_threshold(counts)
    assert ("<40", TOTAL) in plain
    assert recoverable(counts, relations, plain) >= {("<40", TOTAL)}
    hidden = hidden_keys(counts, relations)
    assert recoverable(counts, relations, hidden) == set()


def test_bounds_of_the_marks_cannot_pin_a_count():
    # 1 (« < 5 ») and 5 (« masqué », so at least 5) summing to 6 would give both away.
    counts, relations = table({"A": [1, 5, 20], "B": [9, 9, 9]}, ["x", "y", "z"])
    hidden = hidden_keys(counts, relations)
    assert recoverable(counts, relations, hidden) == set()


@pytest.mark.parametrize("seed", range(40))
def test_random_tables_leave_nothing_recoverable(seed):
    rng = random.Random(seed)
    rows = {f"r{i}": [rng.choice([0, 1, 2, 3, 4, 5, 6, 8, 12]) for _ in range(3)] for i in range(3)}
    counts, relations = table(rows, ["a", "b", "c"])
    hidden = hidden_keys(counts, relations)
    assert plain_threshold(counts) <= hidden
    assert len(hidden) < len(counts)  # not protected by hiding everything
    assert recoverable(counts, relations, hidden) == set(), rows


def test_what_is_published():
    counts, relations = table({"A": [3, 10, 12], "B": [8, 9, 7]}, ["x", "y", "z"])
    shown = protect(counts, relations)
    assert shown[("A", "x")].text == SMALL and shown[("A", "x")].value is None
    assert any(s.text == MASKED for s in shown.values())
    published = {key: s for key, s in shown.items() if s.value is not None}
    assert all(s.value % 5 == 0 for s in published.values())
    assert shown[(TOTAL, TOTAL)].text == "50"  # 49 rounded
    assert "arrondis au multiple de 5" in RULE and "« < 5 »" in RULE


def test_zeros_are_shown_and_never_used_to_protect():
    counts, relations = table({"A": [0, 3, 9], "B": [0, 7, 9]}, ["x", "y", "z"])
    hidden = hidden_keys(counts, relations)
    assert ("A", "x") not in hidden and ("B", "x") not in hidden
    assert recoverable(counts, relations, hidden) == set()


@pytest.mark.parametrize(("count", "shown"), [(0, 0), (2, 0), (3, 5), (7, 5), (8, 10), (12, 10)])
def test_rounding_to_the_nearest_five(count, shown):
    assert rounded(count) == shown


def test_inconsistent_tables_are_a_programming_error():
    with pytest.raises(ValueError, match="n'est pas la somme"):
        protect({"t": 5, "a": 1, "b": 1}, [Relation("t", ("a", "b"))])
    with pytest.raises(ValueError, match="Effectif invalide"):
        protect({"a": -1}, [])


@pytest.mark.parametrize("seed", range(30))
def test_the_closed_form_for_one_relation_agrees_with_the_integer_program(seed):
    from oncolien.disclosure import _pinned_by_one, _pinned_in

    rng = random.Random(seed)
    parts = [rng.choice([0, 1, 2, 3, 4, 5, 6, 9, 20]) for _ in range(rng.randint(2, 6))]
    counts = {f"p{i}": value for i, value in enumerate(parts)} | {"t": sum(parts)}
    relation = Relation("t", tuple(f"p{i}" for i in range(len(parts))))
    small = {key for key, value in counts.items() if 0 < value < 5}
    # Any hidden set, not only a protected one: both must say what a reader pins down.
    hidden = small | {key for key in counts if rng.random() < 0.4 and counts[key] > 0}
    if not hidden:
        return
    assert _pinned_by_one(relation, counts, hidden, small, 5) == _pinned_in(
        [relation], counts, hidden, small, 5
    )
