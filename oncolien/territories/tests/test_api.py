import pytest

from oncolien.territories.models import Cpts

pytestmark = pytest.mark.django_db

API = "/api/v1/territories"


def test_commune_by_insee_code(client):
    response = client.get(f"{API}/communes/81065")

    assert response.status_code == 200
    data = response.json()
    assert data["name"] == "Castres"
    assert data["department"] == {"code": "81", "name": "Tarn"}
    assert "81100" in data["postal_codes"]
    assert isinstance(data["latitude"], float)


def test_unknown_commune_is_404_in_french(client):
    response = client.get(f"{API}/communes/99999")

    assert response.status_code == 404
    assert response.json()["detail"] == "Aucune commune ne porte le code INSEE 99999."


def test_search_needs_a_criterion(client):
    response = client.get(f"{API}/communes")

    # A refusal of what was asked: the API's one 422 shape (before: a bare 400).
    assert response.status_code == 422
    assert "Précisez au moins un critère" in response.json()["errors"][0]["message"]


def test_search_by_name_ignores_accents(client):
    response = client.get(f"{API}/communes", {"name": "senergues"})

    assert response.status_code == 200
    assert [c["insee_code"] for c in response.json()["results"]][0] == "12268"


def test_search_by_name_and_department(client):
    response = client.get(f"{API}/communes", {"name": "Saint-Juéry", "department": "12"})

    data = response.json()
    assert [c["insee_code"] for c in data["results"]] == ["12233"]
    assert data["count"] == 1


def test_search_by_postal_code(client):
    response = client.get(f"{API}/communes", {"postal_code": "81100"})

    assert response.json()["results"][0]["name"] == "Castres"


def test_search_by_insee(client):
    response = client.get(f"{API}/communes", {"insee": "31483"})

    assert [c["name"] for c in response.json()["results"]] == ["Saint-Gaudens"]


def test_search_results_are_limited(client):
    response = client.get(f"{API}/communes", {"department": "31", "page_size": 5})

    data = response.json()
    assert len(data["results"]) == 5
    assert data["count"] > 500


def test_search_limit_is_capped(client):
    response = client.get(f"{API}/communes", {"department": "31", "page_size": 1000})

    assert response.status_code == 422


def test_malformed_postal_code_is_a_422_on_its_field(client):
    response = client.get(f"{API}/communes", {"postal_code": "811"})

    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["field"] == "postal_code"
    assert "code postal" in error["message"]


def test_malformed_insee_code_is_a_422_on_its_field(client):
    response = client.get(f"{API}/communes", {"insee": "1"})

    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["field"] == "insee"
    assert "code INSEE" in error["message"]


def test_cpts_list_has_computed_population_and_size_class(client):
    response = client.get(f"{API}/cpts")

    assert response.status_code == 200
    by_slug = {c["slug"]: c for c in response.json()["results"]}
    assert by_slug["cpts-sud-tarn"]["size_class"] == 3
    assert by_slug["cpts-nord-aveyron"]["size_class"] == 1
    assert by_slug["cpts-volvestre-coeur-de-garonne"]["size_class"] == 2
    sud_tarn = Cpts.objects.get(slug="cpts-sud-tarn")
    assert by_slug["cpts-sud-tarn"]["population"] == sud_tarn.population
    assert by_slug["cpts-sud-tarn"]["commune_count"] == 95
    assert by_slug["cpts-sud-tarn"]["aci_signed_on"] == "2021-11-01"


def test_cpts_detail_lists_its_communes(client):
    response = client.get(f"{API}/cpts/cpts-nord-aveyron")

    assert response.status_code == 200
    data = response.json()
    assert data["size_class"] == 1
    assert len(data["communes"]) == 41
    assert sum(c["population"] for c in data["communes"]) == data["population"]
    assert data["departments"] == [{"code": "12", "name": "Aveyron"}]


def test_empty_cpts_has_population_0_and_size_class_1(client):
    Cpts.objects.create(name="CPTS Vide", slug="cpts-vide")

    data = client.get(f"{API}/cpts/cpts-vide").json()

    assert (data["population"], data["size_class"], data["communes"]) == (0, 1, [])


def test_unknown_cpts_is_404_in_french(client):
    response = client.get(f"{API}/cpts/cpts-inconnue")

    assert response.status_code == 404
    assert response.json()["detail"] == "Aucune CPTS ne porte l'identifiant « cpts-inconnue »."
