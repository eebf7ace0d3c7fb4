"""Requests/s of a real JSON endpoint next to a minimal Django view, in one run.

Serves the project with gunicorn (the production WSGI server) on 127.0.0.1 over a
fresh SQLite database holding the reference data and the demo territory, then
drives each URL with the same closed-loop client for the same time, and prints
both rates and their ratio. The ratio is what to compare between runs and
machines: it shows what the endpoint costs above Django's own floor.

    .venv/bin/python bench/api_throughput.py [--seconds 8] [--clients 4] [--workers 2]
"""

import argparse
import http.client
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


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
        "load_reference(); load_communes(departments=['12','31','81']); load_demo_territory()"
    )
    subprocess.run([PYTHON, "-c", code], env=env, check=True, cwd=ROOT)


def wait_until_up(port: int, timeout: float = 30) -> None:
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


def measure(port: int, path: str, seconds: float, clients: int) -> tuple[float, int]:
    """Closed loop: each client sends a request, waits for the answer, sends the next."""
    counts = [0] * clients
    errors = [0] * clients
    stop_at = time.monotonic() + seconds

    def client(index: int) -> None:
        while time.monotonic() < stop_at:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                if response.status == 200:
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
    return sum(counts) / elapsed, sum(errors)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

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
        port = free_port()
        server = subprocess.Popen(
            [
                str(Path(PYTHON).parent / "gunicorn"),
                "oncolien.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
        )
        try:
            wait_until_up(port)
            targets = [
                ("vue Django minimale", "/bench/hello"),
                ("API JSON /api/v1/reference/care-types", "/api/v1/reference/care-types"),
                ("API JSON /api/v1/territories/cpts", "/api/v1/territories/cpts"),
            ]
            for _label, path in targets:  # warm-up: imports, caches, connections
                measure(port, path, 1.0, args.clients)
            results = []
            for label, path in targets:
                rate, errors = measure(port, path, args.seconds, args.clients)
                results.append((label, rate, errors))
            print(
                f"\ngunicorn {args.workers} workers, {args.clients} clients, "
                f"{args.seconds:.0f} s par mesure, {os.cpu_count()} cœurs"
            )
            floor = results[0][1]
            for label, rate, errors in results:
                print(
                    f"  {label:<42} {rate:8.0f} req/s  ratio {rate / floor:5.2f}  erreurs {errors}"
                )
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
