"""The search vocabulary is versioned reference data, validated as a whole."""

import json

import pytest

from oncolien.directory.search.vocabulary import (
    DEFAULT_PATH,
    VocabularyError,
    parse_vocabulary,
)
from oncolien.reference.models import CareType, Profession


def shipped() -> dict:
    return json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))


def parse(document: dict, **known):
    return parse_vocabulary(json.dumps(document).encode(), source="essai.json", **known)


@pytest.mark.django_db
def test_the_shipped_vocabulary_covers_every_care_type_of_the_reference(base_data):
    vocabulary = parse_vocabulary(
        DEFAULT_PATH.read_bytes(),
        care_types=CareType.objects.values_list("code", flat=True),
        professions=Profession.objects.values_list("code", flat=True),
    )
    assert vocabulary.version
    # The forms the issue names are words of the vocabulary.
    for written in [
        "infirmière",
        "infirmier",
        "diététicienne",
        "diététicien",
        "psychologue",
        "assistante sociale",
        "assistant social",
        "socio-esthéticienne",
        "sophrologue",
        "sophrologie",
        "enseignant·e APA",
        "APA",
        "kiné",
        "psy",
        "IDE",
        "IDEL",
        "perdre du poids",
        "moral",
        "fatigue",
        "reprise du travail",
        "perruque",
    ]:
        assert vocabulary.expand(list(_stems(written)))[0][1], written


def _stems(written: str):
    from oncolien.directory.search import text

    return [text.stem(word) for word in text.query_words(written)]


def test_a_file_with_mistakes_is_refused_with_every_problem_in_french():
    document = shipped()
    document["version"] = ""
    document["entries"][0]["care_types"] = ["pain", "acupuncture"]
    document["entries"][1]["finds"] = []
    del document["entries"][2]["words"]
    document["entries"][3]["code"] = document["entries"][4]["code"]
    document["entries"][5]["colour"] = "bleu"
    document["entries"][6]["words"].append("!!!")
    with pytest.raises(VocabularyError) as refused:
        known = {code for entry in shipped()["entries"] for code in entry.get("care_types", [])}
        known.discard("pain")
        parse(document, care_types=[*known, "pain_new"], professions=None)
    assert str(refused.value).startswith(
        "Le vocabulaire de recherche essai.json est refusé, rien n'en est utilisé :"
    )
    errors = refused.value.errors
    assert "La version ne doit pas être vide." in errors
    assert "entries[0] (« pain ») : soin de support inconnu du référentiel : « pain »." in errors
    assert "entries[0] (« pain ») : soin de support inconnu du référentiel : « acupuncture »." in (
        errors
    )
    assert any("la liste « finds » ne doit pas être vide" in error for error in errors)
    assert any("« words » manque" in error for error in errors)
    assert any("apparaît deux fois" in error for error in errors)
    assert any("clé inconnue « colour »" in error for error in errors)
    assert any("« !!! » (words) ne contient aucun mot cherchable" in error for error in errors)
    assert "Le soin « pain_new » du référentiel n'a aucune entrée dans le vocabulaire." in (errors)


def test_a_file_that_is_not_json_is_refused_in_french():
    with pytest.raises(VocabularyError) as refused:
        parse_vocabulary(b"{", source="essai.json")
    assert refused.value.errors[0].startswith("JSON invalide ligne 1")
