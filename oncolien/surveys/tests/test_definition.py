"""The definition is validated as a whole, each error said in French."""

import pytest

from oncolien.surveys import definition as d
from oncolien.surveys.tests.definitions import small


def errors_of(document) -> str:
    return " | ".join(d.validate(document))


def first_section(document) -> dict:
    return document["sections"][0]


def question_of(document, code) -> dict:
    found = d.question(document, code)
    assert found is not None
    return found


def test_a_complete_definition_is_valid():
    assert d.validate(small()) == []
    d.check(small())


def test_check_raises_every_error_at_once():
    document = small()
    document["title"] = ""
    question_of(document, "temps")["choices"] = []
    with pytest.raises(d.DefinitionError) as raised:
        d.check(document)
    assert len(raised.value.errors) == 2
    assert "le titre ne peut pas être vide" in str(raised.value)


def test_codes_must_be_slugs():
    document = small()
    question_of(document, "connait")["code"] = "Connaît SOS"
    assert "le code « Connaît SOS » n'est pas valide" in errors_of(document)
    document = small()
    first_section(document)["code"] = "a" * 81
    assert "n'est pas valide" in errors_of(document)


def test_question_codes_are_unique_across_the_survey():
    document = small()
    question_of(document, "libre")["code"] = "connait"
    assert "une autre question a déjà le code « connait »" in errors_of(document)


def test_section_codes_are_unique():
    document = small()
    document["sections"][1]["code"] = "connaissance"
    assert "une autre section a déjà ce code" in errors_of(document)


def test_choice_and_item_codes_are_unique_within_their_list():
    document = small()
    question_of(document, "temps")["choices"][1]["code"] = "diagnostic"
    assert "le code « diagnostic » est déjà pris dans cette liste" in errors_of(document)
    document = small()
    question_of(document, "grille")["items"].append({"code": "a", "label": "Encore A"})
    assert "est déjà pris dans cette liste" in errors_of(document)


def test_the_kind_must_be_known():
    document = small()
    question_of(document, "libre")["kind"] = "slider"
    assert "le type « slider » n'est pas connu" in errors_of(document)


def test_choice_questions_need_two_choices_and_grids_items():
    document = small()
    question_of(document, "temps")["choices"] = [{"code": "seul", "label": "Seul"}]
    assert "il faut au moins deux choix" in errors_of(document)
    document = small()
    del question_of(document, "grille")["choices"]
    assert "il faut au moins deux colonnes" in errors_of(document)
    document = small()
    question_of(document, "grille")["items"] = []
    assert "une grille a au moins une ligne" in errors_of(document)


def test_autre_is_reserved_for_autre_precisez():
    document = small()
    question_of(document, "temps")["choices"].append({"code": "autre", "label": "Autre"})
    assert "le code « autre » est réservé à « Autre, précisez »" in errors_of(document)


def test_a_scale_goes_up_and_has_at_most_eleven_points():
    document = small()
    question_of(document, "note")["scale"].update(min=5, max=5)
    assert "le minimum de l'échelle doit être inférieur à son maximum" in errors_of(document)
    document = small()
    question_of(document, "note")["scale"].update(min=0, max=11)
    assert "une échelle a 11 points au plus" in errors_of(document)
    document = small()
    question_of(document, "note")["scale"]["min"] = "0"
    assert "sont des nombres entiers" in errors_of(document)


def test_number_bounds_are_coherent():
    document = small()
    question_of(document, "effectif")["number"].update(min=10, max=3)
    assert "le minimum doit être inférieur au maximum" in errors_of(document)
    document = small()
    question_of(document, "effectif")["number"]["max"] = "beaucoup"
    assert "le maximum doit être un nombre ou rester vide" in errors_of(document)


def test_a_condition_refers_to_an_earlier_question():
    document = small()
    question_of(document, "connait")["show_if"] = {"question": "temps", "in": ["diagnostic"]}
    assert "la condition porte sur « temps », qui n'est pas une question placée avant" in (
        errors_of(document)
    )
    document = small()
    question_of(document, "temps")["show_if"] = {"question": "temps", "in": ["diagnostic"]}
    assert "qui n'est pas une question placée avant" in errors_of(document)


def test_a_section_condition_refers_to_an_earlier_section():
    document = small()
    document["sections"][1]["show_if"] = {"question": "note", "in": ["1"]}
    assert "la condition porte sur « note », qui n'est pas une question placée avant" in (
        errors_of(document)
    )


def test_a_condition_needs_a_question_with_values():
    document = small()
    question_of(document, "libre")["show_if"] = {"question": "effectif", "in": ["3"]}
    assert "dont les réponses ne sont pas des choix" in errors_of(document)


def test_a_condition_tests_values_the_question_can_take():
    document = small()
    question_of(document, "temps")["show_if"] = {"question": "connait", "in": ["peut-etre"]}
    assert "la condition attend « peut-etre », qui n'est pas une réponse possible" in (
        errors_of(document)
    )
    document = small()
    question_of(document, "temps")["other"] = False
    assert "la condition attend « autre »" in errors_of(document)
    document = small()
    question_of(document, "temps")["show_if"] = {"question": "connait", "in": []}
    assert "donne au moins une valeur" in errors_of(document)


def test_labels_and_titles_are_not_empty():
    document = small()
    question_of(document, "libre")["label"] = "   "
    assert "l'intitulé ne peut pas être vide" in errors_of(document)
    document = small()
    question_of(document, "temps")["choices"][0]["label"] = ""
    assert "le libellé ne peut pas être vide" in errors_of(document)
    document = small()
    first_section(document)["title"] = ""
    assert "Section 1 (« connaissance ») : le titre ne peut pas être vide" in errors_of(document)


def test_sizes_are_bounded():
    document = small()
    extra = [
        {"code": f"q{n}", "kind": "text", "label": f"Q{n}", "required": False, "show_if": None}
        for n in range(d.MAX_QUESTIONS)
    ]
    document["sections"][1]["questions"].extend(extra)
    assert "300 questions au plus" in errors_of(document)
    document = small()
    question_of(document, "temps")["choices"] = [
        {"code": f"c{n}", "label": f"C{n}"} for n in range(d.MAX_CHOICES + 1)
    ]
    assert "100 choix au plus" in errors_of(document)


def test_unknown_or_misplaced_keys_are_refused():
    document = small()
    document["auteur"] = "moi"
    question_of(document, "libre")["choices"] = []
    errors = errors_of(document)
    assert "la clé « auteur » n'est pas connue" in errors
    assert "« choices » ne s'applique pas au type « Texte libre »" in errors


def test_a_document_that_is_not_an_object_is_refused():
    assert d.validate([]) == ["Le questionnaire doit être un objet JSON."]
    assert "« sections » doit être une liste" in errors_of({"title": "T", "sections": {}})


def test_the_helpers_find_questions_and_label_values():
    document = small()
    assert [q["code"] for q in d.all_questions(document)] == [
        "connait",
        "temps",
        "note",
        "effectif",
        "grille",
        "libre",
    ]
    temps = question_of(document, "temps")
    assert d.question(document, "absente") is None
    assert d.choice_label(temps, "traitement") == "Traitement"
    assert d.choice_label(temps, "autre") == "Autre, précisez"
    assert d.choice_label(question_of(document, "connait"), "nsp") == "Ne sait pas"
    assert d.choice_label(question_of(document, "effectif"), 12) == "12"
