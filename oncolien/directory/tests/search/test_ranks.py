"""Name ranks keep the order of names through creations, renamings and rebuilds."""

import random

from oncolien.directory.search import ranks
from oncolien.directory.search.models import SearchDocument
from oncolien.directory.search.query import ServiceQuery, search_services
from oncolien.directory.tests.factories import make_service

from .conftest import ESPALION, NORD
from .test_index import _save


def _ranked_in_name_order() -> bool:
    by_rank = list(SearchDocument.objects.order_by("name_rank"))
    return by_rank == sorted(by_rank, key=lambda d: (d.name_key, d.service_id))


def _new(name: str):
    return make_service(
        cpts=NORD, name=name, organization="Ateliers du Lot", care_types=["pain"], commune=ESPALION
    )


def test_names_crowding_one_place_of_the_alphabet_rebuild_the_ranks(base_data, monkeypatch):
    # Gaps of 4: the third name squeezed between the same two uses the gap up.
    monkeypatch.setattr(ranks, "STEP", 4)
    for name in ("Atelier A", "Atelier C", "Atelier B", "Atelier BA", "Atelier BAA"):
        _new(name)
        assert _ranked_in_name_order()
    found = search_services(ServiceQuery(words="atelier"))
    assert [r.service.name for r in found.results] == [
        "Atelier A",
        "Atelier B",
        "Atelier BA",
        "Atelier BAA",
        "Atelier C",
    ]
    ranks_now = sorted(SearchDocument.objects.values_list("name_rank", flat=True))
    assert ranks_now == [4, 8, 12, 16, 20]  # rebuilt, spaced again


def test_ranks_follow_names_through_random_renamings(base_data, monkeypatch):
    monkeypatch.setattr(ranks, "STEP", 64)
    rng = random.Random(7)
    services = [_new(f"Offre {n}") for n in range(8)]
    for _ in range(40):
        service = rng.choice(services)
        _save(service, name=f"Offre {rng.choice('ABCDEFGH')}{rng.randint(0, 999)}")
        assert _ranked_in_name_order()
    names = [r.service.name for r in search_services(ServiceQuery(words="offre")).results]
    assert names == sorted(names, key=lambda name: name.lower())
