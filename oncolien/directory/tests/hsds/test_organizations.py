import pytest

from oncolien.directory.hsds.ids import hsds_id
from oncolien.directory.hsds.taxonomy import care_type_term_id
from oncolien.directory.tests.hsds.conformance import assert_page, assert_valid
from oncolien.reference.models import CareType

pytestmark = pytest.mark.django_db


def _names(body) -> list[str]:
    return [item["name"] for item in body["contents"]]


def test_only_organizations_with_an_active_service_are_listed(hsds, directory):
    status, body = hsds("organizations")
    assert status == 200
    assert_page(body, "/organizations")
    assert _names(body) == [
        "Association Bien-être Aubrac",
        "Cabinet de psychologie de Castres",
        "Centre hospitalier d'Espalion",
    ]
    hidden = hsds_id("organization", directory.hidden_organization.pk)
    assert hsds(f"organizations/{hidden}")[0] == 404


def test_an_organization_carries_its_siret_finess_and_rpps(hsds, directory):
    organization = directory.nutrition.organization
    status, body = hsds(f"organizations/{hsds_id('organization', organization.pk)}")
    assert status == 200
    assert_valid(body, "compiled/organization.json")
    identifiers = {
        item["identifier_type"]: (item.get("identifier_scheme"), item["identifier"])
        for item in body["organization_identifiers"]
    }
    assert identifiers == {
        "SIRET": ("FR-RCS", "73282932000074"),
        "FINESS": (None, "120780012"),
        "RPPS": (None, "10003456789"),
    }
    assert (body["website"], body["email"]) == (
        "https://ch-espalion.test/",
        "contact@ch-espalion.test",
    )


def test_an_organization_lists_its_active_services_briefly_unless_full_service(hsds, directory):
    organization_id = hsds_id("organization", directory.nutrition.organization.pk)
    _, body = hsds(f"organizations/{organization_id}")
    assert [service["name"] for service in body["services"]] == ["Consultations diététiques"]
    assert "attributes" not in body["services"][0]
    _, full = hsds(f"organizations/{organization_id}", full_service="true")
    assert_valid(full, "compiled/organization.json")
    (service,) = full["services"]
    assert service["attributes"] and service["service_at_locations"]


def test_the_full_list_nests_each_organization(hsds, directory):
    _, body = hsds("organizations", full="true", per_page=2)
    assert_page(body, "/organizations")
    assert body["total_pages"] == 2
    for item in body["contents"]:
        assert_valid(item, "compiled/organization.json")
        assert item["locations"][0]["addresses"][0]["country"] == "FR"


def test_organizations_filter_by_words_and_by_care_type(hsds, directory):
    _, body = hsds("organizations", search="bien etre AUBRAC")
    assert _names(body) == ["Association Bien-être Aubrac"]
    term = care_type_term_id(CareType.objects.get(code="socio_aesthetics").pk)
    _, body = hsds("organizations", taxonomy_term_id=term)
    assert _names(body) == ["Association Bien-être Aubrac"]


def test_an_unknown_organization_is_a_json_404(hsds, directory):
    status, body = hsds("organizations/0b6c63c0-7a1c-4e43-9d43-6f3c8a4a4a4a")
    assert status == 404
    assert "Aucune structure publiée" in body["detail"]
