"""A NUL character in a search value is a 400 OperationOutcome in French, not a 500
(PostgreSQL text cannot hold one)."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url", ["/fhir/HealthcareService?name=a%00b", "/fhir/Organization?name=a%00"]
)
def test_a_nul_character_in_a_search_value_is_refused(client, base_data, url):
    response = client.get(url)

    assert response.status_code == 400, response.content
    outcome = response.json()
    assert outcome["resourceType"] == "OperationOutcome"
    assert "caractère nul" in outcome["issue"][0]["diagnostics"]
