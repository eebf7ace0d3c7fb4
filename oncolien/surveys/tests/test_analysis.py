"""Per question summaries of the known synthetic set (analysis_data): every count,
denominator and percentage, checked against the hand-built answers."""

import pytest

from oncolien.surveys import filters
from oncolien.surveys.analysis import summaries, survey_data
from oncolien.surveys.models import SurveyVersion
from oncolien.surveys.summary_tables import present
from oncolien.surveys.tests import analysis_data

pytestmark = pytest.mark.django_db

P = "\u202f%"


def by_code(data, respondents=None):
    return {s.question.code: s for s in summaries(data.questions, respondents or data.respondents)}


def rows_of(presented, index=0):
    return {row[0]: row[1:] for row in presented.tables[index].rows}


def test_the_three_denominators_of_a_conditional_question():
    data = survey_data(analysis_data.build())
    summary = by_code(data)["trois_phases"]
    assert summary.denominators.everyone == 32  # the response in progress is not counted
    assert summary.denominators.shown == 19  # the section is shown to those who know SOS
    assert summary.denominators.answered == 18
    presented = present(summary)
    assert presented.denominators == (
        "Ensemble des répondants : 32 ; question posée à 19 ; ont répondu : 18."
    )
    rows = rows_of(presented)
    # The field's « 6 sur 19 », beside the other two denominators, never alone.
    assert rows["Oui"] == ["6", f"6 sur 32 (19{P})", f"6 sur 19 (32{P})", f"6 sur 18 (33{P})"]
    assert rows["Non"] == ["10", f"10 sur 32 (31{P})", f"10 sur 19 (53{P})", f"10 sur 18 (56{P})"]
    assert rows["Ne sait pas"] == [
        "2",
        f"2 sur 32 (6{P})",
        f"2 sur 19 (11{P})",
        f"2 sur 18 (11{P})",
    ]
    assert rows["Non répondu"] == ["1", f"1 sur 32 (3{P})", f"1 sur 19 (5{P})", "—"]
    assert rows["Question non posée"] == ["13", f"13 sur 32 (41{P})", "—", "—"]
    header = presented.tables[0].header
    assert header[2:] == [
        "Parmi l'ensemble des répondants",
        "Parmi ceux à qui la question a été posée",
        "Parmi ceux qui ont répondu",
    ]


def test_a_left_over_answer_to_a_hidden_question_is_not_counted():
    data = survey_data(analysis_data.build())
    # Respondent 19 (who does not know SOS) carries trois_phases = oui: 6, not 7.
    assert {o.code: o.count for o in by_code(data)["trois_phases"].options}["oui"] == 6


def test_yes_no_counts_and_a_question_without_answer():
    data = survey_data(analysis_data.build())
    summary = by_code(data)["connait_sos"]
    assert (summary.denominators.shown, summary.denominators.answered) == (32, 31)
    assert {o.label: o.count for o in summary.options} == {"Oui": 19, "Non": 10, "Ne sait pas": 2}


def test_the_filter_of_the_field_gives_6_of_19():
    data = survey_data(analysis_data.build())
    chosen = filters.parse(data, ["connait_sos:oui"])
    kept = chosen.apply(data.respondents)
    assert chosen.statement(len(kept), len(data.respondents)) == (
        "Filtre : Connaissez-vous les SOS ? = Oui — 19 répondants sur 32"
    )
    rows = rows_of(present(by_code(data, kept)["trois_phases"]))
    assert rows["Oui"][0:3] == ["6", f"6 sur 19 (32{P})", f"6 sur 19 (32{P})"]


def test_multiple_choice_shares_add_to_more_than_100_and_say_so():
    data = survey_data(analysis_data.build())
    summary = by_code(data)["soins_connus"]
    assert (summary.denominators.shown, summary.denominators.answered) == (19, 17)
    assert {o.label: o.count for o in summary.options} == {
        "Douleur": 12,
        "Nutrition": 12,
        "Soutien psychologique": 9,
        "Social": 4,
        "Activité physique adaptée": 4,
        "Autre": 5,
    }
    presented = present(summary)
    rows = rows_of(presented)
    assert presented.tables[0].header[1:3] == ["Cochée", "Non cochée"]
    assert rows["Douleur"] == [
        "12",
        "5",
        f"12 sur 32 (38{P})",
        f"12 sur 19 (63{P})",
        f"12 sur 17 (71{P})",
    ]
    assert rows["Autre"][:2] == ["5", "12"]
    assert any("plus de 100 %" in note for note in presented.notes)


def test_number_statistics_and_bands():
    data = survey_data(analysis_data.build())
    summary = by_code(data)["nb_actions"]
    assert (summary.denominators.shown, summary.denominators.answered) == (16, 15)
    stats = summary.statistics
    assert (stats.n, stats.mean, stats.median, stats.minimum, stats.maximum) == (15, 7, 7, 0, 14)
    assert [b.count for b in stats.distribution] == [3, 3, 3, 3, 3]
    rows = rows_of(present(summary))
    assert rows["Moyenne"] == ["7"] and rows["Minimum"] == ["0"] and rows["Maximum"] == ["14"]


def test_scale_statistics_and_distribution():
    data = survey_data(analysis_data.build())
    stats = by_code(data)["satisfaction"].statistics
    assert (stats.n, stats.mean, stats.median, stats.minimum, stats.maximum) == (28, 3.5, 4, 1, 5)
    assert [(b.label, b.count) for b in stats.distribution] == [
        ("1", 3),
        ("2", 0),
        ("3", 10),
        ("4", 10),
        ("5", 5),
    ]
    presented = present(by_code(data)["satisfaction"])
    assert rows_of(presented)["Moyenne"] == ["3,5"]
    assert rows_of(presented, 1)["3"] == [
        "10",
        f"10 sur 32 (31{P})",
        f"10 sur 32 (31{P})",
        f"10 sur 28 (36{P})",
    ]


def test_grid_per_item():
    data = survey_data(analysis_data.build())
    summary = by_code(data)["grille"]
    assert summary.denominators.answered == 22
    items = {item.code: item for item in summary.items}
    assert items["info"].answered == 22
    assert {o.code: o.count for o in items["info"].options} == {"besoin": 14, "pas_besoin": 8}
    assert items["formation"].answered == 20
    assert {o.code: o.count for o in items["formation"].options} == {"besoin": 10, "pas_besoin": 10}
    presented = present(summary)
    assert rows_of(presented, 1)["Besoin"] == [
        "10",
        f"10 sur 32 (31{P})",
        f"10 sur 32 (31{P})",
        f"10 sur 20 (50{P})",
    ]
    assert rows_of(presented, 1)["Non répondu"][0] == "12"


def test_text_counts_answers():
    data = survey_data(analysis_data.build())
    summary = by_code(data)["attentes"]
    assert (summary.denominators.shown, summary.denominators.answered) == (32, 10)


def test_every_question_has_a_chart_with_its_table_but_free_text():
    data = survey_data(analysis_data.build())
    for summary in summaries(data.questions, data.respondents):
        chart = present(summary).chart
        assert (chart is None) == (summary.question.kind == "text")
        if chart:
            assert "<svg" in chart.svg and chart.rows


def test_versions_analysed_per_code_latest_label_union_of_choices():
    survey = analysis_data.build()
    definition = analysis_data.definition()
    soins = definition["sections"][1]["questions"][1]
    soins["label"] = "Quels soins de support connaissez-vous ?"
    soins["choices"] = soins["choices"][:2] + [{"code": "sexualite", "label": "Santé sexuelle"}]
    version = SurveyVersion.objects.create(survey=survey, number=2, definition=definition)
    response = survey.responses.filter(status="submitted").order_by("pk").first()
    response.version = version
    response.answers = {**response.answers, "soins_connus": ["sexualite"]}
    response.save()
    data = survey_data(survey)
    assert data.version_numbers == [1, 2]
    question = data.question("soins_connus")
    assert question.label == "Quels soins de support connaissez-vous ?"
    assert [code for code, _ in question.options] == [
        "douleur",
        "nutrition",
        "sexualite",
        "psy",
        "social",
        "apa",
        "autre",
    ]
    counts = {o.code: o.count for o in by_code(data)["soins_connus"].options}
    assert counts["sexualite"] == 1 and counts["douleur"] == 11


def test_an_unknown_filter_is_refused_in_french():
    data = survey_data(analysis_data.build())
    with pytest.raises(filters.InvalidFilter, match="n'est pas une réponse"):
        filters.parse(data, ["connait_sos:peut-etre"])
    with pytest.raises(filters.InvalidFilter, match="ne peut pas filtrer"):
        filters.parse(data, ["attentes:x"])


def test_combined_filters_state_themselves():
    data = survey_data(analysis_data.build())
    chosen = filters.parse(
        data, ["connait_sos:oui", "actions:oui", "trois_phases:oui", "trois_phases:nsp"]
    )
    kept = chosen.apply(data.respondents)
    # Know SOS (0–18), did actions (even), said oui or nsp to three phases (0–5, 16–17).
    assert sorted(r.answers["nb_actions"] for r in kept) == [0, 1, 2, 8]
    assert chosen.statement(len(kept), 32) == (
        "Filtres : Connaissez-vous les SOS ? = Oui ; Avez-vous mené des actions ? = Oui ; "
        "Les SOS concernent-ils les trois phases ? = Oui ou Ne sait pas — 4 répondants sur 32"
    )
