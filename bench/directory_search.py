"""Latency of the directory search at 100,000 services on SQLite: median and p95 per shape.

Builds a throw-away SQLite database in a temporary directory (the real
migrations, the reference data, the communes of Occitanie), adds N synthetic
services (bench/synthetic_directory.py), then times `search_services`, the
function behind the search page and the JSON API, for three shapes of query,
each many times with varied inputs:

- words only;
- care type + commune within 20 km (ordered by distance);
- words + care type + CPTS.

Each timing covers the whole call: criteria checks, the index query, the total
count for paging, and loading the 20 services of the page with what a result
shows. Beside it, in the same run and on the same queries, the raw index alone:
the one SQL query that reads every match from the index (the FTS5 `MATCH` on
the search documents, or the latitude/longitude box of the search points), with
nothing around it. The ratio of the two is what the search costs above its
index, whatever the load of the machine. Run:

    .venv/bin/python bench/directory_search.py [--services 100000] [--runs 300]

`--keep DIR` builds the database in DIR, or reuses the one built there by an
earlier run with the same options (to profile without rebuilding it).
"""

import argparse
import math
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_MEDIAN_MS = 5.0
TARGET_P95_MS = 20.0
# The whole search call against the raw index query, median against median.
TARGET_RATIO = 1.5
# What people type, with the care type they would pick with it: mostly words of
# the services' names and descriptions, some prefixes, some place names.
WORDS = [
    ("diet", "nutrition"),
    ("dietetique", "nutrition"),
    ("nutrition cancer", "nutrition"),
    ("psychologue", "psychological"),
    ("soutien psy", "psychological"),
    ("sophrologie", "sophrology"),
    ("groupe parole", "support_groups"),
    ("activite physique", "physical_activity"),
    ("marche", "physical_activity"),
    ("kine", "physical_activity"),
    ("socio esthetique", "socio_aesthetics"),
    ("douleur", "pain"),
    ("hypnose", "pain"),
    ("aidants", "carer_support"),
    ("tabac", "healthy_lifestyle"),
    ("sexologie", "sexual_health"),
    ("fatigue", "physical_activity"),
    ("couture", "creative_workshops"),
    ("ligue", "social"),
    ("emploi", "social"),
    ("fertilite", "fertility"),
    ("rodez", "nutrition"),
    ("albi", "psychological"),
    ("toulouse", "physical_activity"),
]


def thousands(number: int) -> str:
    return f"{number:,}".replace(",", "\u202f")


def setup_django(directory: str) -> None:
    os.environ["ONCOLIEN_VAR_DIR"] = directory
    os.environ["DATABASE_URL"] = ""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oncolien.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def prepare(services: int, seed: int) -> None:
    from django.core.management import call_command

    from bench.synthetic_directory import generate
    from oncolien.reference.loader import load_reference
    from oncolien.territories.loaders import load_communes

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    load_reference()
    load_communes(regions=["76"])
    print(
        f"Base prête (migrations, référentiel, communes d'Occitanie) en {time.perf_counter() - started:.1f} s"
    )
    started = time.perf_counter()
    made = generate(services, seed=seed)
    print(
        f"{thousands(made.services)} offres de {thousands(made.organizations)} structures "
        f"dans {made.cpts} CPTS synthétiques, index compris, "
        f"en {time.perf_counter() - started:.1f} s"
    )


def raw_index(query) -> tuple[str, list]:
    """The one SQL query of the index alone that a search call stands on: every match."""
    from oncolien.directory.search import geo, sqlite_fts
    from oncolien.directory.search.query import _resolve

    criteria = _resolve(query)
    if criteria.origin is None:
        from django.db import connection

        with connection.cursor() as cursor:
            match = sqlite_fts._expand_prefix(cursor, criteria.match)
        table = sqlite_fts.FTS_TABLE
        return (
            f"SELECT rowid FROM {table} WHERE {table} MATCH %s",  # noqa: S608
            [sqlite_fts._expression(match)],
        )
    origin = criteria.origin
    box = geo.bounding_box(origin.latitude, origin.longitude, query.radius_km)
    conditions = [
        f"latitude_band IN ({', '.join(['%s'] * len(box.bands))})",
        "longitude BETWEEN %s AND %s",
        "latitude BETWEEN %s AND %s",
    ]
    params = [*box.bands, box.min_longitude, box.max_longitude, box.min_latitude, box.max_latitude]
    for group in criteria.match.tag_groups:
        conditions.append("(" + " OR ".join(["tags LIKE %s"] * len(group)) + ")")
        params += [f"% {tag} %" for tag in group]
    return (
        "SELECT service_id, latitude, longitude, name_key FROM directory_searchpoint "  # noqa: S608
        f"WHERE {' AND '.join(conditions)}",
        params,
    )


def shapes(rng: random.Random):
    """(name, function making one varied ServiceQuery) for each shape."""
    from django.db.models import Count

    from oncolien.directory.search.query import ServiceQuery
    from oncolien.reference.models import CareType
    from oncolien.territories.models import Commune, Cpts

    care_types = list(CareType.objects.values_list("code", flat=True))
    communes = list(Commune.objects.values_list("insee_code", "population"))
    # People search from where they live: communes drawn as the services are.
    weights = [math.sqrt(max(population, 1)) for _, population in communes]
    cpts = list(
        Cpts.objects.annotate(n=Count("organizations"))
        .filter(n__gt=0)
        .values_list("slug", flat=True)
    )

    def words_only():
        return ServiceQuery(words=rng.choice(WORDS)[0])

    def care_type_near():
        commune = rng.choices(communes, weights)[0][0]
        return ServiceQuery(care_types=[rng.choice(care_types)], commune=commune, radius_km=20)

    def words_care_type_cpts():
        words, care_type = rng.choice(WORDS)
        return ServiceQuery(words=words, care_types=[care_type], cpts=rng.choice(cpts))

    return [
        ("mots seuls", words_only),
        ("soin + commune à 20 km", care_type_near),
        ("mots + soin + CPTS", words_care_type_cpts),
    ]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(fraction * len(ordered)) - 1)]


def run(runs: int, seed: int, verdicts) -> None:
    from django.db import connection

    from oncolien.directory.search.query import search_services

    rng = random.Random(seed)
    load = os.getloadavg()[0]
    print(
        f"\nCharge de la machine : {load:.1f} sur {os.cpu_count()} cœurs. Le temps écoulé "
        "compte aussi les attentes d'un processeur occupé par d'autres programmes ; "
        "le temps processeur (CPU) est celui de la recherche seule. « index brut » : la "
        "seule requête SQL de l'index (toutes ses correspondances), sur les mêmes requêtes."
    )
    print(
        f"\n{'forme de requête':<24} {'médiane':>9} {'p95':>9} {'CPU méd.':>9} "
        f"{'CPU p95':>9} {'index brut':>10} {'CPU brut':>10} {'ratio':>6} {'résultats':>9}"
    )
    figures = []
    for name, make in shapes(rng):
        queries = [make() for _ in range(runs)]
        raw = [raw_index(query) for query in queries]
        for query in queries[:20]:  # warm the page cache and the query plans
            search_services(query)
        timings, cpu, totals, raw_timings, raw_cpu = [], [], [], [], []
        connection.ensure_connection()
        # The driver's own cursor: the index alone, without Django's wrapper.
        cursor = connection.connection.cursor()
        for query, (sql, params) in zip(queries, raw, strict=True):
            started, started_cpu = time.perf_counter(), time.thread_time()
            page = search_services(query)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.thread_time() - started_cpu) * 1000)
            totals.append(page.total)
            # The raw index, right after, on the same query and the same warm cache.
            started, started_cpu = time.perf_counter(), time.thread_time()
            cursor.execute(sql.replace("%s", "?"), params)
            cursor.fetchall()
            raw_timings.append((time.perf_counter() - started) * 1000)
            raw_cpu.append((time.thread_time() - started_cpu) * 1000)
        median, p95 = statistics.median(timings), percentile(timings, 0.95)
        raw_median = statistics.median(raw_timings)
        # On CPU time: what the search costs above its index, whatever else the
        # machine runs meanwhile (elapsed times include waits for a busy CPU).
        cpu_median, raw_cpu_median = statistics.median(cpu), statistics.median(raw_cpu)
        ratio = cpu_median / raw_cpu_median
        figures.append((name, median, p95, ratio, cpu_median, raw_cpu_median))
        print(
            f"{name:<24} {median:>6.2f} ms {p95:>6.2f} ms {statistics.median(cpu):>6.2f} ms "
            f"{percentile(cpu, 0.95):>6.2f} ms {raw_median:>7.2f} ms "
            f"{raw_cpu_median:>7.2f} ms {ratio:>5.2f}× "
            f"{statistics.median(totals):>9.0f}"
        )
    print(
        "\n« résultats » : médiane du nombre d'offres trouvées ; médianes sur "
        f"{runs} requêtes par forme ; le ratio compare les temps CPU (recherche / index "
        "brut).\nObjectifs :"
    )
    for name, median, p95, ratio, cpu_median, raw_cpu_median in figures:
        verdicts.check(
            f"{name}, médiane",
            f"{median:.2f} ms",
            f"≤ {TARGET_MEDIAN_MS:g} ms",
            median <= TARGET_MEDIAN_MS,
        )
        verdicts.check(
            f"{name}, p95", f"{p95:.2f} ms", f"≤ {TARGET_P95_MS:g} ms", p95 <= TARGET_P95_MS
        )
        verdicts.check(
            f"{name}, recherche / index brut",
            f"{ratio:.2f}× (CPU {cpu_median:.2f} ms / {raw_cpu_median:.2f} ms)",
            f"≤ {TARGET_RATIO:g}×",
            ratio <= TARGET_RATIO,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=300, help="requêtes par forme")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", metavar="DIR", help="base gardée (et réutilisée) dans DIR")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="oncolien-bench-search-") as directory:
        if args.keep:
            directory = args.keep
            Path(directory).mkdir(parents=True, exist_ok=True)
        built = Path(directory) / f"bench-{args.services}-{args.seed}.built"
        setup_django(directory)
        from bench.verdicts import Verdicts

        if built.exists():
            print(f"Base réutilisée : {directory}")
        else:
            prepare(args.services, args.seed)
            if args.keep:
                built.touch()
        verdicts = Verdicts("directory_search")
        run(args.runs, args.seed, verdicts)
    verdicts.finish()


if __name__ == "__main__":
    main()
