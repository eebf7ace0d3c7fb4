import uuid

import pytest

from oncolien.directory.hsds.ids import ROOT_NAMESPACE, hsds_id
from oncolien.directory.services import location_save, service_save
from oncolien.directory.tests.factories import curator

pytestmark = pytest.mark.django_db


def test_identifiers_are_uuid5_of_the_primary_key_in_a_namespace_per_type():
    # Pinned: changing the namespace would change every identifier clients stored.
    assert hsds_id("service", 42) == "941cf919-b8a7-5ef3-acd5-de6d16a366c1"
    value = uuid.UUID(hsds_id("service", 42))
    assert value.version == 5
    assert value == uuid.uuid5(uuid.uuid5(ROOT_NAMESPACE, "service"), "42")
    assert hsds_id("organization", 42) != hsds_id("service", 42)


def test_a_service_keeps_its_identifiers_across_calls_and_edits(hsds, directory):
    service = directory.nutrition
    path = f"services/{hsds_id('service', service.pk)}"
    _, before = hsds(path)
    _, again = hsds(path)
    assert again == before

    service_save(
        actor=curator(),
        organization=service.organization,
        service=service,
        name="Consultations de diététique",
        care_types=service.care_types.all(),
        locations=service.locations.all(),
        cost="free",
    )
    location = service.locations.get()
    location_save(
        actor=curator(),
        organization=service.organization,
        commune=location.commune,
        location=location,
        address="4 avenue de la Gare",
    )
    _, after = hsds(path)
    assert after["name"] == "Consultations de diététique"
    assert after["last_modified"] > before["last_modified"]
    assert after["id"] == before["id"]
    assert after["organization_id"] == before["organization_id"]
    assert after["service_at_locations"][0]["id"] == before["service_at_locations"][0]["id"]
    assert (
        after["service_at_locations"][0]["location"]["id"]
        == (before["service_at_locations"][0]["location"]["id"])
    )
    assert after["service_at_locations"][0]["location"]["addresses"][0]["address_1"] == (
        "4 avenue de la Gare"
    )
    assert {a["id"] for a in after["attributes"]} == {a["id"] for a in before["attributes"]}


def test_a_change_to_a_place_alone_moves_the_service_last_modified(hsds, directory):
    service = directory.psychology
    path = f"services/{hsds_id('service', service.pk)}"
    _, before = hsds(path)
    location = service.locations.get()
    location_save(
        actor=curator(),
        organization=service.organization,
        commune=location.commune,
        location=location,
        opening_hours="Le mardi, 14 h – 18 h.",
    )
    _, after = hsds(path)
    assert after["last_modified"] > before["last_modified"]
    _, listed = hsds("services", modified_after=after["last_modified"])
    assert [item["name"] for item in listed["contents"]] == ["Soutien psychologique"]


def test_uppercase_identifiers_are_accepted(hsds, directory):
    wanted = hsds_id("service", directory.home_care.pk).upper()
    status, body = hsds(f"services/{wanted}")
    assert status == 200
    assert body["name"] == "Socio-esthétique à domicile"
