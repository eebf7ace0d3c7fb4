"""GET /api/v1/directory/services: the public JSON search."""

import pytest

from .conftest import ESPALION, SUD

URL = "/api/v1/directory/services"


def names(response) -> list[str]:
    return [f"{hit['name']} / {hit['organization']['name']}" for hit in response.json()["results"]]


def test_the_search_is_public_and_pages(client, directory):
    response = client.get(URL, {"care_type": "nutrition", "page_size": 2})
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["page_size"], body["previous"]) == (3, 2, None)
    assert "page=2" in body["next"]
    assert names(response) == [
        "Atelier cuisine et nutrition / Espace Ligue Espalion",
        "Consultation diététique / Cabinet Diététique du Lot",
    ]
    second = client.get(URL, {"care_type": "nutrition", "page_size": 2, "page": 2})
    assert names(second) == ["Consultation diététique / Diététicienne de Castres"]


def test_a_hit_carries_what_a_client_shows(client, directory):
    [hit] = client.get(URL, {"q": "soutien psychologique villecomtal"}).json()["results"]
    assert hit["url"].endswith(f"/annuaire/services/{directory['psy_villecomtal'].pk}/")
    assert hit["care_types"] == [{"code": "psychological", "name": "Prise en charge psychologique"}]
    assert hit["communes"] == ["Villecomtal"]
    assert (hit["cost"], hit["cost_label"], hit["remaining_cost_amount"]) == (
        "remaining_cost",
        "Reste à charge",
        30.0,
    )
    assert (hit["needs_verification"], hit["last_verified_on"]) == (True, None)
    assert hit["organization"]["is_fictitious"] is False
    assert hit["distance_km"] is None


def test_words_ignore_accents_and_case(client, directory):
    assert names(client.get(URL, {"q": "DIETETIQUE"}))[0] == (
        "Consultation diététique / Cabinet Diététique du Lot"
    )


def test_radius_search_is_ordered_by_distance_with_the_distance(client, directory):
    body = client.get(URL, {"commune": ESPALION, "radius_km": 20}).json()
    assert body["origin"] == {
        "insee_code": ESPALION,
        "name": "Espalion",
        "department_code": "12",
        "radius_km": 20.0,
    }
    distances = [hit["distance_km"] for hit in body["results"]]
    assert distances == sorted(distances) and distances[-1] == pytest.approx(15.14, abs=0.05)


def test_a_commune_may_be_given_by_postal_code_or_name(client, directory):
    by_name = client.get(URL, {"commune": "Espalion", "radius_km": 10}).json()
    assert by_name["origin"]["insee_code"] == ESPALION


def test_filters_combine(client, directory):
    response = client.get(
        URL, {"care_type": ["nutrition", "socio_aesthetics"], "cpts": SUD, "free": "true"}
    )
    assert names(response) == ["Socio-esthétique / Espace Ligue Castres"]
    relatives = client.get(URL, {"audience": "relatives", "phase": "treatment"})
    assert len(names(relatives)) == 2


def test_an_unknown_commune_is_a_422_in_french(client, directory):
    response = client.get(URL, {"commune": "Zzyzx", "radius_km": 10})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "commune"
    assert "Aucune commune ne s'appelle « Zzyzx »" in response.json()["detail"]


def test_an_ambiguous_commune_lists_the_candidates(client, directory):
    response = client.get(URL, {"commune": "Belcastel"})
    assert response.status_code == 422
    body = response.json()
    assert body["errors"][0]["field"] == "commune"
    assert "précisez le département" in body["detail"]
    assert sorted(c["insee_code"] for c in body["candidates"]) == ["12024", "81025"]


def test_an_unknown_care_type_is_a_422_in_french(client, directory):
    response = client.get(URL, {"care_type": "massage"})
    assert response.status_code == 422
    message = (
        "Soin de support inconnu : massage. Les codes sont listés sur /api/v1/reference/care-types."
    )
    assert response.json() == {
        "detail": message,
        "errors": [{"field": "care_type", "message": message, "type": "invalid"}],
        "candidates": [],
    }


def test_a_radius_without_commune_is_a_422(client, directory):
    response = client.get(URL, {"radius_km": 10})
    assert response.status_code == 422
    assert response.json()["detail"] == "Indiquez la commune autour de laquelle chercher."


@pytest.mark.parametrize("params", [{"page_size": 101}, {"page": 0}, {"radius_km": -1}])
def test_out_of_bounds_paging_or_radius_is_refused_in_french(client, directory, params):
    response = client.get(URL, params)
    assert response.status_code == 422
    assert response.json()["detail"] == "Données invalides."


def test_a_page_past_the_last_is_refused(client, directory):
    response = client.get(URL, {"care_type": "nutrition", "page": 5})
    assert response.status_code == 422
    assert response.json()["errors"][0] == {
        "field": "page",
        "message": "La page 5 n'existe pas : la liste tient sur une seule page.",
        "type": "page_out_of_range",
    }


def test_inactive_services_are_not_served(client, directory):
    assert client.get(URL, {"q": "ancienne"}).json()["count"] == 0


@pytest.mark.parametrize(
    ("params", "choices"),
    [
        ({"audience": "children"}, "patients ou relatives"),
        ({"phase": "remission"}, "diagnosis, treatment ou after_treatment"),
    ],
)
def test_an_unknown_audience_or_phase_lists_the_codes(client, directory, params, choices):
    response = client.get(URL, params)
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert (error["field"], error["type"]) == (next(iter(params)), "enum")
    assert error["message"] == (f"Cette valeur ne fait pas partie des choix possibles : {choices}.")


def test_the_schema_lists_the_audience_and_phase_codes(client, db):
    document = client.get("/api/v1/openapi.json").json()
    operation = document["paths"]["/api/v1/directory/services"]["get"]
    parameters = {p["name"]: p["schema"] for p in operation["parameters"]}
    assert parameters["audience"]["enum"] == ["patients", "relatives", ""]
    assert parameters["phase"]["enum"] == ["diagnosis", "treatment", "after_treatment", ""]
    refusal = operation["responses"]["422"]["content"]["application/json"]["schema"]["$ref"]
    assert refusal == "#/components/schemas/SearchErrorOut"
    assert "candidates" in document["components"]["schemas"]["SearchErrorOut"]["properties"]
    assert "SearchErrorOut" not in str(operation["responses"].get("400"))
