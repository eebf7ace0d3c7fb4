"""The builder's edits: codes made from labels, lines read back, moves."""

import pytest

from oncolien.surveys import builder
from oncolien.surveys.definition import all_questions, validate
from oncolien.surveys.tests.definitions import small


def codes(definition) -> list[str]:
    return [q["code"] for q in all_questions(definition)]


def test_codes_are_made_from_labels_and_kept_unique():
    assert builder.make_code("Connaissez-vous les SOS ?", []) == "connaissez-vous-les-sos"
    assert builder.make_code("Prise en charge", ["prise-en-charge"]) == "prise-en-charge-2"
    assert builder.make_code("???", [], fallback="choix") == "choix"


def test_choice_lines_take_a_code_or_make_one():
    entries = builder.parse_labelled_lines(
        "diag | Lors de la phase diagnostique\n\nPendant la phase de traitement\nÉlevé\nÉlevé"
    )
    assert entries == [
        {"code": "diag", "label": "Lors de la phase diagnostique"},
        {"code": "pendant-la-phase-de-traitement", "label": "Pendant la phase de traitement"},
        {"code": "eleve", "label": "Élevé"},
        {"code": "eleve-2", "label": "Élevé"},
    ]
    assert builder.parse_labelled_lines(builder.labelled_lines(entries)) == entries


@pytest.mark.parametrize(
    ("line", "message"),
    [("Diag | Diagnostic", "n'est pas valide"), ("diag |", "écrivez « code | libellé »")],
)
def test_a_malformed_line_is_refused_in_french(line, message):
    with pytest.raises(builder.BuilderError, match=message):
        builder.parse_labelled_lines(line)


def test_condition_values_are_read_as_codes_or_labels():
    temps = small()["sections"][0]["questions"][1]
    assert builder.parse_values("Diagnostic, traitement\nautre", temps) == [
        "diagnostic",
        "traitement",
        "autre",
    ]


def test_edits_leave_the_given_document_untouched():
    original = small()
    edited, code = builder.question_add(
        original, "suite", {"kind": "text", "label": "Encore un mot", "required": False}
    )
    assert code == "encore-un-mot" and codes(edited)[-1] == "encore-un-mot"
    assert original == small()


def test_questions_move_within_and_across_sections():
    moved = builder.question_move(small(), "note", -1)
    assert moved["sections"][0]["questions"][-1]["code"] == "note"
    # The section's condition is on « temps »: still before « note », still valid.
    assert validate(moved) == []
    down = builder.question_move(small(), "connait", 1)
    assert codes(down)[:2] == ["temps", "connait"]
    assert validate(down)  # « temps » now depends on a later question: refused


def test_sections_move_and_questions_before_a_place():
    moved = builder.section_move(small(), "suite", -1)
    assert [s["code"] for s in moved["sections"]] == ["suite", "connaissance"]
    assert validate(moved)  # the section's condition now looks forward
    before = builder.questions_before(small(), section="suite")
    assert [q["code"] for q in before] == ["connait", "temps"]
    before = builder.questions_before(small(), question="temps")
    assert [q["code"] for q in before] == ["connait"]
    before = builder.questions_before(small(), through="connaissance")
    assert [q["code"] for q in before] == ["connait", "temps"]
