"""One question's answer, cleaned and checked (the rules of the pages and of the import)."""

import pytest

from oncolien.surveys.answers import (
    AnswerError,
    RawAnswer,
    clean_answer,
    display,
    keep_shown,
    missing_required,
)
from oncolien.surveys.tests.responding_fixtures import DEFINITION, PHASES_Q, YES_NO_Q

SECTIONS: list = DEFINITION["sections"]  # type: ignore[assignment]
NUMBER_Q = SECTIONS[1]["questions"][0]
SCALE_Q = SECTIONS[1]["questions"][1]
SINGLE_Q, GRID_Q, TEXT_Q = SECTIONS[2]["questions"]


def clean(question, *values, other="", items=None):
    return clean_answer(question, RawAnswer(values=list(values), other=other, items=items or {}))


def test_empty_input_is_not_answered():
    assert clean(SINGLE_Q, "") == (None, "")
    assert clean(GRID_Q, items={"douleur": ""}) == (None, "")


def test_single_choice_by_code_or_label():
    assert clean(SINGLE_Q, "formation") == ("formation", "")
    assert clean(SINGLE_Q, " ANNUAIRE ") == ("annuaire", "")


def test_single_choice_outside_the_list_is_refused_in_french():
    with pytest.raises(AnswerError, match="n'est pas un choix proposé"):
        clean(SINGLE_Q, "cinéma")


def test_other_needs_its_text():
    with pytest.raises(AnswerError, match="Précisez votre réponse « autre »"):
        clean(SINGLE_Q, "autre")
    assert clean(SINGLE_Q, "autre", other="Un guide") == ("autre", "Un guide")


def test_multiple_choice_keeps_the_question_order_and_other():
    value, other = clean(PHASES_Q, "apres", "diagnostic", "autre", other="Soins palliatifs")
    assert value == ["diagnostic", "apres", "autre"]
    assert other == "Soins palliatifs"


def test_yes_no_words():
    assert clean(YES_NO_Q, "Oui")[0] == "oui"
    assert clean(YES_NO_Q, "ne sait pas")[0] == "nsp"
    with pytest.raises(AnswerError, match="Répondez par"):
        clean(YES_NO_Q, "peut-être")


def test_scale_within_its_range():
    assert clean(SCALE_Q, "4") == (4, "")
    with pytest.raises(AnswerError, match="de 1 à 5"):
        clean(SCALE_Q, "6")
    with pytest.raises(AnswerError, match="de 1 à 5"):
        clean(SCALE_Q, "2,5")


def test_number_accepts_the_french_decimal_comma_and_its_bounds():
    assert clean(NUMBER_Q, "12,5") == (12.5, "")
    assert clean(NUMBER_Q, "12") == (12, "")
    with pytest.raises(AnswerError, match="au plus 100"):
        clean(NUMBER_Q, "1 200")
    with pytest.raises(AnswerError, match="n'est pas un nombre"):
        clean(NUMBER_Q, "douze")


def test_text_is_length_bounded():
    assert clean(TEXT_Q, "  Bien  ") == ("Bien", "")
    with pytest.raises(AnswerError, match="dépasse 2000 caractères"):
        clean(TEXT_Q, "x" * 2001)


def test_grid_items_by_choices():
    value, _ = clean(GRID_Q, items={"nutrition": "Faible", "douleur": "fort"})
    assert value == {"douleur": "fort", "nutrition": "faible"}
    with pytest.raises(AnswerError, match="Douleur : "):
        clean(GRID_Q, items={"douleur": "moyen"})


def test_a_required_question_is_required_only_when_shown():
    assert "phases" not in missing_required(DEFINITION, {"connait_sos": "non"})
    assert "phases" in missing_required(DEFINITION, {"connait_sos": "oui"})


def test_answers_to_hidden_questions_are_dropped():
    answers = {"connait_sos": "non", "phases": ["apres", "autre"], "nb_actions": 3}
    kept, texts = keep_shown(DEFINITION, answers, {"phases": "x"})
    assert kept == {"connait_sos": "non"}
    assert texts == {}


def test_display_reads_back_in_french():
    assert display(YES_NO_Q, "nsp") == "Ne sait pas"
    assert display(NUMBER_Q, 12.5) == "12,5 actions"
    assert display(SINGLE_Q, "autre", "Un guide") == "Autre, précisez : Un guide"
