import pytest

from oncolien.directory.search.query import ServiceQuery, search_services

from .conftest import ESPALION, keys


def around_espalion(directory, radius_km=None, **criteria):
    page = search_services(
        ServiceQuery(commune=ESPALION, radius_km=radius_km, page_size=100, **criteria)
    )
    return {keys(directory, page)[i]: r.distance_km for i, r in enumerate(page.results)}


def test_a_service_15_km_away_is_in_at_20_km_and_out_at_10_km(directory):
    assert around_espalion(directory, 20)["psy_villecomtal"] == pytest.approx(15.1, abs=0.1)
    assert "psy_villecomtal" not in around_espalion(directory, 10)


def test_results_come_nearest_first_with_their_distance(directory):
    distances = list(around_espalion(directory, 50).values())
    assert distances == sorted(distances)
    assert around_espalion(directory, 50)["carers_laguiole"] == pytest.approx(21.1, abs=0.1)


def test_a_home_service_is_as_near_as_the_communes_it_serves(directory):
    # Its office is in Rodez, 23.7 km away, but it comes to Espalion.
    assert around_espalion(directory, 10)["physio_home"] == pytest.approx(0.0, abs=0.01)


def test_a_commune_without_radius_keeps_the_services_there(directory):
    assert set(around_espalion(directory)) == {"ligue_cooking", "diet_espalion", "physio_home"}


def test_distance_combines_with_filters(directory):
    assert set(around_espalion(directory, 20, care_types=["physical_activity"])) == {
        "physio_home",
        "apa_bozouls",
    }


def test_the_page_says_where_and_how_far(directory):
    page = search_services(ServiceQuery(commune=ESPALION, radius_km=20))
    assert (page.origin.name, page.radius_km) == ("Espalion", 20)
