"""Running OncoLien's own commands in a separate process, against a given database,
as an operator would (the restore replaces a database: never the test's own)."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

MANAGE = Path(settings.BASE_DIR) / "manage.py"

# Each write of the writer: an audit entry and a pathway's version bumped, in one
# transaction, so that a backup that cut through a transaction would be seen.
WRITER = """
import os, pathlib
from django.db import transaction
from django.db.models import F
from oncolien.audit.services import audit_record
from oncolien.pathways.models import Pathway
started = pathlib.Path(os.environ["WRITER_STARTED"])
stop = pathlib.Path(os.environ["WRITER_STOP"])
pathway = int(os.environ["WRITER_PATHWAY"])
count = 0
while count < 20 or not stop.exists():
    with transaction.atomic():
        audit_record(actor=None, action="test.write", target=("test", count), details={"n": count})
        Pathway.objects.filter(pk=pathway).update(version=F("version") + 1)
    count += 1
    if count == 20:
        started.touch()
print(count)
"""


def environment(database_url: str, **extra: str) -> dict[str, str]:
    env = {**os.environ, "DATABASE_URL": database_url, **extra}
    env.pop("PGPASSWORD", None)
    return env


def manage(database_url: str, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(MANAGE), *arguments],
        env=environment(database_url),
        capture_output=True,
        text=True,
        timeout=600,
    )


def start_writer(database_url: str, *, pathway: int, work: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(MANAGE), "shell", "-c", WRITER],
        env=environment(
            database_url,
            WRITER_STARTED=str(work / "writer-started"),
            WRITER_STOP=str(work / "writer-stop"),
            WRITER_PATHWAY=str(pathway),
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(path: Path, process: subprocess.Popen[str], seconds: float = 300) -> None:
    import time

    deadline = time.monotonic() + seconds
    while not path.exists():
        if process.poll() is not None:
            raise AssertionError(f"the writer stopped: {process.communicate()}")
        if time.monotonic() > deadline:
            raise AssertionError("the writer did not start")
        time.sleep(0.05)


def stop_writer(process: subprocess.Popen[str], work: Path) -> int:
    (work / "writer-stop").touch()
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    return int(out.strip().splitlines()[-1])
