"""A PostgreSQL cluster and a gunicorn server of our own, for the fault tests.

`Cluster` is a throw-away PostgreSQL cluster (initdb in a temporary directory, a free
port, as `scripts/with-postgres.sh` makes one) that a test may stop and start again;
the server is `servers.start_app_server`, gunicorn as in production.
`prepare` (run in a subprocess, `python -m tests.deployment.pg_restart prepare`) migrates
the server's database and writes the little a workload needs (see `_prepare_here`),
and prints the nurse's API token and the pathways as JSON.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.deployment.servers import free_port

ROOT = Path(__file__).resolve().parent.parent.parent
PYTHON = sys.executable
NURSE = "idec.test-panne"
# One pathway per writing thread of the workload.
PATHWAYS = 4


def postgres_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    return found[-1].parent if found else None


class Cluster:
    """initdb, start, stop (-m fast: what a restart does to open sessions), start again."""

    def __init__(self) -> None:
        binaries = postgres_bin()
        if binaries is None:
            raise RuntimeError("PostgreSQL n'est pas installé (/usr/lib/postgresql/*/bin).")
        self.bin = binaries
        self.dir = Path(tempfile.mkdtemp(prefix="oncolien-pg-restart-"))
        self.port = free_port()
        self.as_postgres: list[str] = []
        if os.getuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
            self.dir.chmod(0o700)
            self.as_postgres = ["runuser", "-u", "postgres", "--"]
        self._run(
            "initdb", "-D", str(self.dir / "data"), "-U", "postgres", "--auth=trust",
            "-E", "UTF8", "--locale=C.UTF-8",
        )  # fmt: skip

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/oncolien"

    def _run(self, tool: str, *args: str) -> None:
        # From /, so that the postgres user never needs our working directory.
        subprocess.run(
            [*self.as_postgres, str(self.bin / tool), *args],
            cwd="/",
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.dir} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            "pg_ctl", "-D", str(self.dir / "data"), "-w", "-l", str(self.dir / "server.log"),
            "-o", options, "start",
        )  # fmt: skip

    def create_database(self) -> None:
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "oncolien")

    def postmaster_pid(self) -> int:
        return int((self.dir / "data" / "postmaster.pid").read_text().split()[0])

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.dir / "data"), "-w", "-m", mode, "stop")

    def remove(self) -> None:
        # Already stopped when a test failed between a stop and a start.
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)


def server_env(database_url: str, var_dir: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "ONCOLIEN_VAR_DIR": var_dir,
        "DJANGO_SETTINGS_MODULE": "oncolien.settings",
        "DJANGO_SECRET_KEY": "fault-test-" + "k" * 50,
        "ONCOLIEN_REQUIRE_2FA": "0",
        "PYTHONPATH": str(ROOT),
    }


def prepare(env: dict[str, str]) -> dict[str, object]:
    """Migrate and load the demo data in a subprocess; returns what `prepare` printed."""
    manage = [PYTHON, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, cwd=ROOT, check=True)
    done = subprocess.run(
        [PYTHON, "-m", "tests.deployment.pg_restart", "prepare"],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _prepare_here() -> None:
    """The least a workload needs, written in a few seconds: the reference data, the
    communes of Aveyron, one CPTS, its coordinating nurse with an API token, and one
    pathway of hers for each writing thread."""
    from datetime import date
    from decimal import Decimal

    import django

    django.setup()
    from oncolien.accounts.models import Membership, Role, User
    from oncolien.apitokens.services import token_create
    from oncolien.pathways.models import CareTeamMember, Consent, Pathway, Patient
    from oncolien.reference.loader import load_reference
    from oncolien.territories.loaders import load_communes
    from oncolien.territories.models import Commune, Cpts

    load_reference()
    load_communes(departments=["12"])
    communes = list(Commune.objects.filter(department__code="12").order_by("insee_code")[:30])
    cpts = Cpts.objects.create(name="CPTS du test de panne", slug="cpts-test-panne")
    cpts.communes.set(communes)
    nurse = User.objects.create_user(username=NURSE, first_name="Nathalie", last_name="Bousquet")
    Membership.objects.create(user=nurse, role=Role.COORDINATING_NURSE, cpts=cpts)
    pathways = []
    for number in range(PATHWAYS):
        patient = Patient.objects.create(
            last_name=f"Panne-{number}",
            first_name="Jeanne",
            birth_date=date(1950, 1, 1),
            sex="F",
            commune=communes[number % len(communes)],
        )
        pathway = Pathway.objects.create(
            patient=patient,
            cpts=cpts,
            status="followed",
            intake_channel="gp",
            first_contact_on=date(2026, 1, 5),
            reference_weight_kg=Decimal("70.0"),
            created_by=nurse,
        )
        CareTeamMember.objects.create(
            pathway=pathway, role="coordinating_nurse", user=nurse, name="Nathalie Bousquet"
        )
        Consent.objects.create(pathway=pathway, informed_on=date(2026, 1, 5), recorded_by=nurse)
        pathways.append(pathway.pk)
    created = token_create(
        user=nurse, name="Test de panne", scope="write", cpts=cpts, lifetime_days=1
    )
    print(json.dumps({"token": created.secret, "pathways": pathways}))


if __name__ == "__main__" and sys.argv[1:] == ["prepare"]:
    _prepare_here()
