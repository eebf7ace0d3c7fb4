"""Run every benchmark, whatever the previous one found, then list the targets missed.

`make bench` calls this. Each bench runs in its own process, its output shown
as it comes; a missed target does not stop the others. At the end: one line
per bench (targets met, missed, or the bench failed to run), then every missed
target, and the exit status is 1 when any target was missed or any bench failed.

    .venv/bin/python bench/run_all.py [bench_name ...]
"""

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.verdicts import MISSED_LINE  # noqa: E402

BENCHES = [
    "api_throughput",
    "directory_search",
    "directory_pdf",
    "pathways_pages",
    "indicators",
    "surveys",
    # The mixed workload with locust on PostgreSQL (10, 25, 50 users) and SQLite (25).
    "load",
]


def run(name: str) -> tuple[int, list[str], float]:
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-u", str(ROOT / "bench" / f"{name}.py")],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    missed = []
    assert process.stdout is not None
    for line in process.stdout:
        print(line, end="", flush=True)
        if line.startswith(MISSED_LINE):
            missed.append(line[len(MISSED_LINE) :].strip())
    return process.wait(), missed, time.monotonic() - started


def main() -> None:
    names = sys.argv[1:] or BENCHES
    unknown = sorted(set(names) - set(BENCHES))
    if unknown:
        raise SystemExit(
            f"Benchmark inconnu : {', '.join(unknown)} (connus : {', '.join(BENCHES)})."
        )
    summary, all_missed, failed = [], [], False
    for name in names:
        print(f"\n===== bench/{name}.py =====", flush=True)
        status, missed, seconds = run(name)
        all_missed += missed
        if missed:
            outcome = f"{len(missed)} objectif(s) manqué(s)"
        elif status != 0:
            failed = True
            outcome = f"ÉCHEC : le bench s'est arrêté (code {status}) sans verdict"
        else:
            outcome = "objectifs atteints"
        summary.append(f"  {name:<18} {seconds:6.0f} s  {outcome}")
    print("\n===== Bilan de make bench =====")
    print("\n".join(summary))
    if all_missed:
        print("\nObjectifs manqués :")
        for line in all_missed:
            print(f"  - {line}")
    else:
        print("\nAucun objectif manqué.")
    sys.exit(1 if all_missed or failed else 0)


if __name__ == "__main__":
    main()
