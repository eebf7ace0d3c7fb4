"""Bundle paging: `_count`, `_offset` and the links a client follows to the end."""

from urllib.parse import parse_qs, urlsplit

import pytest

from oncolien.directory.models import Service
from oncolien.directory.tests.factories import make_service
from oncolien.fhir.tests.conftest import ESPALION, NORD_AVEYRON, ids

pytestmark = pytest.mark.django_db

URL = "/fhir/HealthcareService"


@pytest.fixture
def many_services(base_data) -> list[str]:
    """25 active nutrition services and one inactive; their ids in name order."""
    for number in range(25):
        make_service(
            cpts=NORD_AVEYRON,
            name=f"Atelier nutrition {number:02d}",
            organization="Association Bien manger",
            care_types=["nutrition"],
            commune=ESPALION,
        )
    make_service(
        cpts=NORD_AVEYRON,
        name="Atelier nutrition fermé",
        organization="Association Bien manger",
        care_types=["nutrition"],
        commune=ESPALION,
        status="inactive",
    )
    return [
        str(pk)
        for pk in Service.objects.filter(status="active")
        .order_by("name", "pk")
        .values_list("pk", flat=True)
    ]


def links(bundle: dict) -> dict[str, str]:
    return {link["relation"]: link["url"] for link in bundle["link"]}


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_following_next_walks_every_service_once_in_order(fhir, many_services):
    seen, pages = [], 0
    url = f"{URL}?service-type=nutrition&_count=5"
    while url:
        answer = fhir(url)
        assert answer.status == 200
        bundle = answer.json
        assert bundle["total"] == 25
        seen += ids(bundle)
        pages += 1
        url = links(bundle).get("next")
    assert pages == 5
    assert seen == many_services


def test_links_keep_the_search_and_point_at_first_previous_next_and_last(fhir, many_services):
    bundle = fhir(f"{URL}?service-type=nutrition&_count=5&_offset=10").json
    page_links = links(bundle)
    assert set(page_links) == {"self", "first", "previous", "next", "last"}
    for url in page_links.values():
        assert url.startswith("http://testserver/fhir/HealthcareService?")
        assert query_of(url)["service-type"] == ["nutrition"]
        assert query_of(url)["_count"] == ["5"]
    offsets = {relation: query_of(url)["_offset"] for relation, url in page_links.items()}
    assert offsets == {
        "self": ["10"],
        "first": ["0"],
        "previous": ["5"],
        "next": ["15"],
        "last": ["20"],
    }
    last = fhir(page_links["last"]).json
    assert len(ids(last)) == 5
    assert "next" not in links(last)
    assert ids(fhir(page_links["previous"]).json) == many_services[5:10]


def test_first_page_has_no_previous_and_default_size_is_twenty(fhir, many_services):
    bundle = fhir(URL).json
    assert len(ids(bundle)) == 20
    assert "previous" not in links(bundle)
    assert query_of(links(bundle)["next"])["_offset"] == ["20"]


def test_count_above_the_maximum_is_served_as_the_maximum(fhir, many_services):
    bundle = fhir(f"{URL}?_count=500").json
    assert len(ids(bundle)) == 25
    assert query_of(links(bundle)["self"])["_count"] == ["100"]


@pytest.mark.parametrize("query", ["_count=0", "_summary=count"])
def test_only_the_total_when_asked(fhir, many_services, query):
    bundle = fhir(f"{URL}?service-type=nutrition&{query}").json
    assert bundle["total"] == 25
    assert "entry" not in bundle
    assert set(links(bundle)) == {"self"}


def test_an_offset_past_the_end_gives_an_empty_page_that_leads_back(fhir, many_services):
    bundle = fhir(f"{URL}?_count=10&_offset=500").json
    assert bundle["total"] == 25
    assert "entry" not in bundle
    assert query_of(links(bundle)["previous"])["_offset"] == ["20"]


@pytest.mark.parametrize("query", ["_count=beaucoup", "_count=-1", "_offset=x", "_offset=-5"])
def test_malformed_paging_is_refused_in_french(fhir, base_data, query):
    answer = fhir(f"{URL}?{query}")
    assert answer.status == 400
    issue = answer.json["issue"][0]
    assert issue["code"] == "invalid"
    assert "nombre entier positif" in issue["diagnostics"]


def test_empty_result_has_self_first_and_last(fhir, base_data):
    bundle = fhir(f"{URL}?name=introuvable").json
    assert bundle["total"] == 0
    assert "entry" not in bundle
    assert set(links(bundle)) == {"self", "first", "last"}
