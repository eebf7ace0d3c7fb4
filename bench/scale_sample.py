"""Table sizes at national scale, extrapolated from a sample measured on PostgreSQL.

Builds a throw-away PostgreSQL cluster, migrates it, loads the reference data, every
commune of France, the demo territory and directory, 5,000 synthetic directory
services, then a sample of patient activity at a known scale: SAMPLE_PATHWAYS pathways
of one year each, with the volumes per pathway-year of PER_PATHWAY_YEAR (visits,
monitoring sheets and the alerts the real rules raise, care team, consent,
treatments, status changes, referrals and their events, audit entries written
through the real `audit_record`, hash chain included). Then it measures each table
(`count(*)`, `pg_total_relation_size`: heap, indexes and TOAST), and extrapolates
the tables that grow with patients to NATIONAL_NEW_CANCERS pathways a year over
1, 5 and 10 years; the others (communes, reference data, directory) do not grow with
patients and are shown as measured. It also says, for each table, whether it carries
the tenant key (a `cpts_id` column) or how it reaches it.

The figures of docs/SCALING.md come from this script:

    .venv/bin/python bench/scale_sample.py [--pathways 2000] [--audit 30000]

Assumptions (per pathway-year) are in PER_PATHWAY_YEAR, stated and printed; the
national figures (≈ 430,000 new cancers a year, ≈ 900 CPTS) are those of issue 13.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
sys.path.insert(0, str(ROOT))

NATIONAL_NEW_CANCERS = 430_000
NATIONAL_CPTS = 900
YEARS = (1, 5, 10)
SAMPLE_PATHWAYS = 2_000
# Per pathway and year of follow-up (assumptions, see docs/SCALING.md): the monitoring
# sheet at each home visit of a community nurse during about six months of treatment,
# a visit of the coordinating nurse a month, two referrals, every read and write of a
# patient's data in the audit trail (the pages read far more often than written).
PER_PATHWAY_YEAR = {
    "visits": 8,
    "sheets": 26,
    "care_team": 3,
    "treatments": 2,
    "status_changes": 3,
    "referrals": 2,
    "referral_events": 3,
    "audit": 150,
}
# Tables that grow with patients: extrapolated from the sample per pathway.
PATIENT_TABLE_PREFIXES = (
    "pathways_",
    "referrals_",
    "assessments_assessment",
    "audit_auditentry",
    "notifications_",
)


def thousands(number: float) -> str:
    return f"{number:,.0f}".replace(",", "\u202f")


def size(number: float) -> str:
    for unit, scale in (("Tio", 2**40), ("Gio", 2**30), ("Mio", 2**20), ("kio", 2**10)):
        if number >= scale:
            return f"{number / scale:.1f} {unit}".replace(".", ",")
    return f"{number:.0f} o"


def build_here(pathways: int, audit: int) -> None:
    """In a subprocess with Django: the sample, written with bulk inserts (audit entries
    through `audit_record`)."""
    import django

    django.setup()
    from datetime import date, timedelta
    from decimal import Decimal

    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from bench.pathways_pages import sheet_values
    from bench.synthetic_directory import generate
    from oncolien.accounts.models import Membership, Role, User
    from oncolien.audit.services import audit_record
    from oncolien.directory.demo import load_demo_directory
    from oncolien.pathways import alerts as rules
    from oncolien.pathways.models import (
        Alert,
        CareTeamMember,
        Consent,
        MonitoringRecord,
        Pathway,
        Patient,
        StatusChange,
        Treatment,
        Visit,
    )
    from oncolien.reference.loader import load_reference
    from oncolien.reference.models import CareType
    from oncolien.referrals.models import Referral, ReferralEvent
    from oncolien.territories.demo import load_demo_territory
    from oncolien.territories.loaders import load_communes
    from oncolien.territories.models import Cpts

    started = time.perf_counter()
    load_reference()
    call_command("load_instruments", verbosity=0)
    load_communes()  # all of France: the reference table at its real size
    load_demo_territory()
    load_demo_directory()
    generate(5_000, seed=7, departments=["12", "31", "81"])
    print(f"  référentiel, communes, annuaire en {time.perf_counter() - started:.0f} s")

    started = time.perf_counter()
    rng = random.Random(7)
    cpts = Cpts.objects.get(slug="cpts-nord-aveyron")
    communes = list(cpts.communes.all())
    nurse = User.objects.create_user(username="idec.echantillon", first_name="I", last_name="E")
    Membership.objects.create(user=nurse, role=Role.COORDINATING_NURSE, cpts=cpts)
    care_types = list(CareType.objects.all())
    now = timezone.now()
    rate = PER_PATHWAY_YEAR
    with transaction.atomic():
        patients = Patient.objects.bulk_create(
            Patient(
                last_name=f"Echantillon-{i}",
                first_name=rng.choice(["Jeanne", "Paul", "Marie", "Louis"]),
                birth_date=date(1940, 1, 1) + timedelta(days=rng.randint(0, 365 * 45)),
                sex=rng.choice("FM"),
                commune=rng.choice(communes),
                phone="06 12 34 56 78",
            )
            for i in range(pathways)
        )
        made = Pathway.objects.bulk_create(
            Pathway(
                patient=patient,
                cpts=cpts,
                status="followed",
                intake_channel=rng.choice(["phone_line", "gp", "oncologist"]),
                first_contact_on=date(2025, 1, 1) + timedelta(days=rng.randint(0, 300)),
                reference_weight_kg=Decimal(rng.randint(500, 900)) / 10,
                created_by=nurse,
            )
            for patient in patients
        )
        CareTeamMember.objects.bulk_create(
            CareTeamMember(pathway=p, role=role, user=nurse if role == "coordinating_nurse" else None,
                           name=f"Dr Nom {i}")
            for p in made
            for i, role in enumerate(["coordinating_nurse", "gp", "oncologist"][: rate["care_team"]])
        )  # fmt: skip
        Consent.objects.bulk_create(
            Consent(pathway=p, informed_on=p.first_contact_on, recorded_by=nurse) for p in made
        )
        Treatment.objects.bulk_create(
            Treatment(pathway=p, kind=kind, started_on=p.first_contact_on)
            for p in made
            for kind in ["chemotherapy", "radiotherapy"][: rate["treatments"]]
        )
        StatusChange.objects.bulk_create(
            StatusChange(pathway=p, to_status=status, changed_by=nurse, changed_at=now)
            for p in made
            for status in ["first_contact", "included", "followed"][: rate["status_changes"]]
        )
        visits = Visit.objects.bulk_create(
            Visit(
                pathway=p,
                kind="home",
                occurred_at=now - timedelta(days=40 * i),
                author=nurse,
                notes="Visite à domicile : point sur les symptômes, orientation.",
            )
            for p in made
            for i in range(rate["visits"])
        )
        records = MonitoringRecord.objects.bulk_create(
            (
                MonitoringRecord(
                    pathway=p,
                    author=nurse,
                    recorded_at=now - timedelta(days=7 * i),
                    **sheet_values(rng, p.reference_weight_kg),
                )
                for p in made
                for i in range(rate["sheets"])
            ),
            batch_size=5_000,
        )
        context = {p.pk: rules.Context(reference_weight_kg=p.reference_weight_kg) for p in made}
        Alert.objects.bulk_create(
            (
                Alert(
                    pathway_id=r.pathway_id,
                    record=r,
                    rule=rule.code,
                    severity=rule.severity,
                    message=rule.message(r, context[r.pathway_id]),
                    raised_at=r.recorded_at,
                )
                for r in records
                for rule in rules.breached_rules(r, context[r.pathway_id])
            ),
            batch_size=5_000,
        )
        referrals = Referral.objects.bulk_create(
            Referral(
                pathway=p,
                care_type=rng.choice(care_types),
                external_name="Cabinet de diététique",
                status="sent",
                reason="Perte de poids, besoin d'un suivi nutritionnel.",
                created_by=nurse,
                status_changed_at=now,
            )
            for p in made
            for _ in range(rate["referrals"])
        )
        ReferralEvent.objects.bulk_create(
            ReferralEvent(referral=r, from_status="", to_status="sent", at=now, by=nurse)
            for r in referrals
            for _ in range(rate["referral_events"])
        )
    print(
        f"  {thousands(pathways)} parcours d'un an, {thousands(len(visits))} visites, "
        f"{thousands(len(records))} fiches en {time.perf_counter() - started:.0f} s"
    )
    started = time.perf_counter()
    ids = [p.pk for p in made]
    for start in range(0, audit, 1_000):
        with transaction.atomic():
            for n in range(start, min(audit, start + 1_000)):
                pathway_id = ids[n % len(ids)]
                if n % 3:
                    audit_record(actor=nurse, action="pathway.read", target=("pathway", pathway_id))
                else:
                    audit_record(
                        actor=nurse,
                        action="monitoring.create",
                        target=("pathway", pathway_id),
                        details={"record": records[n % len(records)].pk, "alerts": []},
                    )
    print(
        f"  {thousands(audit)} entrées d'audit (audit_record, chaînées) "
        f"en {time.perf_counter() - started:.0f} s"
    )


def measure(database_url: str) -> list[dict]:
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        measured = []
        for table in tables:
            rows = connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608
            total, heap = connection.execute(
                "SELECT pg_total_relation_size(%s::regclass), pg_relation_size(%s::regclass)",
                (f'"{table}"', f'"{table}"'),
            ).fetchone()
            has_cpts = bool(
                connection.execute(
                    "SELECT 1 FROM information_schema.columns WHERE table_name = %s "
                    "AND column_name = 'cpts_id'",
                    (table,),
                ).fetchone()
            )
            has_pathway = bool(
                connection.execute(
                    "SELECT 1 FROM information_schema.columns WHERE table_name = %s "
                    "AND column_name = 'pathway_id'",
                    (table,),
                ).fetchone()
            )
            measured.append(
                {"table": table, "rows": rows, "bytes": total, "heap": heap,
                 "cpts_id": has_cpts, "pathway_id": has_pathway}
            )  # fmt: skip
    return measured


def report(measured: list[dict], pathways: int, audit: int) -> None:
    audit_per_pathway = audit / pathways
    grows = [m for m in measured if m["table"].startswith(PATIENT_TABLE_PREFIXES) and m["rows"]]
    print(
        f"\nÉchantillon : {thousands(pathways)} parcours-années ; hypothèses par parcours et par "
        f"an : {json.dumps(PER_PATHWAY_YEAR, ensure_ascii=False)} (audit mesuré : "
        f"{audit_per_pathway:.0f} entrées par parcours dans l'échantillon, extrapolé à "
        f"{PER_PATHWAY_YEAR['audit']})."
    )
    print(
        f"National : {thousands(NATIONAL_NEW_CANCERS)} parcours par an "
        f"(≈ {NATIONAL_NEW_CANCERS / NATIONAL_CPTS:.0f} par CPTS pour {NATIONAL_CPTS} CPTS)."
    )
    header = "  {:<34} {:>9} {:>8} {:>7}  " + "  ".join("{:>22}" for _ in YEARS)
    print(
        header.format(
            "table (croît avec les patients)", "lignes éch.", "o/ligne", "cpts_id",
            *[f"{years} an(s) : lignes / taille" for years in YEARS],
        )
    )  # fmt: skip
    totals = dict.fromkeys(YEARS, 0.0)
    for m in sorted(grows, key=lambda m: -m["bytes"]):
        per_row = m["bytes"] / m["rows"]
        per_pathway = m["rows"] / pathways
        if m["table"] == "audit_auditentry":
            per_pathway = PER_PATHWAY_YEAR["audit"]
        cells = []
        for years in YEARS:
            rows = per_pathway * NATIONAL_NEW_CANCERS * years
            totals[years] += rows * per_row
            cells.append(f"{thousands(rows)} / {size(rows * per_row)}")
        key = "oui" if m["cpts_id"] else ("parcours" if m["pathway_id"] else "non")
        print(header.format(m["table"][:34], thousands(m["rows"]), f"{per_row:.0f}", key, *cells))
    print("  " + "total".ljust(34) + " " * 29 + "  ".join(f"{size(totals[y]):>22}" for y in YEARS))
    print("\nTables qui ne croissent pas avec les patients (mesurées telles quelles) :")
    others = [m for m in measured if m not in grows and m["rows"]]
    for m in sorted(others, key=lambda m: -m["bytes"])[:15]:
        print(
            f"  {m['table']:<40} {thousands(m['rows']):>9} lignes  {size(m['bytes']):>10}"
            f"  cpts_id : {'oui' if m['cpts_id'] else 'non'}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pathways", type=int, default=SAMPLE_PATHWAYS)
    parser.add_argument("--audit", type=int, default=30_000)
    parser.add_argument("--build", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        build_here(args.pathways, args.audit)
        return
    from tests.deployment.pg_restart import Cluster

    print(f"Échantillon sur PostgreSQL (charge de la machine : {os.getloadavg()[0]:.1f}) :")
    with tempfile.TemporaryDirectory(prefix="oncolien-scale-") as var_dir:
        cluster = Cluster()
        try:
            cluster.start()
            cluster.create_database()
            env = {
                **os.environ,
                "DATABASE_URL": cluster.url,
                "ONCOLIEN_VAR_DIR": var_dir,
                "DJANGO_SETTINGS_MODULE": "oncolien.settings",
                "DJANGO_SECRET_KEY": "scale-sample-" + "s" * 50,
                "PYTHONPATH": str(ROOT),
            }
            manage = [PYTHON, str(ROOT / "manage.py")]
            subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, check=True)
            subprocess.run(
                [PYTHON, "-u", str(Path(__file__)), "--build", "--pathways", str(args.pathways),
                 "--audit", str(args.audit)],
                env=env,
                cwd=ROOT,
                check=True,
            )  # fmt: skip
            measured = measure(cluster.url)
        finally:
            cluster.remove()
    report(measured, args.pathways, args.audit)


if __name__ == "__main__":
    main()
