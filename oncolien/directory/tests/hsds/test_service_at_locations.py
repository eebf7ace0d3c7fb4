import pytest

from oncolien.directory.hsds.ids import hsds_id
from oncolien.directory.tests.hsds.conformance import assert_page, assert_valid

pytestmark = pytest.mark.django_db


def _services(body) -> list[str]:
    return [item["service"]["name"] for item in body["contents"]]


def test_each_active_service_at_each_of_its_places_is_listed(hsds, directory):
    status, body = hsds("service_at_locations")
    assert status == 200
    assert_page(body, "/service_at_locations")
    assert _services(body) == [
        "Consultations diététiques",
        "Socio-esthétique à domicile",
        "Soutien psychologique",
    ]
    first = body["contents"][0]
    assert first["service_id"] == first["service"]["id"]
    assert first["location_id"] == first["location"]["id"]


def test_a_service_at_location_is_fully_nested(hsds, directory):
    link = directory.psychology.service_at_locations.get()
    status, body = hsds(f"service_at_locations/{hsds_id('service_at_location', link.pk)}")
    assert status == 200
    # The standard's openapi.json names compiled/service.json as this response, a slip
    # corrected upstream (openreferral/specification PR #574, merged 2026-01-16): the
    # endpoint returns a service_at_location.
    assert_valid(body, "compiled/service_at_location.json")
    assert body["service"]["name"] == "Soutien psychologique"
    assert body["location"]["addresses"][0]["city"] == "Castres"
    assert body["service"]["attributes"][0]["taxonomy_term"]["code"] == "psychological"


def test_the_full_list_is_valid(hsds, directory):
    _, body = hsds("service_at_locations", full="true")
    assert_page(body, "/service_at_locations")
    for item in body["contents"]:
        assert_valid(item, "compiled/service_at_location.json")


def test_a_withdrawn_service_has_no_service_at_location(hsds, directory):
    link = directory.withdrawn.service_at_locations.get()
    status, body = hsds(f"service_at_locations/{hsds_id('service_at_location', link.pk)}")
    assert status == 404
    assert "Aucune offre en un lieu" in body["detail"]


def test_a_postcode_finds_the_places_there_and_the_home_services_covering_it(hsds, directory):
    # Espalion (12500): the hospital is there; the socio-aesthetician comes from Laguiole.
    _, body = hsds("service_at_locations", postcode="12500")
    assert _services(body) == ["Consultations diététiques", "Socio-esthétique à domicile"]
    _, body = hsds("service_at_locations", postcode="81100")
    assert _services(body) == ["Soutien psychologique"]


def test_proximity_widens_a_postcode_to_a_radius_in_metres(hsds, directory):
    # Laguiole is about 20 km from Espalion as the crow flies.
    _, near = hsds("service_at_locations", postcode="12210", proximity="5000")
    assert _services(near) == ["Socio-esthétique à domicile"]
    _, wide = hsds("service_at_locations", postcode="12210", proximity="30000")
    assert _services(wide) == ["Consultations diététiques", "Socio-esthétique à domicile"]


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ({"postcode": "12"}, "code postal à 5 chiffres"),
        ({"proximity": "1000"}, "s'emploie avec « postcode »"),
        ({"postcode": "12500", "proximity": "loin"}, "nombre positif"),
    ],
)
def test_bad_place_parameters_get_a_french_400(hsds, directory, query, words):
    status, body = hsds("service_at_locations", **query)
    assert status == 400
    assert words in body["detail"]
