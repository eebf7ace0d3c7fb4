"""The public reference lists (CPTS, care types, professions, phases) answer the API's one
list envelope, with a bounded page size, and refuse a page that does not exist in French."""

import pytest

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/v1/territories/cpts",
    "/api/v1/reference/care-types",
    "/api/v1/reference/professions",
    "/api/v1/reference/phases",
]


@pytest.mark.parametrize("url", LISTS)
def test_a_reference_list_pages_in_the_envelope(client, url):
    default = client.get(url).json()
    assert set(default) == {"count", "next", "previous", "results", "page_size"}
    assert (default["page_size"], default["previous"]) == (20, None)
    assert len(default["results"]) == min(default["count"], 20)
    whole = client.get(url, {"page_size": 100}).json()
    assert whole["count"] == len(whole["results"]) == default["count"] >= 3
    assert whole["next"] is None
    first = client.get(url, {"page_size": 2}).json()
    second = client.get(url, {"page_size": 2, "page": 2}).json()
    assert first["next"].endswith("?page_size=2&page=2")
    assert second["previous"].endswith("?page_size=2&page=1")
    assert first["results"] + second["results"] == whole["results"][:4]


@pytest.mark.parametrize("url", LISTS)
def test_a_reference_list_refuses_a_page_that_does_not_exist(client, url):
    response = client.get(url, {"page": 99})
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["field"] == "page"
    assert error["message"].startswith("La page 99 n'existe pas")
    too_big = client.get(url, {"page_size": 101})
    assert too_big.status_code == 422
    assert (
        too_big.json()["errors"][0]["message"] == "La valeur doit être inférieure ou égale à 100."
    )
