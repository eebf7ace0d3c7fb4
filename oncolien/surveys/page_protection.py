"""Small-count protection of a whole page of shared results, not table by table.

The tables of one page count the same respondents: a count hidden in one table must
not be readable in another. A conditional question shows it best: « question posée à
19 » under « Les SOS aux trois temps ? » is the number of « Oui » to « Connaissez-vous
les SOS ? ». So every count of the page enters one `oncolien.disclosure.protect`:

- counts of the very same respondents are one key (found from the respondents: the
  sets shown a question, and those who gave each answer to a choice question);
- a set of respondents that is the union of answers to a single-choice question (a
  question shown to those who answered « Oui » or « Ne sait pas ») is their sum;
- the relations of each table (total = sum of parts) are kept.

Then each table reads its published counts from the page's (`PageFigures.view`).
"""

from collections.abc import Hashable, Iterable, Mapping, Sequence

from oncolien.disclosure import Relation, Shown, protect
from oncolien.surveys.analysis import QuestionSummary, Respondent

EVERYONE = "everyone"


def _sets(summary: QuestionSummary, respondents: Sequence[Respondent]) -> dict[Hashable, frozenset]:
    """The respondents behind the counts of one question that can be told from the
    answers: those shown it, and those who gave each answer of a choice question."""
    code, kind = summary.question.code, summary.question.kind
    shown = [r for r in respondents if code in r.shown]
    found: dict[Hashable, frozenset] = {"shown": frozenset(r.id for r in shown)}
    if kind in ("single", "yes_no", "multiple"):
        for option in summary.options:
            found[("option", option.code)] = frozenset(
                r.id
                for r in shown
                if (value := r.answers.get(code)) == option.code
                or (isinstance(value, list) and option.code in value)
            )
    if kind in ("single", "yes_no"):
        found["answered"] = frozenset().union(*(found[("option", o.code)] for o in summary.options))
    return found


class PageFigures:
    """Every count of a page, protected as one set."""

    def __init__(
        self,
        tables: Sequence[tuple[QuestionSummary, Mapping[Hashable, int], Sequence[Relation]]],
        respondents: Sequence[Respondent],
    ) -> None:
        counts: dict[Hashable, int] = {}
        relations: list[Relation] = []
        self.keys: dict[tuple[int, Hashable], Hashable] = {}
        everyone = frozenset(r.id for r in respondents)
        by_set: dict[frozenset, Hashable] = {everyone: EVERYONE}
        unions: list[tuple[frozenset, list[tuple[frozenset, Hashable]]]] = []
        for index, (summary, table_counts, _) in enumerate(tables):
            sets = _sets(summary, respondents)
            choice_keys: list[tuple[frozenset, Hashable]] = []
            for key, count in table_counts.items():
                page_key: Hashable = EVERYONE if key == "everyone" else (index, key)
                people = sets.get(key)
                if people is not None and len(people) == count:
                    # The same respondents counted elsewhere on the page: the same key.
                    page_key = by_set.setdefault(people, page_key)
                    if isinstance(key, tuple) and key[0] == "option":
                        choice_keys.append((people, page_key))
                self.keys[(index, key)] = page_key
                counts[page_key] = count
            if summary.question.kind in ("single", "yes_no"):
                unions.append((frozenset().union(*(p for p, _ in choice_keys)), choice_keys))
        for index, (_, _, table_relations) in enumerate(tables):
            relations += [
                Relation(self.keys[(index, r.total)], tuple(self.keys[(index, p)] for p in r.parts))
                for r in table_relations
            ]
        relations += self._union_relations(by_set, unions)
        self.shown: dict[Hashable, Shown] = protect(counts, _distinct(relations))

    @staticmethod
    def _union_relations(
        by_set: dict[frozenset, Hashable],
        unions: list[tuple[frozenset, list[tuple[frozenset, Hashable]]]],
    ) -> list[Relation]:
        """A set of the page that is exactly some answers of a single-choice question
        (shown to those who answered « Oui » or « Ne sait pas ») is their sum."""
        found = []
        for people, key in by_set.items():
            if not people:
                continue
            for _, options in unions:
                inside = [(p, k) for p, k in options if p and p <= people]
                if len(inside) > 1 and frozenset().union(*(p for p, _ in inside)) == people:
                    found.append(Relation(key, tuple(k for _, k in inside)))
        return found

    def view(self, index: int) -> "PageView":
        return PageView(self, index)


def _distinct(relations: Iterable[Relation]) -> list[Relation]:
    seen, kept = set(), []
    for relation in relations:
        signature = (relation.total, frozenset(relation.parts))
        if relation.parts and relation.total not in relation.parts and signature not in seen:
            seen.add(signature)
            kept.append(relation)
    return kept


class PageView:
    """One table's published counts, read from the page's."""

    def __init__(self, page: PageFigures, index: int) -> None:
        self.page, self.index = page, index

    def shown(self, key: Hashable) -> Shown:
        return self.page.shown[self.page.keys[(self.index, key)]]

    def table_keys(self) -> list[Hashable]:
        return [key for (index, key) in self.page.keys if index == self.index]
