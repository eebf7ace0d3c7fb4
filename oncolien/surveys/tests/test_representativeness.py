"""Representativeness of respondents against the register, checked by hand.

Each expected χ² below was computed by hand from its small table:
χ² = Σ (observed − expected)² / expected, with expected = n × register share;
for 2 degrees of freedom the p-value is exp(−χ²/2), for 1 it is erfc(√(χ²/2)).
"""

import math

import pytest

from oncolien.surveys.models import (
    CptsRegister,
    CptsRegisterEntry,
    Response,
    ResponseSource,
    ResponseStatus,
    Survey,
    SurveyVersion,
)
from oncolien.surveys.representativeness import (
    PER_CPTS,
    PER_RESPONSE,
    SPARSE_WARNING,
    Category,
    compare,
    count_of,
    representativeness,
)

SIZES = [Category(str(size), f"Taille {size}") for size in (1, 2, 3, 4)]


def _keys(counts: dict[str, int]) -> list[str]:
    return [key for key, count in counts.items() for _ in range(count)]


def _sizes(respondents: dict[str, int], register: dict[str, int]):
    return compare(
        title="Taille",
        caption="Répartition par taille",
        categories=SIZES,
        respondent_keys=_keys(respondents),
        register_keys=_keys(register),
        ordered=True,
    )


def test_counts_and_shares_state_their_denominators():
    assert count_of(12, 43) == "12 sur 43 (28\u00a0%)"
    assert count_of(24, 86) == "24 sur 86 (28\u00a0%)"
    assert count_of(1, 8) == "1 sur 8 (13\u00a0%)"  # 12,5 rounded half up
    assert count_of(0, 0) == "0 sur 0 (–)"


def test_a_close_distribution_against_a_hand_computation():
    # Register 30 / 40 / 30 (100 CPTS); 50 respondents 10 / 25 / 15.
    # Expected 15 / 20 / 15: χ² = 25/15 + 25/20 + 0 = 2,9167; 2 ddl; p = exp(−1,4583) = 0,2326.
    table = _sizes({"1": 10, "2": 25, "3": 15}, {"1": 30, "2": 40, "3": 30})
    rows = {row.label: row for row in table.rows}
    assert rows["Taille 1"].respondents_text == "10 sur 50 (20\u00a0%)"
    assert rows["Taille 1"].register_text == "30 sur 100 (30\u00a0%)"
    assert rows["Taille 2"].expected == pytest.approx(20.0)
    assert rows["Taille 2"].response_rate_text == "25 sur 40 (63\u00a0%)"
    # Taille 4 is absent from the register: shown, left out of the test.
    assert rows["Taille 4"].register_text == "0 sur 100 (0\u00a0%)"
    test = table.test
    assert test.statistic == pytest.approx(25 / 15 + 25 / 20)
    assert test.dof == 2
    assert test.p_value == pytest.approx(math.exp(-(25 / 15 + 25 / 20) / 2))
    assert test.p_value == pytest.approx(0.2326, abs=1e-4)
    assert (
        test.sentence == "Pas d'écart significatif au seuil de 5 % (χ² = 2,9 ; 2 ddl ; p = 0,23)."
    )
    assert test.significant is False and test.warning == "" and test.merged == ()


def test_a_distant_distribution_is_significant():
    # Respondents 25 / 15 / 10 against expected 15 / 20 / 15:
    # χ² = 100/15 + 25/20 + 25/15 = 9,5833; p = exp(−4,7917) = 0,0083.
    table = _sizes({"1": 25, "2": 15, "3": 10}, {"1": 30, "2": 40, "3": 30})
    assert table.test.statistic == pytest.approx(9.5833, abs=1e-4)
    assert table.test.p_value == pytest.approx(0.0083, abs=1e-4)
    assert table.test.sentence == (
        "Écart significatif au seuil de 5 % : la répartition des répondants diffère de celle "
        "du registre (χ² = 9,6 ; 2 ddl ; p = 0,008)."
    )


def test_a_sparse_size_class_is_merged_with_its_neighbour():
    # Register 31 / 40 / 28 / 1 (as document 004); 20 respondents 6 / 8 / 5 / 1.
    # Expected 6,2 / 8 / 5,6 / 0,2: taille 4 joins taille 3 (5,8). Observed 6 / 8 / 6:
    # χ² = 0,04/6,2 + 0 + 0,04/5,8 = 0,01335; 2 ddl; p = exp(−0,00667) = 0,9933.
    table = _sizes({"1": 6, "2": 8, "3": 5, "4": 1}, {"1": 31, "2": 40, "3": 28, "4": 1})
    test = table.test
    assert test.groups == ("Taille 1", "Taille 2", "Taille 3 + Taille 4")
    assert test.statistic == pytest.approx(0.04 / 6.2 + 0.04 / 5.8)
    assert test.p_value == pytest.approx(0.9933, abs=1e-4)
    assert test.merged == (
        "Regroupées pour le test (effectifs attendus inférieurs à 5) : Taille 3 + Taille 4.",
    )
    assert test.warning == ""


def test_sparse_departments_are_pooled_into_one_group():
    # Register A 40, B 40, C 10, D 10; 20 respondents 8 / 8 / 2 / 2: C and D (2 + 2 = 4)
    # pool, still under 5, so the smallest other (A) joins them: B 8 against the rest 12.
    table = compare(
        title="Département",
        caption="Répartition par département",
        categories=[Category(code, code) for code in "ABCD"],
        respondent_keys=_keys({"A": 8, "B": 8, "C": 2, "D": 2}),
        register_keys=_keys({"A": 40, "B": 40, "C": 10, "D": 10}),
        ordered=False,
    )
    assert table.test.groups == ("B", "A + C + D")
    assert table.test.dof == 1 and table.test.statistic == pytest.approx(0.0)


def test_expected_counts_below_five_that_cannot_be_merged_are_warned():
    # Register 50 / 50; 3 respondents 2 / 1: expected 1,5 / 1,5, nothing left to merge.
    # χ² = 0,25/1,5 × 2 = 0,3333; 1 ddl; p = erfc(√0,1667) = 0,5637.
    table = _sizes({"1": 2, "2": 1}, {"1": 50, "2": 50})
    assert table.test.statistic == pytest.approx(1 / 3)
    assert table.test.p_value == pytest.approx(math.erfc(math.sqrt(1 / 6)))
    assert table.test.warning == SPARSE_WARNING
    assert "peu fiable" in table.test.warning


def test_respondents_in_a_category_absent_from_the_register_do_not_crash():
    table = _sizes({"1": 3, "4": 2}, {"1": 30, "2": 40, "3": 30})
    assert table.test.p_value is None
    assert "Test non calculable" in table.test.sentence and "Taille 4" in table.test.sentence
    nobody = _sizes({}, {"1": 30})
    assert nobody.test.sentence == "Aucun répondant : le test n'est pas calculé."
    one = _sizes({"1": 4}, {"1": 30})
    assert one.test.p_value is None and "Une seule catégorie" in one.test.sentence


# --- The reader: a survey's submitted responses and its register.


@pytest.fixture
def survey_with_register(db):
    register = CptsRegister.objects.create(title="Registre test", region="Occitanie")
    entries = {}
    # Size 1: 3 CPTS in 12; size 2: 3 in 31; size 3: 4 in 31 (10 CPTS).
    for index, (department, size) in enumerate([("12", 1)] * 3 + [("31", 2)] * 3 + [("31", 3)] * 4):
        entries[index] = CptsRegisterEntry.objects.create(
            register=register,
            name=f"CPTS {index}",
            department=department,
            population=10_000,
            population_source="declared",
            size_class=size,
        )
    survey = Survey.objects.create(code="test", title="Enquête test", register=register)
    version = SurveyVersion.objects.create(survey=survey, number=1, definition={})

    def respond(entry, status=ResponseStatus.SUBMITTED):
        return Response.objects.create(
            survey=survey, version=version, entry=entry, source=ResponseSource.IMPORT, status=status
        )

    # CPTS 0 answers twice; CPTS 3 and 6 once; CPTS 7 has not sent its answers.
    for index in (0, 0, 3, 6):
        respond(entries[index])
    respond(entries[7], status=ResponseStatus.IN_PROGRESS)
    respond(None)
    other = CptsRegister.objects.create(title="Autre", region="Occitanie")
    respond(
        CptsRegisterEntry.objects.create(
            register=other, name="CPTS X", department="12", population=1, size_class=1
        )
    )
    return survey


def test_respondent_cpts_are_counted_once_by_default(survey_with_register):
    result = representativeness(survey_with_register)
    assert result.unit == PER_CPTS and result.unit_label == "CPTS répondantes"
    assert result.submitted == 6 and result.counted == 3
    assert result.coverage_text == "3 sur 10 (30\u00a0%)"
    assert result.notes == [
        "1 réponse(s) envoyée(s) sans CPTS connue ne sont pas comptées.",
        "1 réponse(s) rattachée(s) à une CPTS d'un autre registre ne sont pas comptées.",
    ]
    sizes, departments = result.tables
    assert [row.respondents_text for row in sizes.rows] == [
        "1 sur 3 (33\u00a0%)",
        "1 sur 3 (33\u00a0%)",
        "1 sur 3 (33\u00a0%)",
        "0 sur 3 (0\u00a0%)",
    ]
    assert [row.register_text for row in sizes.rows][:3] == [
        "3 sur 10 (30\u00a0%)",
        "3 sur 10 (30\u00a0%)",
        "4 sur 10 (40\u00a0%)",
    ]
    assert [row.label for row in departments.rows] == ["12 - Aveyron", "31 - Haute-Garonne"]
    assert [row.respondents for row in departments.rows] == [1, 2]
    # 3 respondents, expected 0,9 / 2,1: too few to trust, and said so.
    assert departments.test.warning == SPARSE_WARNING


def test_responses_can_be_counted_one_by_one(survey_with_register):
    result = representativeness(survey_with_register, unit=PER_RESPONSE)
    assert result.counted == 4
    assert [row.respondents for row in result.tables[0].rows] == [2, 1, 1, 0]


def test_a_filtered_set_of_responses_is_compared_alone(survey_with_register):
    size_2 = Response.objects.filter(entry__size_class=2)
    result = representativeness(survey_with_register, responses=size_2)
    assert result.submitted == 1 and result.counted == 1
    assert [row.respondents for row in result.tables[0].rows] == [0, 1, 0, 0]


def test_a_survey_without_register_says_why(db):
    survey = Survey.objects.create(code="sans", title="Sans registre")
    result = representativeness(survey)
    assert result.tables == () and "Aucun registre" in result.message


def test_the_partial_shows_both_denominators(survey_with_register):
    from django.template.loader import render_to_string

    html = render_to_string(
        "surveys/_representativeness.html",
        {"representativeness": representativeness(survey_with_register)},
    )
    assert "CPTS répondantes : 3 sur 10 (30\u00a0%)" in html
    assert "parts des CPTS répondantes sur 3, parts du registre sur 10 CPTS" in html
    assert "Le test est peu fiable" in html


def test_document_004s_department_shares_are_over_the_region_not_the_respondents():
    # The Baromètre 2024's table: « CPTS Occitanie » shares are counts over 86 CPTS,
    # and its « CPTS répondantes » shares are counts over the same 86 (they add up to
    # 73 %), not over the 63 respondent CPTS. Counts read back from the shares:
    register = {"09": 3, "11": 7, "12": 4, "30": 12, "31": 16, "32": 6, "34": 12}
    register |= {"46": 3, "48": 3, "65": 4, "66": 5, "81": 6, "82": 5}
    respondents = {"09": 2, "11": 4, "12": 2, "30": 8, "31": 13, "32": 4, "34": 10}
    respondents |= {"46": 2, "48": 2, "65": 3, "66": 5, "81": 4, "82": 4}
    document = {"31": (18.6, 15.1), "66": (5.8, 5.8), "09": (3.5, 2.3)}
    for code, (region_share, respondent_share) in document.items():
        assert round(register[code] * 100 / 86, 1) == region_share
        assert round(respondents[code] * 100 / 86, 1) == respondent_share
    table = compare(
        title="Département",
        caption="Répartition par département",
        categories=[Category(code, code) for code in register],
        respondent_keys=_keys(respondents),
        register_keys=_keys(register),
        ordered=False,
    )
    rows = {row.label: row for row in table.rows}
    # Over the respondents, Haute-Garonne is 21 % of them (the document says 15,1 %).
    assert rows["31"].respondents_text == "13 sur 63 (21\u00a0%)"
    assert rows["31"].register_text == "16 sur 86 (19\u00a0%)"
    assert rows["31"].response_rate_text == "13 sur 16 (81\u00a0%)"
    assert sum(row.respondents for row in table.rows) == 63
    # Departments expected below 5 are pooled; none is left below 5.
    assert table.test.computed and table.test.warning == ""
    assert table.test.p_value is not None and table.test.p_value > 0.05
