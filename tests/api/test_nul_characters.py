"""A NUL character (U+0000), which PostgreSQL text cannot hold, is refused in French
with a 422 on its field, and nothing is read or written with it (found by schemathesis
on PostgreSQL: `/api/v1/directory/services?cpts=%00ý` answered 500)."""

import pytest

from oncolien.pathways.models import Pathway
from oncolien.pathways.tests.factories import make_pathway

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query",
    [
        {"cpts": "\x00ý"},
        {"q": "diet\x00"},
        {"commune": "12\x00202"},
        {"care_type": "nutrition\x00"},
    ],
)
def test_a_nul_character_in_a_search_parameter_is_a_422_on_that_parameter(client, base_data, query):
    response = client.get("/api/v1/directory/services", query)

    assert response.status_code == 422, response.content
    (error,) = response.json()["errors"]
    assert error["field"] == next(iter(query))
    assert "caractère nul" in error["message"]


def test_a_nul_character_in_a_json_body_is_a_422_and_changes_nothing(
    login, coordinator, coordinating_nurse
):
    pathway = make_pathway(actor=coordinating_nurse)

    response = login(coordinator).patch(
        f"/api/v1/pathways/{pathway.pk}",
        '{"referrer": "Dr A\\u0000B"}',
        content_type="application/json",
    )

    assert response.status_code == 422, response.content
    assert "caractère nul" in response.json()["errors"][0]["message"]
    assert Pathway.objects.get(pk=pathway.pk).referrer == ""


def test_a_nul_character_in_a_path_parameter_is_a_422(client, base_data):
    response = client.get("/api/v1/reference/care-types/nutrition%00")

    assert response.status_code == 422, response.content
    assert "caractère nul" in response.json()["errors"][0]["message"]
