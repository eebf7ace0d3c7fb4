"""The relevance set (relevance.json): each query, on the demo directory, puts
the services it names first. Runs on SQLite and on PostgreSQL (the suite runs
on both engines), through the same search as the page and the API."""

import json
from pathlib import Path

from oncolien.directory.demo import load_demo_directory
from oncolien.directory.search.query import ServiceQuery, search_services, search_with_fallback

RELEVANCE = Path(__file__).with_name("relevance.json")
MIN_QUERIES = 60


def test_every_query_of_the_relevance_set_puts_its_services_first(base_data):
    load_demo_directory()
    queries = json.loads(RELEVANCE.read_text(encoding="utf-8"))["queries"]
    assert len(queries) >= MIN_QUERIES
    misses = {}
    for case in queries:
        expected = case["first"]
        page = search_with_fallback(ServiceQuery(words=case["q"], page_size=len(expected)))
        found = [f"{r.service.name} / {r.service.organization.name}" for r in page.results]
        if sorted(found) != sorted(expected):
            misses[case["q"]] = {
                "attendu": sorted(set(expected) - set(found)),
                "en trop": sorted(set(found) - set(expected)),
            }
    assert misses == {}, (
        f"{len(misses)} recherche(s) sur {len(queries)} manquée(s) :\n"
        + json.dumps(misses, ensure_ascii=False, indent=1)
    )


def test_a_filter_keeps_the_order_of_the_words(base_data):
    """With a filter, the few services found are ranked by their titles in Python
    (sqlite_fts.find); without, the index ranks them: both orders must agree,
    service for service, for every query of the relevance set."""
    from oncolien.directory.models import Service
    from oncolien.territories.models import Cpts

    load_demo_directory()
    queries = json.loads(RELEVANCE.read_text(encoding="utf-8"))["queries"]
    cpts_of = dict(Service.objects.values_list("pk", "organization__cpts__slug"))
    slugs = list(
        Cpts.objects.filter(organizations__isnull=False).distinct().values_list("slug", flat=True)
    )
    assert len(slugs) >= 2
    compared = 0
    for case in queries:
        everywhere = search_services(ServiceQuery(words=case["q"], page_size=100))
        assert everywhere.total <= 100
        for slug in slugs:
            within = search_services(ServiceQuery(words=case["q"], cpts=slug, page_size=100))
            expected = [r.service.pk for r in everywhere.results if cpts_of[r.service.pk] == slug]
            assert [r.service.pk for r in within.results] == expected, (case["q"], slug)
            compared += len(expected)
    assert compared > 100  # the comparison is not empty
