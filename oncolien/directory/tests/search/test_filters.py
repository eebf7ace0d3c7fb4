import pytest

from oncolien.directory.search.query import InvalidSearch, ServiceQuery, search_services

from .conftest import SUD, keys


def found(directory, **criteria) -> set[str]:
    return set(keys(directory, search_services(ServiceQuery(page_size=100, **criteria))))


def test_care_type_keeps_the_services_offering_it(directory):
    assert found(directory, care_types=["physical_activity"]) == {"apa_bozouls", "physio_home"}


def test_several_care_types_mean_any_of_them(directory):
    expected = {"psy_villecomtal", "aesthetics_castres"}
    assert found(directory, care_types=["psychological", "socio_aesthetics"]) == expected
    assert found(directory, care_types=["psychological,socio_aesthetics"]) == expected


def test_profession(directory):
    assert found(directory, professions=["dietitian"]) == {"diet_espalion", "diet_castres"}


def test_cpts_is_the_curating_cpts(directory):
    assert found(directory, cpts=SUD) == {"diet_castres", "aesthetics_castres"}


def test_label(directory):
    assert found(directory, label="maison_sport_sante") == {"apa_bozouls"}


def test_free_means_free_for_the_patient(directory):
    # Funded by an association counts as free; reimbursed or with a remaining cost does not.
    assert found(directory, free_only=True) == {
        "ligue_cooking",
        "apa_bozouls",
        "carers_laguiole",
        "aesthetics_castres",
    }


def test_audience(directory):
    assert found(directory, audience="relatives") == {"ligue_cooking", "carers_laguiole"}
    assert "carers_laguiole" not in found(directory, audience="patients")


def test_phase(directory):
    assert "psy_villecomtal" not in found(directory, phase="diagnosis")
    assert "psy_villecomtal" in found(directory, phase="after_treatment")


def test_filters_combine(directory):
    assert found(directory, care_types=["nutrition"], free_only=True, audience="relatives") == {
        "ligue_cooking"
    }


@pytest.mark.parametrize(
    ("criteria", "field", "message"),
    [
        ({"care_types": ["massage"]}, "care_type", "Soin de support inconnu : massage"),
        ({"professions": ["wizard"]}, "profession", "Profession inconnue : wizard"),
        ({"cpts": "cpts-imaginaire"}, "cpts", "Aucune CPTS ne porte l'identifiant"),
        ({"label": "etoile"}, "label", "Label inconnu : etoile"),
        ({"audience": "tous"}, "audience", "Public inconnu"),
        ({"phase": "remission"}, "phase", "Phase inconnue"),
        ({"commune": "99999"}, "commune", "Aucune commune ne porte le code INSEE 99999"),
        ({"radius_km": 10}, "commune", "Indiquez la commune"),
        ({"commune": "12096", "radius_km": 500}, "radius_km", "Le rayon de recherche"),
        ({"page": 0}, "page", "Le numéro de page commence à 1"),
        ({"page_size": 101}, "page_size", "de 1 à 100"),
    ],
)
def test_a_criterion_that_cannot_be_searched_says_why_in_french(
    directory, criteria, field, message
):
    with pytest.raises(InvalidSearch) as raised:
        search_services(ServiceQuery(**criteria))
    assert raised.value.field == field
    assert message in str(raised.value)
