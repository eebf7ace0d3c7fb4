import pytest

from oncolien.api_errors import french_validation_errors

pytestmark = pytest.mark.django_db


def test_health_reports_the_database(client):
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "version": "1"}


def test_the_openapi_document_is_served(client):
    document = client.get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert "/api/v1/health" in document["paths"]
    assert "/api/v1/accounts/me" in document["paths"]


def test_a_protected_endpoint_asks_for_authentication_in_french(client):
    response = client.get("/api/v1/accounts/me")
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentification requise.", "errors": []}


def test_me_lists_roles_and_cpts(login, coordinator, nord_aveyron):
    data = login(coordinator).get("/api/v1/accounts/me").json()
    assert data["username"] == coordinator.username
    assert data["two_factor_enabled"] is True
    assert data["memberships"] == [
        {
            "role": "coordinator",
            "role_label": "Coordinateur·rice de CPTS",
            "cpts": nord_aveyron.name,
            "cpts_slug": nord_aveyron.slug,
        }
    ]


def test_validation_errors_are_translated():
    errors = french_validation_errors(
        [
            {"type": "missing", "loc": ("query", "insee"), "msg": "Field required"},
            {
                "type": "value_error",
                "loc": ("body", "payload", "x"),
                "msg": "Value error, Trop grand.",
            },
            {"type": "something_new", "loc": ("query", "y"), "msg": "whatever"},
        ]
    )
    assert [e["message"] for e in errors] == [
        "Ce champ est obligatoire.",
        "Trop grand.",
        "La valeur n'est pas valide.",
    ]
    assert [e["field"] for e in errors] == ["insee", "x", "y"]


def test_the_schema_and_the_domain_refuse_in_the_same_shape(login, coordinating_nurse):
    """A body the schema refuses and a value a service refuses answer the same 422,
    documented in the OpenAPI, with English keys and French messages."""
    client = login(coordinating_nurse)
    by_schema = client.post("/api/v1/pathways/", {}, content_type="application/json")
    by_domain = client.post(
        "/api/v1/pathways/",
        {
            "cpts": "pas-une-cpts",
            "intake_channel": "phone_line",
            "first_contact_on": "2026-11-30",
            "patient": {
                "last_name": "Durand",
                "first_name": "Jeanne",
                "birth_date": "1960-01-01",
                "sex": "F",
                "commune": "12096",
            },
        },
        content_type="application/json",
    )
    for response in (by_schema, by_domain):
        assert response.status_code == 422
        body = response.json()
        assert set(body) == {"detail", "errors"}
        assert body["errors"] and all(
            set(e) == {"field", "message", "type"} for e in body["errors"]
        )
    assert by_domain.json()["errors"][0] == {
        "field": "cpts",
        "message": "Aucune CPTS ne porte cet identifiant.",
        "type": "invalid",
    }
    document = client.get("/api/v1/openapi.json").json()
    refusal = document["paths"]["/api/v1/pathways/"]["post"]["responses"]["422"]
    assert refusal["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOut")
