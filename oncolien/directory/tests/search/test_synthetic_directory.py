"""The benchmark's generator writes the index that the directory's own writes would."""

from bench.synthetic_directory import generate
from oncolien.directory.models import Service
from oncolien.directory.search.index import refresh
from oncolien.directory.search.models import SearchDocument, SearchPoint
from oncolien.directory.search.query import ServiceQuery, search_services


def _index() -> tuple[list, list]:
    documents = list(
        SearchDocument.objects.order_by("service_id").values_list(
            "service_id", "name_key", "title", "body", "tags"
        )
    )
    points = list(
        SearchPoint.objects.order_by("service_id", "commune_id").values_list(
            "service_id", "commune_id", "latitude", "longitude", "name_key", "tags"
        )
    )
    return documents, points


def test_generated_services_are_indexed_as_refresh_indexes_them(base_data):
    made = generate(60, seed=3, departments=["12"])
    assert made.services == Service.objects.count() == SearchDocument.objects.count() == 60
    generated = _index()
    refresh(Service.objects.values_list("pk", flat=True))
    assert _index() == generated
    ranks = list(SearchDocument.objects.order_by("name_rank").values_list("name_key", "service"))
    assert ranks == sorted(ranks)


def test_generated_services_are_found(base_data):
    generate(60, seed=3, departments=["12"])
    assert search_services(ServiceQuery(commune="12202", radius_km=50)).total > 0
    assert search_services(ServiceQuery(care_types=["nutrition"])).total > 0
