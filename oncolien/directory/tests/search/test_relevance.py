"""The relevance set (relevance.json): each query, on the demo directory, puts
the services it names first. Runs on SQLite and on PostgreSQL (the suite runs
on both engines), through the same search as the page and the API."""

import json
from pathlib import Path

from oncolien.directory.demo import load_demo_directory
from oncolien.directory.search.query import ServiceQuery, search_with_fallback

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
