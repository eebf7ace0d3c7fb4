"""Every refusal under /api/v1/ has one JSON shape: {"detail", "errors"}, French messages."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

JSON = "application/json"


def assert_error_shape(response, status: int, extra=frozenset()) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert set(body) - extra == {"detail", "errors"}, body
    assert all(set(e) == {"field", "message", "type"} for e in body["errors"])
    return body


def test_401_has_the_error_shape(client):
    body = assert_error_shape(client.get("/api/v1/accounts/me"), 401)
    assert body == {"detail": "Authentification requise.", "errors": []}


def test_403_without_the_second_factor_has_the_error_shape(login, coordinator):
    body = assert_error_shape(login(coordinator, verified=False).get("/api/v1/pathways/"), 403)
    assert body["detail"].startswith("Vérification en deux étapes requise")


def test_an_unknown_route_under_the_api_is_a_json_404(client, login, coordinator):
    for response in (
        client.get("/api/v1/nothing-here"),
        client.post("/api/v1/nothing/here", {}, content_type=JSON),
        login(coordinator).get("/api/v1/pathways/not-a-number"),
        login(coordinator).get("/api/v1/pathways/a%0Ab/records"),
    ):
        body = assert_error_shape(response, 404)
        assert body["detail"] == "Ressource introuvable."


def test_an_unknown_object_is_a_json_404(client):
    body = assert_error_shape(client.get("/api/v1/reference/care-types/nope"), 404)
    assert "nope" in body["detail"]


def test_a_method_not_allowed_is_a_json_405(client):
    response = client.delete("/api/v1/health")
    body = assert_error_shape(response, 405)
    assert body["detail"] == "Méthode non permise pour cette adresse."
    assert response["Allow"] == "GET"


def test_the_directory_refusal_is_a_422_in_the_error_shape(client):
    body = assert_error_shape(
        client.get("/api/v1/directory/services", {"commune": "zzzzzz"}), 422, {"candidates"}
    )
    assert body["errors"][0]["field"] == "commune"
    assert body["errors"][0]["message"] == body["detail"]


def test_a_missing_csrf_token_is_refused_in_french(login, coordinator):
    client = Client(enforce_csrf_checks=True)
    client.cookies = login(coordinator).cookies
    body = assert_error_shape(client.post("/api/v1/pathways/", {}, content_type=JSON), 403)
    assert body["detail"].startswith("Vérification CSRF échouée")


def test_an_unparsable_body_is_refused_in_french(login, coordinator):
    response = login(coordinator).post("/api/v1/pathways/", b"{not json", content_type=JSON)
    body = assert_error_shape(response, 400)
    assert body["detail"] == "Le corps de la requête ne peut pas être lu."
