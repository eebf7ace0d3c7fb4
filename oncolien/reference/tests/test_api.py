import pytest

from oncolien.reference.models import CareType, ReferenceDataVersion

pytestmark = pytest.mark.django_db

API = "/api/v1/reference"


def test_care_types_lists_active_cares_with_professions(client):
    response = client.get(f"{API}/care-types")

    assert response.status_code == 200
    cares = {item["code"]: item for item in response.json()["results"]}
    assert sum(1 for item in cares.values() if item["basket"]) == 9
    assert sum(1 for item in cares.values() if item["is_core"]) == 4
    assert {"code": "dietitian", "name": "Diététicien"} in cares["nutrition"]["professions"]
    assert cares["socio_aesthetics"]["basket"] is False


def test_care_type_detail_by_code(client):
    response = client.get(f"{API}/care-types/fertility")

    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Préservation de la fertilité"
    assert body["basket"] is True
    assert body["is_core"] is False
    assert "midwife" in {item["code"] for item in body["professions"]}


def test_unknown_care_type_answers_404_in_french(client):
    response = client.get(f"{API}/care-types/astrologie")

    assert response.status_code == 404
    assert response.json()["detail"] == "Aucun soin de support n'a le code « astrologie »."


def test_withdrawn_care_type_still_resolves_but_is_not_listed(client):
    CareType.objects.filter(code="sophrology").update(active=False)

    listed = {item["code"] for item in client.get(f"{API}/care-types").json()["results"]}
    detail = client.get(f"{API}/care-types/sophrology")

    assert "sophrology" not in listed
    assert detail.status_code == 200
    assert detail.json()["active"] is False


def test_professions_list_the_cares_each_may_deliver(client):
    response = client.get(f"{API}/professions", {"page_size": 100})

    assert response.status_code == 200
    professions = {item["code"]: item for item in response.json()["results"]}
    assert len(professions) == 37
    assert professions["psychiatrist"]["care_types"] == [
        "psychological",
        "healthy_lifestyle",
        "carer_support",
    ]


def test_phases_are_listed_in_pathway_order(client):
    response = client.get(f"{API}/phases")

    assert response.status_code == 200
    assert [item["code"] for item in response.json()["results"]] == [
        "diagnosis",
        "treatment",
        "after_treatment",
    ]
    assert response.json()["results"][2]["label"] == "Après-cancer (PPAC)"
    assert "PPAC" in response.json()["results"][2]["description"]


def test_version_reports_the_loaded_file(client):
    response = client.get(f"{API}/version")

    assert response.status_code == 200
    body = response.json()
    assert body["version"] == "2025.11-1"
    assert len(body["checksum"]) == 64
    assert any("Infos conseils" in source["title"] for source in body["sources"])


def test_version_answers_404_in_french_when_nothing_is_loaded(client):
    ReferenceDataVersion.objects.all().delete()

    response = client.get(f"{API}/version")

    assert response.status_code == 404
    assert response.json()["detail"] == "Aucune donnée de référence n'est chargée."


def test_care_types_endpoint_runs_a_bounded_number_of_queries(
    client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        client.get(f"{API}/care-types")


def test_care_types_answer_exactly_what_the_schema_gives_of_the_model_objects(
    client, django_assert_max_num_queries
):
    # The list is rendered from plain rows for speed (bench/api_throughput.py): it must
    # be, byte for byte, what validating the model objects against the schema gives.
    from pydantic import TypeAdapter

    from oncolien.reference.api import CareTypeOut
    from oncolien.reference.selectors import care_types_for_display

    with django_assert_max_num_queries(2):
        listed = client.get(f"{API}/care-types", {"page_size": 100}).json()["results"]
    adapter = TypeAdapter(list[CareTypeOut])
    expected = adapter.dump_python(
        adapter.validate_python(list(care_types_for_display()), from_attributes=True), mode="json"
    )
    assert listed == expected
    assert adapter.dump_python(adapter.validate_python(listed), mode="json") == listed
