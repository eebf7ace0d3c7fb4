"""Time and SQL query count of the worklist and of a pathway page, at 10,000 pathways
and 200,000 monitoring sheets, on SQLite.

Builds a throw-away SQLite database in a temporary directory (the real
migrations, the reference data, the communes of departments 12, 31 and 81, the
demo territory), then bulk-creates N pathways of patients living in CPTS Nord
Aveyron, each with a coordinating nurse on its care team, M monitoring sheets
and the alerts those sheets raise (computed by the real rules table,
`pathways.alerts`). The data is written with bulk_create, not through the
services, for speed: the services audit each write one by one.

Then, logged in as that coordinating nurse (a verified second factor in the
session, as after a full log-in), it measures through Django's test client:

- the worklist, for a nurse who sees 3 pathways and for one who sees all N;
- the pathway page of a pathway with few sheets and of one with many;
- beside the hello-world view, the floor of any page of patient data: one pathway
  read through `pathway_for` (authorised, audited) shown in the shared layout.

Each figure is the median of several runs, with the number of SQL queries of
one run: the point is that the query count does not grow with the number of
records shown. When the pages do not exist yet (urls "pathways:worklist" and
"pathways:pathway_detail"), only the selectors behind them are measured
(`worklist_for`, `pathway_for` + `timeline_page_for`); they are always measured too,
to tell the reads from the HTML rendering. Run:

    .venv/bin/python bench/pathways_pages.py [--pathways 10000] [--sheets 200000] [--runs 7]
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FEW_SHEETS = 10
MANY_SHEETS = 5_000
# Targets of issue 9: a long history costs little more than a short one, and a page
# costs little more than Django answering at all.
MAX_RATIO = 1.5
MAX_ABOVE_HELLO_MS = 15.0


def thousands(number: int) -> str:
    return f"{number:,}".replace(",", "\u202f")


def setup_django(directory: str) -> None:
    os.environ["ONCOLIEN_VAR_DIR"] = directory
    os.environ["DATABASE_URL"] = ""
    # The real project plus a hello-world view, the floor every page is compared to.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings_bench")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.template.base import Template
    from django.test.utils import setup_test_environment

    # The test client's host name and an in-memory mail backend…
    served = Template._render
    setup_test_environment()
    # …but templates rendered as a server renders them: the test instrumentation sends a
    # signal per template and the test client copies each context, for assertions no
    # measure makes (a few milliseconds on a page of many templates, none on hello).
    Template._render = served  # type: ignore[method-assign]


# --- Data --------------------------------------------------------------------------------


def load_base() -> None:
    from django.core.management import call_command

    from oncolien.reference.loader import load_reference
    from oncolien.territories.demo import load_demo_territory
    from oncolien.territories.loaders import load_communes

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    load_reference()
    load_communes(departments=["12", "31", "81"])
    load_demo_territory()
    print(
        "Base prête (migrations, référentiel, communes 12/31/81, territoire de démonstration) "
        f"en {time.perf_counter() - started:.1f} s"
    )


def make_nurse(username: str, cpts):
    from oncolien.accounts.models import Membership, Role, User

    user = User.objects.create_user(
        username=username,
        first_name="Infirmière",
        last_name=username,
        email=f"{username}@x.invalid",
    )
    Membership.objects.create(user=user, role=Role.COORDINATING_NURSE, cpts=cpts)
    return user


def sheet_values(rng: random.Random, reference_kg: Decimal) -> dict:
    """One plausible sheet; about one in ten breaches a rule, as in a real caseload."""
    # Weight within 4 % of the reference, sometimes (below) a loss of 5 % or more.
    weight = reference_kg * Decimal(rng.randint(960, 1030)) / 1000
    values = {
        "weight_kg": weight.quantize(Decimal("0.1")),
        "systolic_bp": rng.randint(105, 150),
        "diastolic_bp": rng.randint(60, 95),
        "pulse_bpm": rng.randint(55, 105),
        "pulse_regular": rng.random() > 0.05,
        "saturation_pct": rng.randint(93, 99),
        "temperature_c": Decimal(rng.randint(361, 376)) / 10,
        "nausea": rng.random() < 0.2,
        "pain_score": rng.randint(0, 5),
        "venous_access": rng.choice(["none", "none", "picc", "port"]),
        "observations": "",
    }
    if values["venous_access"] != "none":
        values["venous_access_flush"] = "done"
        values["venous_access_aspect"] = "normal"
    draw = rng.random()
    if draw < 0.03:
        values["temperature_c"] = Decimal(rng.randint(380, 402)) / 10
    elif draw < 0.05:
        values["pain_score"] = rng.randint(6, 9)
    elif draw < 0.06:
        values["vomiting"] = "refractory"
    elif draw < 0.07:
        values["saturation_pct"] = rng.randint(85, 91)
    elif draw < 0.08 and values["venous_access"] != "none":
        values["venous_access_aspect"] = "redness"
    elif draw < 0.09:
        values["weight_kg"] = (reference_kg * Decimal("0.93")).quantize(Decimal("0.1"))
    return values


@dataclass
class Built:
    pathways: int
    nurse: object
    few_nurse: object
    few_pathway: object
    many_pathway: object
    alerts: int
    open_alerts: int


def build(pathways: int, sheets: int, seed: int) -> Built:
    """Bulk-create the caseload of CPTS Nord Aveyron."""
    from django.db import transaction
    from django.utils import timezone

    from oncolien.pathways import alerts as rules
    from oncolien.pathways.models import (
        Alert,
        CareTeamMember,
        Consent,
        MonitoringRecord,
        Pathway,
        Patient,
        StatusChange,
        Visit,
    )
    from oncolien.territories.models import Cpts

    rng = random.Random(seed)
    started = time.perf_counter()
    cpts = Cpts.objects.get(slug="cpts-nord-aveyron")
    communes = list(cpts.communes.all())
    nurse = make_nurse("idec.bench", cpts)
    few_nurse = make_nurse("idec.petite-file", cpts)
    now = timezone.now()
    names = ["Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois"]
    firsts = ["Jeanne", "Marie", "Paul", "Louis", "Anne", "Pierre", "Claire", "Jean"]
    with transaction.atomic():
        patients = Patient.objects.bulk_create(
            Patient(
                last_name=f"{rng.choice(names)}-{i}",
                first_name=rng.choice(firsts),
                birth_date=date(1935, 1, 1) + timedelta(days=rng.randint(0, 365 * 55)),
                sex=rng.choice("FM"),
                commune=rng.choice(communes),
            )
            for i in range(pathways)
        )
        made = Pathway.objects.bulk_create(
            Pathway(
                patient=patient,
                cpts=cpts,
                status=rng.choice(["included", "followed", "followed", "closed"]),
                intake_channel=rng.choice(["phone_line", "gp", "oncologist"]),
                first_contact_on=date(2024, 1, 1) + timedelta(days=rng.randint(0, 700)),
                reference_weight_kg=Decimal(rng.randint(500, 900)) / 10,
                created_by=nurse,
            )
            for patient in patients
        )
        # The two measured pathways stay open; the nurse of the short caseload is on 3.
        few_pathway, many_pathway = made[0], made[1]
        Pathway.objects.filter(pk__in=[few_pathway.pk, many_pathway.pk]).update(status="followed")
        team = [
            CareTeamMember(
                pathway=p, role="coordinating_nurse", user=nurse, name="Infirmière idec.bench"
            )
            for p in made
        ]
        team += [
            CareTeamMember(pathway=p, role="coordinating_nurse", user=few_nurse, name="IDEC 2")
            for p in made[:3]
        ]
        team += [CareTeamMember(pathway=p, role="gp", name=f"Dr Médecin {p.pk % 40}") for p in made]
        CareTeamMember.objects.bulk_create(team, batch_size=5000)
        Consent.objects.bulk_create(
            (Consent(pathway=p, informed_on=p.first_contact_on, recorded_by=nurse) for p in made),
            batch_size=5000,
        )
        StatusChange.objects.bulk_create(
            (
                StatusChange(pathway=p, to_status="first_contact", changed_by=nurse, changed_at=now)
                for p in made
            ),
            batch_size=5000,
        )
    print(
        f"{thousands(pathways)} parcours (patients, équipes de soins, informations) "
        f"en {time.perf_counter() - started:.1f} s"
    )

    # Sheets: FEW_SHEETS on the first pathway, MANY_SHEETS on the second, the rest spread.
    started = time.perf_counter()
    counts = [FEW_SHEETS, MANY_SHEETS]
    rest = sheets - FEW_SHEETS - MANY_SHEETS
    others = len(made) - 2
    counts += [rest // others + (1 if i < rest % others else 0) for i in range(others)]
    context = {p.pk: rules.Context(reference_weight_kg=p.reference_weight_kg) for p in made}
    alerts = open_alerts = 0
    batch: list[MonitoringRecord] = []

    def flush(batch: list[MonitoringRecord]) -> tuple[int, int]:
        created = MonitoringRecord.objects.bulk_create(batch)
        raised = []
        for record in created:
            for rule in rules.breached_rules(record, context[record.pathway_id]):
                age = now - record.recorded_at
                acknowledged = age > timedelta(days=2)
                raised.append(
                    Alert(
                        pathway_id=record.pathway_id,
                        record=record,
                        rule=rule.code,
                        severity=rule.severity,
                        message=rule.message(record, context[record.pathway_id]),
                        raised_at=record.recorded_at,
                        acknowledged_at=record.recorded_at + timedelta(hours=2)
                        if acknowledged
                        else None,
                        acknowledged_by=nurse if acknowledged else None,
                        acknowledgement_comment="Appel du médecin traitant" if acknowledged else "",
                        escalated_at=record.recorded_at + timedelta(hours=4)
                        if not acknowledged and age > timedelta(hours=4)
                        else None,
                    )
                )
        Alert.objects.bulk_create(raised)
        return len(raised), sum(1 for alert in raised if alert.acknowledged_at is None)

    with transaction.atomic():
        # The measured pathways' sheets come with their home visits, as in real use.
        for pathway, count in ((few_pathway, FEW_SHEETS), (many_pathway, MANY_SHEETS)):
            visits = Visit.objects.bulk_create(
                Visit(
                    pathway=pathway,
                    kind="home",
                    occurred_at=now - timedelta(days=i, hours=1),
                    author=nurse,
                    notes="Visite à domicile de suivi.",
                )
                for i in range(count)
            )
            for i, visit in enumerate(visits):
                batch.append(
                    MonitoringRecord(
                        pathway=pathway,
                        visit=visit,
                        author=nurse,
                        recorded_at=now - timedelta(days=i),
                        **sheet_values(rng, pathway.reference_weight_kg),
                    )
                )
        for pathway, count in zip(made[2:], counts[2:], strict=True):
            for i in range(count):
                batch.append(
                    MonitoringRecord(
                        pathway=pathway,
                        author=nurse,
                        # Sheets every few days over about two years, the latest recent.
                        recorded_at=now - timedelta(hours=rng.randint(1, 48) + 24 * 35 * i),
                        **sheet_values(rng, pathway.reference_weight_kg),
                    )
                )
                if len(batch) >= 20_000:
                    made_alerts, made_open = flush(batch)
                    alerts, open_alerts = alerts + made_alerts, open_alerts + made_open
                    batch = []
        if batch:
            made_alerts, made_open = flush(batch)
            alerts, open_alerts = alerts + made_alerts, open_alerts + made_open
    print(
        f"{thousands(sheets)} fiches de surveillance et leurs {thousands(alerts)} alertes "
        f"({thousands(open_alerts)} non prises en compte) en {time.perf_counter() - started:.1f} s"
    )
    return Built(pathways, nurse, few_nurse, few_pathway, many_pathway, alerts, open_alerts)


# --- Measures ------------------------------------------------------------------------------


def logged_in_client(user):
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user)
    device, _ = TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "b"})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@dataclass
class Measure:
    median_ms: float
    queries: int
    shown: str
    # The processor time of this process alone: the same figure on a busy machine.
    cpu_ms: float = 0.0


def measure(call, runs: int) -> Measure:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call()  # warm the caches and query plans
    timings, cpu, counts, shown = [], [], [], ""
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started, started_cpu = time.perf_counter(), time.process_time()
            shown = call()
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        counts.append(len(queries))
    return Measure(statistics.median(timings), max(counts), shown, statistics.median(cpu))


def page_calls(built: Built):
    """(label, call) pairs through the pages, or None when they do not exist yet."""
    from django.urls import NoReverseMatch, reverse

    try:
        worklist = reverse("pathways:worklist")
        few_url = reverse("pathways:pathway_detail", kwargs={"pk": built.few_pathway.pk})
        many_url = reverse("pathways:pathway_detail", kwargs={"pk": built.many_pathway.pk})
    except NoReverseMatch:
        return None
    nurse, few_nurse = logged_in_client(built.nurse), logged_in_client(built.few_nurse)

    def get(client, url):
        def call():
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{url} : HTTP {response.status_code}")
            return f"{len(response.content) // 1024} Kio"

        return call

    return [
        (HELLO, get(nurse, "/bench/hello")),
        (FLOOR, get(nurse, f"/bench/plancher-page-patient/{built.few_pathway.pk}")),
        ("Liste de travail — 3 parcours visibles", get(few_nurse, worklist)),
        (f"Liste de travail — {thousands(built.pathways)} parcours visibles", get(nurse, worklist)),
        (f"Page parcours — {FEW_SHEETS} fiches", get(nurse, few_url)),
        (f"Page parcours — {thousands(MANY_SHEETS)} fiches", get(nurse, many_url)),
    ]


def selector_calls(built: Built):
    from oncolien.pathways.selectors import pathway_for, timeline_page_for, worklist_for

    for user in (built.nurse, built.few_nurse):
        user.is_verified = lambda: True  # as after a full log-in

    def worklist(user):
        def call():
            shown = worklist_for(user=user)
            return f"{len(shown.open_alerts)} alerte(s), {len(shown.pathways)} parcours"

        return call

    def timeline(pathway):
        def call():
            shown = timeline_page_for(pathway_for(user=built.nurse, pk=pathway.pk))
            return f"{thousands(len(shown.events))} évènements (première page)"

        return call

    return [
        ("worklist_for — 3 parcours visibles", worklist(built.few_nurse)),
        (f"worklist_for — {thousands(built.pathways)} parcours visibles", worklist(built.nurse)),
        (f"pathway_for + timeline_page_for — {FEW_SHEETS} fiches", timeline(built.few_pathway)),
        (
            f"pathway_for + timeline_page_for — {thousands(MANY_SHEETS)} fiches",
            timeline(built.many_pathway),
        ),
    ]


HELLO = "Vue « hello world » (plancher de Django)"
FLOOR = "Plancher d'une page patient (lecture + audit + gabarit)"


def print_measures(calls, runs: int) -> dict[str, Measure]:
    print(f"\n{'mesure':<52} {'médiane':>10} {'dont CPU':>10} {'requêtes SQL':>13}  affiché")
    results = {}
    for label, call in calls:
        result = results[label] = measure(call, runs)
        print(
            f"{label:<52} {result.median_ms:>7.1f} ms {result.cpu_ms:>7.1f} ms "
            f"{result.queries:>13}  {result.shown}"
        )
    return results


def print_targets(results: dict[str, Measure], built: Built, verdicts) -> None:
    """The figures issue 9 asks for, each with its target."""
    hello = results[HELLO].median_ms
    few = results[f"Page parcours — {FEW_SHEETS} fiches"].median_ms
    many = results[f"Page parcours — {thousands(MANY_SHEETS)} fiches"].median_ms
    worklist = results[f"Liste de travail — {thousands(built.pathways)} parcours visibles"]

    ratio = many / few
    print("\nObjectifs (même exécution, même processus) :")
    verdicts.check(
        f"page parcours {thousands(MANY_SHEETS)} fiches / {FEW_SHEETS} fiches",
        f"{ratio:.2f}",
        f"≤ {MAX_RATIO}",
        ratio <= MAX_RATIO,
    )
    few_page = results[f"Page parcours — {FEW_SHEETS} fiches"]
    for label, value, cpu in (
        (
            f"liste de travail ({thousands(built.pathways)} parcours)",
            worklist.median_ms,
            worklist.cpu_ms,
        ),
        (f"page parcours ({FEW_SHEETS} fiches)", few, few_page.cpu_ms),
    ):
        above = value - hello
        print(
            f"  ({label} : {value - results[FLOOR].median_ms:.1f} ms au-dessus du plancher "
            f"d'une page patient, lui-même à {results[FLOOR].median_ms - hello:.1f} ms "
            "au-dessus de la vue hello world)"
        )
        verdicts.check(
            f"{label} au-dessus de la vue hello world",
            f"{above:.1f} ms (CPU : {cpu - results[HELLO].cpu_ms:.1f} ms)",
            f"≤ {MAX_ABOVE_HELLO_MS:.0f} ms",
            above <= MAX_ABOVE_HELLO_MS,
        )


def run(built: Built, runs: int, verdicts) -> None:
    calls = page_calls(built)
    if calls is None:
        print(
            "\nLes pages « pathways:worklist » et « pathways:pathway_detail » n'existent pas "
            "encore : seuls les sélecteurs qui les alimentent sont mesurés."
        )
    else:
        print("\nPages, par le client de test de Django (connexion + 2FA en session) :")
        results = print_measures(calls, runs)
    print("\nSélecteurs seuls (lecture autorisée et auditée, sans le rendu HTML) :")
    print_measures(selector_calls(built), runs)
    print(
        f"\nMédiane sur {runs} exécutions ; requêtes SQL d'une exécution, journal d'audit "
        "compris. Le nombre de requêtes doit être le même quel que soit le nombre "
        "d'éléments affichés."
    )
    if calls is not None:
        print_targets(results, built, verdicts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pathways", type=int, default=10_000)
    parser.add_argument("--sheets", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.sheets < FEW_SHEETS + MANY_SHEETS + args.pathways - 2:
        parser.error("Il faut au moins une fiche par parcours en plus des deux parcours mesurés.")
    with tempfile.TemporaryDirectory(prefix="oncolien-bench-pathways-") as directory:
        setup_django(directory)
        load_base()
        built = build(args.pathways, args.sheets, args.seed)
        from bench.verdicts import Verdicts

        verdicts = Verdicts("pathways_pages")
        run(built, args.runs, verdicts)
    verdicts.finish()


if __name__ == "__main__":
    main()
