"""Small-count protection of shared results: « < 5 », complementary suppression so that
no hidden count can be recovered from what is published, rounding, percentages from
published counts only, no free text."""

import re

import numpy as np
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp

from oncolien.disclosure import RULE
from oncolien.surveys.analysis import summaries, survey_data
from oncolien.surveys.crosstabs import crosstab, crosstab_table
from oncolien.surveys.summary_tables import Figures, percent, present
from oncolien.surveys.tests import analysis_data

pytestmark = pytest.mark.django_db
SHARE = re.compile(r"^(\S+) sur (\S+)(?: \((\d+)\u202f%\))?$")


def feasible_range(figures: Figures, key) -> tuple[int, float]:
    """What a reader who knew every published count exactly (stronger than rounded)
    could deduce of the hidden count `key`: its least and greatest value over every
    integer assignment of the hidden counts that fits the relations and the marks."""
    hidden = sorted((k for k, s in figures.shown.items() if s.value is None), key=repr)
    column = {k: i for i, k in enumerate(hidden)}
    rows, constants = [], []
    for relation in figures.relations:
        coefficients = np.zeros(len(hidden))
        constant = 0
        for sign, member in [(-1, relation.total)] + [(1, p) for p in relation.parts]:
            if member in column:
                coefficients[column[member]] += sign
            else:
                constant -= sign * figures.counts[member]
        if coefficients.any():
            rows.append(coefficients)
            constants.append(constant)
    objective = np.zeros(len(hidden))
    objective[column[key]] = 1
    # « masqué » reads 5 or more; when nothing shown was left to hide around the small
    # counts, the module hides every count, zeros too: the reader then knows only >= 0.
    for masked_low in (5, 0):
        low = [1 if figures.shown[k].small else masked_low for k in hidden]
        high = [4 if figures.shown[k].small else np.inf for k in hidden]
        options = {
            "constraints": LinearConstraint(np.array(rows), constants, constants),
            "bounds": Bounds(low, high),
            "integrality": np.ones(len(hidden)),
        }
        least = milp(objective, **options)
        if least.status == 0:
            break
    assert least.status == 0
    most = milp(-objective, **options)
    return round(least.fun), (np.inf if most.status != 0 else round(-most.fun))


def every_figures(data):
    presented = [present(s, protected=True) for s in summaries(data.questions, data.respondents)]
    figures = [p.figures for p in presented]
    for code in ("connait_sos", "soins_connus"):
        for dimension in ("taille", "departement", "maturite", "groupe"):
            tab = crosstab(data, data.respondents, code, dimension)
            figures.append(Figures(tab.counts, tab.relations, protected=True))
    return presented, figures


def test_no_suppressed_count_can_be_recovered_from_what_is_published():
    data = survey_data(analysis_data.build(shared=True))
    _, all_figures = every_figures(data)
    checked = 0
    withheld = 0
    for figures in all_figures:
        if figures.withheld:
            # Too few respondents: not a figure of the table is published.
            assert {figures.text(key) for key in figures.counts} == {"non publié"}
            withheld += 1
            continue
        for key, shown in figures.shown.items():
            if shown.value is None:
                least, most = feasible_range(figures, key)
                assert most - least >= 1, (key, least, most)
                checked += 1
    assert checked > 20
    assert withheld >= 1  # the multiple choice by size class: 19 respondents in 5 columns


def test_small_counts_are_hidden_and_the_rest_rounded():
    data = survey_data(analysis_data.build(shared=True))
    by_code = {s.question.code: s for s in summaries(data.questions, data.respondents)}
    presented = present(by_code["trois_phases"], protected=True)
    rows = {row[0]: row[1:] for row in presented.tables[0].rows}
    assert rows["Ne sait pas"][0] == "< 5"  # 2
    assert rows["Non répondu"][0] == "< 5"  # 1
    assert rows["Ensemble des répondants"][0] == "30"  # 32 rounded to 5
    for row in presented.tables[0].rows:
        count = row[1]
        assert count in ("< 5", "masqué") or int(count) % 5 == 0
    assert RULE in presented.notes


def test_percentages_only_from_published_counts():
    data = survey_data(analysis_data.build(shared=True))
    presented, _ = every_figures(data)
    tables = [t for p in presented for t in p.tables]
    tables.append(
        crosstab_table(crosstab(data, data.respondents, "connait_sos", "taille"), protected=True)
    )
    seen = 0
    for table in tables:
        for row in table.rows:
            for cell in row[1:]:
                match = SHARE.match(cell)
                if not match:
                    continue
                count, of, share = match.groups()
                if share is not None:
                    seen += 1
                    assert count.isdigit() and of.isdigit()
                    assert f"{share}\u202f%" == percent(int(count), int(of))
                elif count.isdigit() and of.isdigit():
                    assert of == "0"
    assert seen > 10


def test_the_regional_team_sees_exact_figures():
    data = survey_data(analysis_data.build(shared=True))
    by_code = {s.question.code: s for s in summaries(data.questions, data.respondents)}
    rows = {row[0]: row[1:] for row in present(by_code["trois_phases"]).tables[0].rows}
    assert rows["Ne sait pas"][0] == "2" and rows["Ensemble des répondants"][0] == "32"
