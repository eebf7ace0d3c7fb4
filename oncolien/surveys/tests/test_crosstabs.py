"""Cross-tabulations of the known synthetic set (analysis_data) by CPTS size class,
department, maturity, respondent group and another question."""

import pytest

from oncolien.disclosure import TOTAL
from oncolien.surveys import filters
from oncolien.surveys.analysis import survey_data
from oncolien.surveys.crosstabs import InvalidCrosstab, crosstab, crosstab_table
from oncolien.surveys.tests import analysis_data

pytestmark = pytest.mark.django_db
P = "\u202f%"


def table_rows(table):
    return {row[0]: row[1:] for row in table.rows}


def test_by_size_class_with_column_denominators_and_no_cpts():
    data = survey_data(analysis_data.build())
    table = crosstab_table(crosstab(data, data.respondents, "connait_sos", "taille"))
    assert table.header == [
        "Connaissez-vous les SOS ?",
        "Taille 1",
        "Taille 2",
        "Taille 3",
        "Taille 4",
        "CPTS non renseignée",
        "Ensemble",
    ]
    rows = table_rows(table)
    assert rows["Oui"] == [
        f"4 sur 7 (57{P})",
        f"4 sur 6 (67{P})",
        f"4 sur 6 (67{P})",
        f"4 sur 6 (67{P})",
        f"3 sur 6 (50{P})",
        f"19 sur 31 (61{P})",
    ]
    # « Non répondu » is over those of the column to whom the question was shown.
    assert rows["Non répondu"][1] == f"1 sur 7 (14{P})"
    assert rows["Ont répondu (dénominateur des réponses)"] == ["7", "6", "6", "6", "6", "31"]
    assert rows["Question posée (dénominateur de « Non répondu »)"] == [
        "7",
        "7",
        "6",
        "6",
        "6",
        "32",
    ]


def test_by_department():
    data = survey_data(analysis_data.build())
    rows = table_rows(
        crosstab_table(crosstab(data, data.respondents, "connait_sos", "departement"))
    )
    # Beta and Delta are both in 31.
    assert rows["Oui"][:3] == [f"4 sur 7 (57{P})", f"8 sur 12 (67{P})", f"4 sur 6 (67{P})"]


def test_by_maturity_at_the_survey_opening():
    data = survey_data(analysis_data.build())
    tab = crosstab(data, data.respondents, "connait_sos", "maturite")
    table = crosstab_table(tab)
    assert table.header[1:] == [
        "< 1 an",
        "1–2 ans",
        "3–4 ans",
        "5 ans et plus",
        "Date de l'ACI inconnue",
        "CPTS non renseignée",
        "Ensemble",
    ]
    # Alpha (2024-06-01) < 1 an, Beta (2023-05-01) 1 year, Gamma (2019-01-15) 6 years.
    assert tab.counts[("oui", "lt1")] == 4
    assert tab.counts[("oui", "1-2")] == 4
    assert tab.counts[("oui", "3-4")] == 0
    assert tab.counts[("oui", "5+")] == 4
    assert tab.counts[("oui", "unknown")] == 4
    assert any("à l'ouverture de l'enquête (01/03/2025)" in note for note in table.notes)


def test_by_group_and_by_another_question_for_a_multiple_choice():
    data = survey_data(analysis_data.build())
    by_group = crosstab(data, data.respondents, "connait_sos", "groupe")
    assert by_group.counts[("oui", "health_professional")] == 19
    assert by_group.counts[("non", "coordination")] == 9
    tab = crosstab(data, data.respondents, "soins_connus", "question:actions")
    rows = table_rows(crosstab_table(tab))
    # Douleur: 0–11 → even (oui) 6 of 9 who answered, odd (non) 6 of 8.
    assert rows["Douleur"][:2] == [f"6 sur 9 (67{P})", f"6 sur 8 (75{P})"]
    assert tab.counts[(TOTAL, TOTAL)] == 19


def test_filters_apply_to_crosstabs():
    data = survey_data(analysis_data.build())
    kept = filters.parse(data, ["actions:oui"]).apply(data.respondents)
    tab = crosstab(data, kept, "connait_sos", "taille")
    assert tab.counts[(TOTAL, TOTAL)] == 16


def test_a_question_that_cannot_be_crossed_is_refused():
    data = survey_data(analysis_data.build())
    with pytest.raises(InvalidCrosstab):
        crosstab(data, data.respondents, "attentes", "taille")
    with pytest.raises(InvalidCrosstab):
        crosstab(data, data.respondents, "connait_sos", "question:connait_sos")


def test_by_the_barometer_maturity_bands():
    data = survey_data(analysis_data.build())
    tab = crosstab(data, data.respondents, "connait_sos", "maturite-barometre")
    labels = [label for _, label in tab.dimension.columns]
    assert labels == [
        "ACI signée en 2025",
        "Moins de deux ans",
        "Deux ans ou plus",
        "Date de l'ACI inconnue",
        "CPTS non renseignée",
    ]
    # Alpha (2024-06-01) and Beta (2023-05-01) under two years, Gamma (2019) two or more.
    assert tab.counts[("oui", "same-year")] == 0
    assert tab.counts[("oui", "lt2")] == 8
    assert tab.counts[("oui", "2+")] == 4
