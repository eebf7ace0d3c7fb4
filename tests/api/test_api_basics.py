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
    assert response.json() == {"detail": "Authentification requise."}


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
    assert [e["champ"] for e in errors] == ["insee", "x", "y"]
