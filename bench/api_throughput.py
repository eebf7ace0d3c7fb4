"""Requests/s of real JSON endpoints and of the directory page next to a minimal
Django view, in one run.

Serves the project with gunicorn (the production WSGI server) on 127.0.0.1 over a
fresh SQLite database holding the reference data, the demo territory and the
demo directory, then drives each URL with the same closed-loop client for the
same time, and prints the rates, their ratio to the minimal view and the median
time of one request. The ratio is what to compare between runs and machines: it
shows what the endpoint costs above Django's own floor.

It runs twice: with every answer built at each request (ONCOLIEN_PUBLIC_CACHE_SECONDS=0),
then with the default setting, where anonymous answers of public data are kept until
the data change (oncolien/web/public_cache.py). Each URL is asked again and again, so
the second run measures kept answers; the targets are checked on it.

Targets: every JSON endpoint (reference, CPTS, directory search, HSDS, FHIR)
reaches ≥ 0.5 of the minimal view's rate; the directory page (`/annuaire/`, the
same search as the JSON one) answers ≤ 3 ms above the minimal view (medians).

    .venv/bin/python bench/api_throughput.py [--seconds 8] [--clients 4] [--workers 2]
"""

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
sys.path.insert(0, str(ROOT))

from bench.verdicts import Verdicts  # noqa: E402

MIN_RATIO = 0.5
MAX_PAGE_ABOVE_HELLO_MS = 3.0
HELLO = "vue Django minimale"
PAGE = "page /annuaire/ (même recherche)"
# (label, path, whether the ≥ 0.5 ratio applies)
TARGETS = [
    (HELLO, "/bench/hello", False),
    ("API /api/v1/reference/care-types", "/api/v1/reference/care-types", True),
    ("API /api/v1/territories/cpts", "/api/v1/territories/cpts", True),
    (
        "API /api/v1/directory/services",
        "/api/v1/directory/services?q=diet&commune=12096&radius_km=20",
        True,
    ),
    ("HSDS /hsds/services", "/hsds/services", True),
    ("FHIR /fhir/HealthcareService", "/fhir/HealthcareService", True),
    (PAGE, "/annuaire/?q=diet&commune=12096&radius=20", False),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare_database(env: dict) -> None:
    manage = [PYTHON, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, check=True)
    code = (
        "import django; django.setup();"
        "from oncolien.reference.loader import load_reference;"
        "from oncolien.territories.loaders import load_communes;"
        "from oncolien.territories.demo import load_demo_territory;"
        "from oncolien.directory.demo import load_demo_directory;"
        "load_reference(); load_communes(departments=['12','31','81']); load_demo_territory();"
        "load_demo_directory()"
    )
    subprocess.run([PYTHON, "-c", code], env=env, check=True, cwd=ROOT)


def wait_until_up(port: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/v1/health")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("Le serveur gunicorn n'a pas démarré.")


def measure(port: int, path: str, seconds: float, clients: int) -> tuple[float, int, float]:
    """Closed loop: each client sends a request, waits for the answer, sends the next.

    Returns the rate, the errors and the median time of one request (ms)."""
    counts = [0] * clients
    errors = [0] * clients
    latencies: list[float] = []
    stop_at = time.monotonic() + seconds

    def client(index: int) -> None:
        while time.monotonic() < stop_at:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            try:
                started = time.perf_counter()
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                if response.status == 200:
                    latencies.append((time.perf_counter() - started) * 1000)
                    counts[index] += 1
                else:
                    errors[index] += 1
            except OSError:
                errors[index] += 1
            finally:
                conn.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return sum(counts) / elapsed, sum(errors), statistics.median(latencies or [float("nan")])


@contextmanager
def serving(env: dict, workers: int) -> Iterator[int]:
    """gunicorn on a free port with `env`; yields the port once it answers."""
    port = free_port()
    server = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "oncolien.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        wait_until_up(port)
        yield port
    finally:
        server.terminate()
        try:
            # gunicorn lets its workers finish (up to 30 s) before it stops.
            server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def run_all(port: int, args) -> dict[str, tuple[float, int, float]]:
    for _label, path, _ in TARGETS:  # warm-up: imports, caches, connections
        measure(port, path, 1.0, args.clients)
    results = {label: measure(port, path, args.seconds, args.clients) for label, path, _ in TARGETS}
    print(
        f"gunicorn {args.workers} workers, {args.clients} clients, "
        f"{args.seconds:.0f} s par mesure, {os.cpu_count()} cœurs, "
        f"charge {os.getloadavg()[0]:.1f}"
    )
    floor = results[HELLO][0]
    for label, (rate, errors, median_ms) in results.items():
        print(
            f"  {label:<40} {rate:8.0f} req/s  ratio {rate / floor:5.2f}  "
            f"médiane {median_ms:6.2f} ms  erreurs {errors}"
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    verdicts = Verdicts("api_throughput")

    with tempfile.TemporaryDirectory(prefix="oncolien-bench-") as var_dir:
        env = {
            **os.environ,
            "ONCOLIEN_VAR_DIR": var_dir,
            "DATABASE_URL": "",
            "DJANGO_SETTINGS_MODULE": "bench.settings_bench",
            "PYTHONPATH": str(ROOT),
        }
        print("Préparation de la base SQLite (référentiel, communes 12/31/81, CPTS de démo)…")
        prepare_database(env)
        # Each answer built at every request: what a first reader, or a reader of a
        # listing that just changed, waits for.
        print("\n1. Réponses construites à chaque requête (ONCOLIEN_PUBLIC_CACHE_SECONDS=0) :")
        with serving({**env, "ONCOLIEN_PUBLIC_CACHE_SECONDS": "0"}, args.workers) as port:
            run_all(port, args)
        # The production setting: the anonymous answers of public data kept until the
        # data change (oncolien/web/public_cache.py). The same URL is asked again and
        # again, so these figures are those of kept answers, checked by the fingerprint
        # query at each request.
        print(
            "\n2. Réponses publiques gardées jusqu'au changement des données (réglage par défaut) :"
        )
        with serving(env, args.workers) as port:
            results = run_all(port, args)
        floor, _, hello_ms = results[HELLO]
        print("\nObjectifs (réglage par défaut, même serveur, même exécution) :")
        for label, _path, applies in TARGETS:
            rate, errors, _ = results[label]
            if applies:
                verdicts.check(
                    f"{label}, débit / vue minimale",
                    f"{rate / floor:.2f}" + (f" ({errors} erreurs)" if errors else ""),
                    f"≥ {MIN_RATIO:g}, sans erreur",
                    rate / floor >= MIN_RATIO and not errors,
                )
        above = results[PAGE][2] - hello_ms
        verdicts.check(
            f"{PAGE}, au-dessus de la vue minimale",
            f"{above:.2f} ms (médianes {results[PAGE][2]:.2f} − {hello_ms:.2f} ms)",
            f"≤ {MAX_PAGE_ABOVE_HELLO_MS:g} ms",
            above <= MAX_PAGE_ABOVE_HELLO_MS and not results[PAGE][1],
        )
    verdicts.finish()


if __name__ == "__main__":
    main()
