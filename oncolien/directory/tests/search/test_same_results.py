"""The same queries give the same services, in the same order, on SQLite and PostgreSQL.

The expected results are written here, so this table runs in the SQLite run
and in the PostgreSQL run of the suite and holds both engines to one answer.
"""

import pytest
from django.db import connection

from oncolien.directory.search.query import ServiceQuery, search_services

from .conftest import ESPALION, SUD, keys

pytestmark = pytest.mark.django_db

QUERIES = [
    # Words: accents and case do not matter; names and organisations rank first.
    (
        ServiceQuery(words="dietetique"),
        ["diet_espalion", "diet_castres", "ligue_cooking"],
    ),
    (
        ServiceQuery(words="DIÉTÉTIQUE"),
        ["diet_espalion", "diet_castres", "ligue_cooking"],
    ),
    # The last word is a prefix: « diet » finds « diététicienne », « diététique ».
    (ServiceQuery(words="diet"), ["diet_espalion", "diet_castres", "ligue_cooking"]),
    (ServiceQuery(words="kine"), ["physio_home"]),
    # Plural and stop words: « groupes de parole » finds « Groupe de parole ».
    (ServiceQuery(words="groupes de parole"), ["carers_laguiole"]),
    # Words found in the profession and the commune, not in the name.
    (ServiceQuery(words="psychologue villecomtal"), ["psy_villecomtal"]),
    (ServiceQuery(words="ligue"), ["ligue_cooking", "aesthetics_castres"]),
    (ServiceQuery(words="espace ligue espalion"), ["ligue_cooking"]),
    (ServiceQuery(words="castres"), ["diet_castres", "aesthetics_castres"]),
    (ServiceQuery(words="xylophone"), []),
    # Filters, by name.
    (
        ServiceQuery(care_types=["nutrition"]),
        ["ligue_cooking", "diet_espalion", "diet_castres"],
    ),
    (ServiceQuery(care_types=["nutrition"], cpts=SUD), ["diet_castres"]),
    (
        ServiceQuery(care_types=["psychological", "socio_aesthetics"]),
        ["aesthetics_castres", "psy_villecomtal"],
    ),
    (ServiceQuery(professions=["physiotherapist"]), ["physio_home"]),
    (ServiceQuery(label="espace_ligue"), ["ligue_cooking"]),
    (
        ServiceQuery(free_only=True),
        ["apa_bozouls", "ligue_cooking", "carers_laguiole", "aesthetics_castres"],
    ),
    (ServiceQuery(audience="relatives"), ["ligue_cooking", "carers_laguiole"]),
    (ServiceQuery(care_types=["psychological"], phase="diagnosis"), []),
    (ServiceQuery(care_types=["psychological"], phase="treatment"), ["psy_villecomtal"]),
    (ServiceQuery(cpts=SUD), ["diet_castres", "aesthetics_castres"]),
    (
        ServiceQuery(words="consultation", care_types=["nutrition"], cpts=SUD),
        ["diet_castres"],
    ),
    # Around Espalion: nearest first, then by name; a home service counts where it goes.
    (
        ServiceQuery(commune=ESPALION, radius_km=20),
        ["ligue_cooking", "diet_espalion", "physio_home", "apa_bozouls", "psy_villecomtal"],
    ),
    (
        ServiceQuery(commune=ESPALION, radius_km=10),
        ["ligue_cooking", "diet_espalion", "physio_home", "apa_bozouls"],
    ),
    (
        ServiceQuery(commune=ESPALION, radius_km=50),
        [
            "ligue_cooking",
            "diet_espalion",
            "physio_home",
            "apa_bozouls",
            "psy_villecomtal",
            "carers_laguiole",
        ],
    ),
    (ServiceQuery(commune=ESPALION), ["ligue_cooking", "diet_espalion", "physio_home"]),
    (
        ServiceQuery(commune=ESPALION, radius_km=20, words="nutrition"),
        ["ligue_cooking", "diet_espalion"],
    ),
    (
        ServiceQuery(commune=ESPALION, radius_km=20, free_only=True),
        ["ligue_cooking", "apa_bozouls"],
    ),
    # Paging.
    (
        ServiceQuery(care_types=["nutrition"], page=2, page_size=2),
        ["diet_castres"],
    ),
    (ServiceQuery(commune=ESPALION, radius_km=20, page=3, page_size=2), ["psy_villecomtal"]),
]


@pytest.mark.parametrize(
    ("query", "expected"), QUERIES, ids=[str(index) for index in range(len(QUERIES))]
)
def test_the_engine_returns_the_expected_services_in_order(directory, query, expected):
    page = search_services(query)
    assert keys(directory, page) == expected, f"moteur {connection.vendor}"


def test_totals_count_every_page(directory):
    page = search_services(ServiceQuery(care_types=["nutrition"], page=2, page_size=2))
    assert (page.total, page.num_pages) == (3, 2)
