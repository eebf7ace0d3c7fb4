from oncolien.directory.search.query import ServiceQuery, search_services
from oncolien.directory.tests.factories import make_service

from .conftest import ESPALION, NORD, keys


def test_a_word_without_accents_finds_the_accented_one(directory):
    found = keys(directory, search_services(ServiceQuery(words="dietetique")))
    assert "diet_espalion" in found


def test_case_does_not_matter(directory):
    lower = keys(directory, search_services(ServiceQuery(words="espace ligue")))
    upper = keys(directory, search_services(ServiceQuery(words="ESPACE LIGUE")))
    assert lower == upper == ["ligue_cooking", "aesthetics_castres"]


def test_diet_finds_the_dietitian_by_prefix(base_data):
    service = make_service(
        cpts=NORD,
        name="Suivi nutritionnel",
        organization="Claire Vidal, diététicienne",
        care_types=["nutrition"],
        commune=ESPALION,
    )
    assert [r.service.pk for r in search_services(ServiceQuery(words="diet")).results] == [
        service.pk
    ]


def test_every_word_must_be_found(directory):
    assert search_services(ServiceQuery(words="consultation castres")).total == 1
    assert search_services(ServiceQuery(words="consultation xylophone")).total == 0


def test_services_named_after_the_words_come_before_those_that_only_describe_them(directory):
    # « Atelier cuisine et nutrition » comes first by name, but only its care
    # type mentions « diététique »: the two consultations bear the word in their name.
    found = keys(directory, search_services(ServiceQuery(words="diététique")))
    assert found == ["diet_espalion", "diet_castres", "ligue_cooking"]


def test_words_reach_the_description_profession_and_commune(directory):
    assert keys(directory, search_services(ServiceQuery(words="oncologie"))) == ["diet_espalion"]
    # « psychologue » also finds the psychology of the care type « Soutien
    # psychologique des proches et des aidants » (the search vocabulary), after
    # the service whose name holds it.
    assert keys(directory, search_services(ServiceQuery(words="psychologue"))) == [
        "psy_villecomtal",
        "carers_laguiole",
    ]
    assert keys(directory, search_services(ServiceQuery(words="laguiole"))) == ["carers_laguiole"]


def test_inactive_services_are_never_found(directory):
    everything = keys(directory, search_services(ServiceQuery(page_size=100)))
    assert "inactive" not in everything
    assert search_services(ServiceQuery(words="ancienne")).total == 0
    assert len(everything) == len(directory) - 1
