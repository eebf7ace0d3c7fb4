import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from oncolien.directory.hsds.ids import hsds_id
from oncolien.directory.hsds.taxonomy import CORE, TAXONOMY_ID, care_type_term_id, group_id
from oncolien.directory.models import Service
from oncolien.directory.services import organization_save
from oncolien.directory.tests.factories import curator, make_service
from oncolien.directory.tests.hsds.conformance import assert_page, assert_valid
from oncolien.reference.models import CareType

pytestmark = pytest.mark.django_db


def _names(body) -> list[str]:
    return [item["name"] for item in body["contents"]]


def test_the_api_says_which_hsds_version_it_serves(hsds):
    status, body = hsds("")
    assert status == 200
    assert body == {
        "version": "3.0",
        "profile": "https://github.com/openreferral/specification/tree/3.0/schema",
        "openapi_url": "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json",
    }


def test_the_service_list_is_a_standard_page_of_active_services_only(hsds, directory):
    status, body = hsds("services")
    assert status == 200
    assert_page(body, "/services")
    assert _names(body) == [
        "Consultations diététiques",
        "Socio-esthétique à domicile",
        "Soutien psychologique",
    ]
    assert body["total_items"] == 3
    assert "Atelier fermé" not in json.dumps(body, ensure_ascii=False)


def test_a_list_item_carries_the_service_fields_and_its_organization(hsds, directory):
    _, body = hsds("services", search="diététiques")
    (item,) = body["contents"]
    assert item["id"] == hsds_id("service", directory.nutrition.pk)
    assert item["status"] == "active"
    assert item["application_process"] == "Sur prescription médicale"
    assert item["fees_description"] == "Remboursé par l'Assurance Maladie"
    assert item["assured_date"] == "2025-03-14"
    assert item["accreditations"].startswith("Structure labellisée")
    assert item["eligibility_description"] == (
        "Public : personnes atteintes de cancer, proches et aidants. Phases du parcours : "
        "phase diagnostique, pendant le traitement, après le traitement."
    )
    assert item["organization"]["name"] == "Centre hospitalier d'Espalion"
    assert item["organization_id"] == item["organization"]["id"]


def test_paging_gives_page_two_with_the_totals(hsds, directory):
    _, body = hsds("services", page=2, per_page=2)
    assert_page(body, "/services")
    assert {key: body[key] for key in body if key != "contents"} == {
        "total_items": 3,
        "total_pages": 2,
        "page_number": 2,
        "size": 1,
        "first_page": False,
        "last_page": True,
        "empty": False,
    }
    assert _names(body) == ["Soutien psychologique"]
    _, first = hsds("services", page=1, per_page=2)
    assert first["first_page"] and not first["last_page"] and first["size"] == 2


def test_a_page_past_the_end_is_empty_not_an_error(hsds, directory):
    status, body = hsds("services", page=9)
    assert status == 200
    assert body["empty"] and body["size"] == 0 and body["contents"] == []
    assert body["total_items"] == 3


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ({"page": "0"}, "« page »"),
        ({"per_page": "abc"}, "« per_page »"),
        ({"per_page": "5000"}, "de 1 à 1000"),
        ({"full": "peut-être"}, "true ou false"),
        ({"taxonomy_term_id": "douleur"}, "identifiant UUID"),
        ({"modified_after": "hier"}, "date ISO 8601"),
        ({"format": "xml"}, "json ou ndjson"),
    ],
)
def test_a_bad_parameter_gets_a_french_400(hsds, directory, query, words):
    status, body = hsds("services", **query)
    assert status == 400
    assert words in body["detail"]


def test_the_full_list_nests_each_service_like_the_single_service(hsds, directory):
    _, body = hsds("services", full="true")
    assert_page(body, "/services")
    for item in body["contents"]:
        assert_valid(item, "compiled/service.json")
    _, single = hsds(f"services/{hsds_id('service', directory.nutrition.pk)}")
    assert body["contents"][0] == single


def test_minimal_lists_ids_and_modification_dates(hsds, directory):
    _, body = hsds("services", minimal="true")
    assert_page(body, "/services")
    assert set(body["contents"][0]) == {"id", "name", "status", "last_modified"}


def test_a_service_is_fully_nested_and_valid(hsds, directory):
    status, body = hsds(f"services/{hsds_id('service', directory.nutrition.pk)}")
    assert status == 200
    assert_valid(body, "compiled/service.json")
    assert body["email"] == "dietetique@ch-espalion.test"
    assert body["phones"][0]["number"]
    assert body["cost_options"] == [
        {
            "id": hsds_id("cost_option", directory.nutrition.pk),
            "service_id": body["id"],
            "option": "Remboursé par l'Assurance Maladie",
        }
    ]
    (link,) = body["service_at_locations"]
    location = link["location"]
    assert location["location_type"] == "physical"
    assert location["latitude"] == pytest.approx(directory.nutrition.locations.get().latitude)
    assert location["addresses"] == [
        {
            "id": hsds_id("address", location_pk := directory.nutrition.locations.get().pk),
            "location_id": hsds_id("location", location_pk),
            "address_1": "2 rue de l'Hôpital",
            "city": "Espalion",
            "region": "Occitanie",
            "state_province": "Aveyron",
            "postal_code": "12500",
            "country": "FR",
            "address_type": "physical",
        }
    ]
    assert location["accessibility"][0]["description"] == "Accès de plain-pied, place réservée."
    assert location["schedules"][0]["description"].startswith("Du lundi au vendredi")
    assert location["contacts"][0]["email"] == "accueil@ch-espalion.test"
    assert "approximative" in location["description"]


def test_a_remaining_cost_is_published_in_euros(hsds, directory):
    _, body = hsds(f"services/{hsds_id('service', directory.psychology.pk)}")
    assert body["fees_description"] == "Reste à charge : 25,00 € — par séance, après remboursement"
    (option,) = body["cost_options"]
    assert (option["currency"], option["amount"]) == ("EUR", 25.0)
    assert option["amount_description"] == "par séance, après remboursement"


def test_a_home_service_lists_the_communes_it_serves(hsds, directory):
    _, body = hsds(f"services/{hsds_id('service', directory.home_care.pk)}")
    assert_valid(body, "compiled/service.json")
    assert sorted(area["name"] for area in body["service_areas"]) == ["Espalion", "Laguiole"]
    assert "code INSEE 12119" in next(
        area["description"] for area in body["service_areas"] if area["name"] == "Laguiole"
    )


def test_an_unknown_or_malformed_or_withdrawn_service_id_is_a_json_404(hsds, directory):
    for wanted in (
        "0b6c63c0-7a1c-4e43-9d43-6f3c8a4a4a4a",
        "pas-un-uuid",
        hsds_id("service", directory.withdrawn.pk),
        hsds_id("service", 10**6),
    ):
        status, body = hsds(f"services/{wanted}")
        assert status == 404
        assert "Aucune offre publiée" in body["detail"]


def test_services_filter_by_care_type_term_and_by_basket_group(hsds, directory):
    nutrition = CareType.objects.get(code="nutrition")
    _, body = hsds("services", taxonomy_term_id=care_type_term_id(nutrition.pk))
    assert _names(body) == ["Consultations diététiques"]
    # The core-cares group: nutrition and psychology are core cares; socio-aesthetics is not.
    _, body = hsds("services", taxonomy_term_id=group_id(CORE))
    assert _names(body) == ["Consultations diététiques", "Soutien psychologique"]


def test_services_filter_by_taxonomy_and_organization(hsds, directory):
    _, body = hsds("services", taxonomy_id=TAXONOMY_ID)
    assert body["total_items"] == 3
    _, body = hsds("services", taxonomy_id="0b6c63c0-7a1c-4e43-9d43-6f3c8a4a4a4a")
    assert body["total_items"] == 0
    organization_id = hsds_id("organization", directory.psychology.organization.pk)
    _, body = hsds("services", organization_id=organization_id)
    assert _names(body) == ["Soutien psychologique"]


def test_filters_add_up(hsds, directory):
    nutrition = CareType.objects.get(code="nutrition")
    organization_id = hsds_id("organization", directory.psychology.organization.pk)
    _, body = hsds(
        "services",
        taxonomy_term_id=care_type_term_id(nutrition.pk),
        organization_id=organization_id,
    )
    assert body["total_items"] == 0


def test_search_is_the_directory_word_search_without_accents_or_case(hsds, directory):
    _, body = hsds("services", search="BILAN nutritionnel dietetiques")
    assert _names(body) == ["Consultations diététiques"]
    _, body = hsds("services", search="socio-esthetique")
    assert _names(body) == ["Socio-esthétique à domicile"]
    _, body = hsds("services", search="cabinet castres")
    assert _names(body) == ["Soutien psychologique"]
    _, body = hsds("services", search="kinésithérapie")
    assert body["total_items"] == 0


def test_modified_after_keeps_what_changed_since(hsds, directory):
    later = timezone.now() + timedelta(minutes=5)
    _, body = hsds("services", modified_after=later.isoformat())
    assert body["total_items"] == 0
    earlier = timezone.now() - timedelta(days=1)
    _, body = hsds("services", modified_after=earlier.date().isoformat())
    assert body["total_items"] == 3


def test_ndjson_streams_every_service_without_pages(client, directory):
    response = client.get("/hsds/services", {"format": "ndjson"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/x-ndjson")
    lines = b"".join(response.streaming_content).decode().splitlines()
    items = [json.loads(line) for line in lines]
    assert [item["name"] for item in items] == [
        "Consultations diététiques",
        "Socio-esthétique à domicile",
        "Soutien psychologique",
    ]
    for item in items:
        assert_valid(item, "compiled/service_list.json")


def test_paths_take_an_optional_trailing_slash_and_unknown_paths_answer_json(hsds, directory):
    assert hsds("services/")[1]["total_items"] == 3
    status, body = hsds("servicez")
    assert status == 404
    assert body == {"detail": "Le chemin « /hsds/servicez » n'existe pas dans l'API HSDS."}


def test_any_web_page_may_read_the_open_data(client, directory):
    assert client.get("/hsds/services")["Access-Control-Allow-Origin"] == "*"


def test_the_api_is_read_only(client, directory):
    response = client.post("/hsds/services", {})
    assert response.status_code == 405
    assert Service.objects.count() == 5


def _more_services(count: int, offset: int = 0) -> None:
    for number in range(offset, offset + count):
        make_service(
            cpts="cpts-sud-tarn",
            name=f"Activité physique adaptée {number:02d}",
            organization=f"Club sport-santé {number:02d}",
            care_types=["physical_activity", "pain"],
            commune="81163",
            cost="free",
            is_home_service=True,
            communes_served=[],
        )


@pytest.mark.parametrize(
    "path", ["services?full=true", "organizations?full_service=true", "service_at_locations?full=1"]
)
def test_a_full_page_costs_the_same_number_of_queries_whatever_its_size(
    client, directory, django_assert_max_num_queries, path
):
    def queries_for_one_page() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/hsds/{path}").status_code == 200
        return len(captured)

    few = queries_for_one_page()
    _more_services(12)
    assert queries_for_one_page() == few
    with django_assert_max_num_queries(16):
        client.get(f"/hsds/{path}")


def test_a_demonstration_entry_warns_that_its_contacts_are_invented(hsds, directory):
    organization = directory.home_care.organization
    organization_save(
        actor=curator(),
        cpts=organization.cpts,
        organization=organization,
        name=organization.name,
        kind=organization.kind,
        is_fictitious=True,
    )
    _, body = hsds(f"services/{hsds_id('service', directory.home_care.pk)}")
    assert body["alert"] == (
        "Données de démonstration : les coordonnées de cette structure sont fictives."
    )
    _, other = hsds(f"services/{hsds_id('service', directory.psychology.pk)}")
    assert "alert" not in other
