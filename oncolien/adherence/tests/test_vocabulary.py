"""The vocabulary file is refused as a whole, with every problem said in French."""

import json

import pytest

from oncolien.adherence.vocabulary import (
    VOCABULARY_FILE,
    VocabularyError,
    validate_vocabulary,
    vocabulary,
)


def test_the_shipped_file_is_valid_and_names_the_field_documents_side_effects():
    terms = vocabulary()
    labels = {term.label for term in terms.side_effects}
    assert {"Bouffées de chaleur", "Douleurs articulaires", "Sécheresse vaginale"} <= labels
    assert [d.label for d in terms.drugs][:4] == [
        "Tamoxifène",
        "Anastrozole",
        "Létrozole",
        "Exémestane",
    ]
    assert terms.reminder_days_before == 2


def test_a_broken_file_lists_every_problem():
    data = json.loads(VOCABULARY_FILE.read_text(encoding="utf-8"))
    data["side_effects"].append({"code": "fatigue", "label": ""})
    data["alerts"].append({"rule": "adherence_unknown", "when": "sometimes"})
    data["reminder_days_before"] = 40
    with pytest.raises(VocabularyError) as error:
        validate_vocabulary(data)
    problems = error.value.errors
    assert "« reminder_days_before » doit être un nombre de jours entre 0 et 14." in problems
    assert any("le code « fatigue » est en double" in p for p in problems)
    assert any("« adherence_unknown » n'est pas une règle d'alerte connue" in p for p in problems)
    assert any("condition « sometimes » inconnue" in p for p in problems)
