"""The two field surveys, shipped as templates: they load, validate, and keep the
conditional structure of their documents."""

import pytest

from oncolien.surveys import field_templates
from oncolien.surveys.conditions import shown_questions
from oncolien.surveys.definition import all_questions, question, validate

SOS_KNOWLEDGE = {
    "temps_parcours",
    "types_sos",
    "ressources_consultees",
    "ressources_sources",
    "acteurs_oncologie",
}


@pytest.mark.parametrize("code", list(field_templates.TEMPLATES))
def test_each_template_loads_and_validates(code):
    definition = field_templates.load(code)
    assert validate(definition) == []
    assert all_questions(definition)
    # A fresh copy each time: editing one survey's version never changes the template.
    definition["sections"].clear()
    assert field_templates.load(code)["sections"]


def test_the_sos_survey_has_its_five_parts():
    titles = [s["title"] for s in field_templates.load("sos-2025")["sections"]]
    assert titles == [
        "Votre CPTS et vous",
        "Connaissance des SOS",
        "Connaissances générales sur les SOS",
        "État des lieux des actions mises en œuvre",
        "Acteurs & ressources",
        "Limites au déploiement d'action",
        "Les attentes & perspectives",
    ]


def test_the_sos_knowledge_questions_are_shown_only_to_those_who_know_sos():
    definition = field_templates.load("sos-2025")
    knows = shown_questions(definition, {"connait_sos": "oui", "ressources_consultees": "oui"})
    assert knows >= SOS_KNOWLEDGE
    for answer in ("non", "nsp"):
        shown = shown_questions(definition, {"connait_sos": answer})
        assert not SOS_KNOWLEDGE & shown
        assert "connait_sos" in shown and "freins" in shown
    # The sources consulted are asked of those who consulted some.
    assert "ressources_sources" not in shown_questions(
        definition, {"connait_sos": "oui", "ressources_consultees": "non"}
    )


def test_the_sos_resources_are_asked_of_cpts_with_actions_and_reasons_of_the_others():
    definition = field_templates.load("sos-2025")
    with_actions = shown_questions(definition, {"actions_engagees": "oui"})
    without = shown_questions(definition, {"actions_engagees": "non"})
    assert {"actions_types", "financement", "professionnels_mobilises"} <= with_actions
    assert not {"raisons_aucune_action", "souhait_actions"} & with_actions
    assert {"raisons_aucune_action", "souhait_actions"} <= without
    assert not {"actions_types", "professionnels_mobilises"} & without


def test_the_sos_template_uses_the_documents_wording():
    definition = field_templates.load("sos-2025")
    knows = question(definition, "connait_sos")
    assert knows is not None
    assert knows["label"] == "Connaissez-vous les soins oncologiques de support (SOS) ?"
    reasons = question(definition, "raisons_aucune_action")
    assert reasons is not None
    assert "Ce n'est pas inscrit dans le projet de santé de la CPTS" in [
        c["label"] for c in reasons["choices"]
    ]
    # Where the document gives no full list, the help says so.
    actors = question(definition, "acteurs_oncologie")
    assert actors is not None and "Liste partielle" in actors["help"]


def test_the_barometre_has_its_questions_de_reference():
    definition = field_templates.load("barometre-2024")
    labels = {q["code"]: q["label"] for q in all_questions(definition)}
    assert labels["taille"] == "Quelle est la taille de votre CPTS ?"
    assert labels["departement"] == "Quel est le département de votre CPTS ?"
    assert labels["role"] == "Quel rôle occupez-vous au sein de la CPTS ?"
    assert labels["volets"] == "Sur quels volets participez-vous dans la CPTS ?"
    departement = question(definition, "departement")
    assert departement is not None and len(departement["choices"]) == 13
    taille = question(definition, "taille")
    assert taille is not None
    assert [c["label"] for c in taille["choices"]] == [f"Taille {n}" for n in range(1, 5)]
    assert "Le rapport ne donne pas la liste des volets" in str(question(definition, "volets"))


def test_the_barometre_asks_each_group_its_own_questions():
    definition = field_templates.load("barometre-2024")
    professional = shown_questions(
        definition, {"groupe": "health_professional", "role": "gouvernance"}
    )
    coordinator = shown_questions(definition, {"groupe": "coordination"})
    assert {"role", "volets", "responsabilites"} <= professional
    assert "anciennete" not in professional
    assert {"anciennete", "type_coordination"} <= coordinator
    assert "role" not in coordinator
    assert "raisons_non_participation" in shown_questions(
        definition, {"groupe": "health_professional", "role": "non-participant"}
    )


def test_reference_answers_use_the_codes_of_the_register_and_of_responses():
    # So that an answer and the CPTS register (or Response.group) compare directly.
    from oncolien.surveys.models import RespondentGroup, SizeClass

    barometre = field_templates.load("barometre-2024")
    sos = field_templates.load("sos-2025")
    groups = {value for value, _label in RespondentGroup.choices}
    for definition, code in ((barometre, "groupe"), (sos, "profil")):
        found = question(definition, code)
        assert found is not None and {c["code"] for c in found["choices"]} == groups
    taille = question(barometre, "taille")
    assert taille is not None
    assert [c["code"] for c in taille["choices"]] == [str(v) for v in SizeClass.values]
    departement = question(sos, "departement")
    assert departement is not None and departement["choices"][0]["code"] == "09"
