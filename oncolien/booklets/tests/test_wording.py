"""The patient wording of the alert signs is versioned data, validated as a whole."""

import copy
import json

import pytest

from oncolien.booklets.wording import (
    SIGNS_FILE,
    WordingError,
    patient_wording,
    signs_for,
    validate_wording,
)


def _data():
    return json.loads(SIGNS_FILE.read_text(encoding="utf-8"))


def test_the_shipped_file_covers_every_sheet_rule():
    wording = patient_wording()
    assert wording.version == "2026.1"
    assert {"fever", "refractory_vomiting", "pain", "venous_access"} <= {
        s.code for s in wording.signs
    }


def test_the_fever_threshold_is_the_cpts_protocols():
    from decimal import Decimal

    assert signs_for(Decimal("38.5"))[0][0].startswith("Température à 38,5 °C")


def test_every_problem_is_listed_in_french():
    data = copy.deepcopy(_data())
    del data["signs"]["fever"]
    data["signs"]["unknown_rule"] = {"sign": "x", "what_to_do": "y", "sources": [{"title": "t"}]}
    data["signs"]["pain"]["what_to_do"] = "Appelez le {numero}"
    data["signs"]["venous_access"]["sources"] = []
    data.pop("review")
    with pytest.raises(WordingError) as raised:
        validate_wording(data)
    errors = raised.value.errors
    assert "Règle « fever » : texte pour le patient manquant." in errors
    assert "« unknown_rule » n'est pas une règle d'alerte connue." in errors
    assert any("« {numero} » n'est pas une valeur connue" in e for e in errors)
    assert any("venous_access" in e and "source" in e for e in errors)
    assert any("« review » manquante" in e for e in errors)
