"""The commune typed in the search box: a name, a postal code, an INSEE code."""

import pytest

from oncolien.directory.search.places import resolve_place

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "typed", ["Espalion", "espalion", "ESPALION", "12096", "Espalion (12)", "Espalion 12500"]
)
def test_a_commune_is_found_by_name_postal_code_or_insee_code(base_data, typed):
    place = resolve_place(typed)
    assert (place.commune.insee_code, place.error) == ("12096", "")


def test_a_postal_code_shared_by_several_communes_asks_which_one(base_data):
    place = resolve_place("12500")
    assert place.commune is None
    assert "Plusieurs communes ont le code postal 12500" in place.error
    assert "Espalion" in {commune.name for commune in place.candidates}


def test_a_name_borne_by_communes_of_several_departments_asks_for_the_department(base_data):
    place = resolve_place("Belcastel")
    assert place.commune is None
    assert "précisez le département" in place.error
    assert sorted(c.insee_code for c in place.candidates) == ["12024", "81025"]
    assert resolve_place("Belcastel (81)").commune.insee_code == "81025"
    assert resolve_place("belcastel 12").commune.insee_code == "12024"


def test_an_unknown_commune_says_so_and_suggests_close_names(base_data):
    place = resolve_place("Espal")
    assert "Aucune commune ne s'appelle « Espal »" in place.error
    assert "Espalion" in {commune.name for commune in place.candidates}
    nowhere = resolve_place("Zzyzx")
    assert nowhere.commune is None and not nowhere.candidates
    assert "Vérifiez l'orthographe" in nowhere.error


def test_an_unknown_postal_code_says_so(base_data):
    assert (
        "Aucune commune n'a le code postal ou le code INSEE 99999" in resolve_place("99999").error
    )
