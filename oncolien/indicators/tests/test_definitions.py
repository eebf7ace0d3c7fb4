"""The definitions file is validated as a whole, with every problem in French."""

import json

import pytest

from oncolien.indicators.definitions import DEFAULT_PATH, DefinitionsError, current, parse
from oncolien.indicators.figures import COMPUTATIONS


def shipped() -> dict:
    return json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))


def refused(document) -> list[str]:
    raw = document if isinstance(document, bytes) else json.dumps(document).encode()
    with pytest.raises(DefinitionsError) as caught:
        parse(raw, source="test.json")
    assert "est refusé, rien n'en est utilisé" in str(caught.value)
    return caught.value.errors


def test_the_shipped_file_defines_every_computed_indicator():
    definitions = current()
    assert {i.code for i in definitions.indicators} == set(COMPUTATIONS)
    for indicator in definitions.indicators:
        assert indicator.name and indicator.definition and indicator.numerator
        assert indicator.period_rule and indicator.source.title


def test_every_problem_is_listed_at_once():
    document = shipped()
    first, second = document["indicators"][0], document["indicators"][1]
    first["unit"] = "pourcentage"
    second["source"] = "inconnue"
    del second["numerator"]
    errors = refused(document)
    assert any("unité « pourcentage » inconnue" in e for e in errors)
    assert any("la clé « numerator » manque" in e for e in errors)


def test_an_indicator_nothing_computes_is_refused():
    document = shipped()
    document["indicators"].append({**document["indicators"][0], "code": "imaginaire"})
    assert "Indicateur « imaginaire » : aucun calcul ne porte ce code dans OncoLien." in refused(
        document
    )


def test_a_computation_without_definition_is_refused():
    document = shipped()
    removed = document["indicators"].pop()
    assert f"Le calcul « {removed['code']} » n'a pas de définition dans le fichier." in refused(
        document
    )


def test_a_share_needs_its_denominator_and_codes_are_unique():
    document = shipped()
    document["indicators"][0]["denominator"] = " "
    document["indicators"][1]["code"] = document["indicators"][2]["code"]
    errors = refused(document)
    assert any("se lit sur un dénominateur" in e for e in errors)
    assert any("le code est déjà pris" in e for e in errors)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"\xff\xfe", "Le fichier n'est pas encodé en UTF-8."),
        (b"{", "JSON invalide"),
        (b"[]", "Le document doit être un objet JSON."),
        (b'{"version": "1"}', "Document : la clé « about » manque."),
    ],
)
def test_unreadable_files_are_refused_in_french(raw, message):
    assert any(message in error for error in refused(raw))


def test_the_shipped_file_defines_every_breakdown_with_its_columns():
    from oncolien.indicators.breakdowns import BREAKDOWNS

    definitions = current()
    assert {b.code: tuple(c.code for c in b.columns) for b in definitions.breakdowns} == {
        code: computation.columns for code, computation in BREAKDOWNS.items()
    }
    for breakdown in definitions.breakdowns:
        assert breakdown.rows and breakdown.period_rule and breakdown.source.title
        for column in breakdown.columns:
            assert column.numerator and (column.denominator or column.unit in ("count", "euros"))


def test_a_breakdown_nothing_computes_or_without_definition_is_refused():
    document = shipped()
    removed = document["breakdowns"].pop(0)
    document["breakdowns"].append({**document["breakdowns"][0], "code": "imaginaire"})
    errors = refused(document)
    assert "Répartition « imaginaire » : aucun calcul ne porte ce code dans OncoLien." in errors
    assert (
        f"Le calcul de répartition « {removed['code']} » n'a pas de définition dans le fichier."
        in errors
    )


def test_a_breakdown_must_give_its_computation_s_columns():
    document = shipped()
    referrals = next(b for b in document["breakdowns"] if b["code"] == "referrals_by_care_type")
    referrals["columns"].reverse()
    errors = refused(document)
    assert (
        "Répartition « referrals_by_care_type » : les colonnes doivent être, dans cet ordre : "
        "referrals, accepted, honoured, days_to_care (le fichier donne : days_to_care, "
        "honoured, accepted, referrals)." in errors
    )


def test_a_breakdown_column_is_checked_like_an_indicator():
    document = shipped()
    first, second = document["breakdowns"][0], document["breakdowns"][1]
    first["columns"][0]["unit"] = "pourcentage"
    first["columns"][1]["denominator"] = ""
    second["chart"] = "nulle_part"
    second["code"] = "intake_inclusion"
    del document["breakdowns"][2]["rows"]
    errors = refused(document)
    where = f"Répartition « {first['code']} », colonne n° "
    assert (
        f"{where}1 : unité « pourcentage » inconnue ; unités possibles : count, days, euros, hours, proportion, score."
        in errors
    )
    assert f"{where}2 : une part se lit sur un dénominateur : décrivez-le." in errors
    assert (
        "Répartition « intake_inclusion » : le code est déjà pris par un autre indicateur."
        in errors
    )
    assert (
        "Répartition « intake_inclusion » : le graphique porte sur une colonne inconnue « nulle_part »."
        in errors
    )
    assert "Répartition n° 3 : la clé « rows » manque." in errors
