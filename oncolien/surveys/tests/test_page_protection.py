"""Shared results are protected as one page: a count hidden in one question's table
cannot be read in another's (a conditional question's « question posée à » is the
number of those who gave the answer that opens it)."""

import pytest

from oncolien.disclosure import _determined
from oncolien.surveys.analysis import Question, Respondent, summaries
from oncolien.surveys.summary_tables import present, present_page

KNOWS = Question("connait", "yes_no", "Connaissez-vous les SOS ?", "s1")
PHASES = Question(
    "phases", "single", "Aux trois temps ?", "s2", choices=(("oui", "Oui"), ("non", "Non"))
)


def respondents(oui: int, non: int, nsp: int) -> list[Respondent]:
    people = []
    for index, answer in enumerate(["oui"] * oui + ["non"] * non + ["nsp"] * nsp):
        answers = {"connait": answer}
        shown = {"connait"}
        if answer == "oui":  # « Aux trois temps ? » is shown to those who know SOS
            answers["phases"] = "oui" if index % 2 else "non"
            shown.add("phases")
        people.append(Respondent(index, 1, answers, {}, None, "coordination", None, shown))
    return people


def pinned_non(knows, phases) -> bool:
    """Whether a reader who takes the published counts as exact (the disclosure rule's
    model; rounding comes on top) pins « Non » to the first question: « Oui » is the
    second question's « posée à », one quantity published in two tables."""
    counts = dict(knows.figures.counts)
    hidden = {key for key, cell in knows.figures.shown.items() if cell.value is None}
    small = {key for key, cell in knows.figures.shown.items() if cell.small}
    if phases.figures.shown["shown"].value is not None:
        hidden.discard(("option", "oui"))  # read in the other table
    relations = knows.figures.relations
    return ("option", "non") in _determined(relations, counts, hidden, small, 5)


def test_table_by_table_the_conditional_question_gives_the_hidden_count_away():
    people = respondents(oui=10, non=3, nsp=20)
    tables = [present(s, protected=True) for s in summaries([KNOWS, PHASES], people)]
    # Alone, each table is safe; together, « posée à 10 » pins « Oui », so « Non »
    # is the total less the rest.
    assert tables[0].figures.shown[("option", "non")].small
    assert tables[1].figures.shown["shown"].value == 10
    assert pinned_non(*tables)


def test_as_one_page_no_table_gives_it_away():
    people = respondents(oui=10, non=3, nsp=20)
    tables = present_page(summaries([KNOWS, PHASES], people), people, protected=True)
    assert tables[0].figures.shown[("option", "non")].small
    assert not pinned_non(*tables)
    # The same count is published the same way in both tables.
    assert tables[1].figures.shown["shown"] == tables[0].figures.shown[("option", "oui")]


@pytest.mark.parametrize("oui,non,nsp", [(12, 2, 18), (6, 1, 25), (20, 4, 8)])
def test_no_assignment_pins_the_small_count(oui, non, nsp):
    people = respondents(oui, non, nsp)
    tables = present_page(summaries([KNOWS, PHASES], people), people, protected=True)
    assert tables[0].figures.shown[("option", "non")].small
    assert not pinned_non(*tables)
