"""The API's documentation works offline: Swagger UI comes from our static files."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_docs_page_loads_swagger_ui_from_our_static_files(client):
    page = client.get("/api/v1/docs").content.decode()
    assert "cdn." not in page and "jsdelivr" not in page
    assert "/static/ninja/swagger-ui-bundle.js" in page
    bundle = client.get("/static/ninja/swagger-ui-bundle.js")
    assert bundle.status_code == 200


def test_the_document_names_its_server_and_the_error_shape(client):
    document = client.get("/api/v1/openapi.json").json()
    assert document["servers"][0]["url"] == "/"
    error = document["components"]["schemas"]["ErrorOut"]
    assert set(error["properties"]) == {"detail", "errors"}
    for path, item in document["paths"].items():
        for method, operation in item.items():
            for status in ("401", "403", "404", "422"):
                assert status in operation["responses"], (method, path, status)
