"""The accent- and case-blind patterns behind the `name` parameter."""

import re

import pytest

from oncolien.fhir.search_params import Token, parse_token, split_unescaped
from oncolien.fhir.text_folding import fold, folding_pattern


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("eveil", "Éveil corporel"),
        ("EVEIL", "éveil"),
        ("Eveil", "ÉVEIL"),
        ("saint affrique", "Saint-Affrique"),
        ("l espace", "l’Espace Ligue"),
        ("coeur de garonne", "Cœur de Garonne"),
        ("cœur", "Coeur"),
        ("dietetique", "Diététique"),
    ],
)
def test_pattern_matches_every_spelling(typed, stored):
    assert re.search(folding_pattern(typed, anchored=True), stored)


def test_starts_with_is_anchored_and_contains_is_not():
    assert not re.search(folding_pattern("corporel", anchored=True), "Éveil corporel")
    assert re.search(folding_pattern("corporel", anchored=False), "Éveil corporel")


def test_punctuation_is_taken_literally():
    pattern = folding_pattern("soins (ETP) 1.5", anchored=True)
    assert re.search(pattern, "Soins (ETP) 1.5")
    assert not re.search(pattern, "Soins xETPx 1x5")


def test_fold_lowers_strips_accents_and_separators():
    assert fold("  Saint-Étienne d’Œuvre ") == "saint etienne d oeuvre"


def test_tokens_and_escapes():
    assert parse_token("nutrition") == Token(None, "nutrition")
    assert parse_token("http://s|nutrition") == Token("http://s", "nutrition")
    assert parse_token("|nutrition") == Token("", "nutrition")
    assert parse_token("http://s|") == Token("http://s", None)
    assert split_unescaped(r"a\,b,c", ",") == [r"a\,b", "c"]
