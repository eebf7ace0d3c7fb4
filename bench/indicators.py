"""Time to compute a CPTS's dashboard and the regional view, at 50,000 pathways and
1,000,000 events across 60 CPTS.

Builds a throw-away database (SQLite in a temporary directory; PostgreSQL when run
under scripts/with-postgres.sh, which sets DATABASE_URL), the real migrations and
reference data, 60 synthetic CPTS, then bulk-creates the pathways and their events
(intake calls, status changes, visits, alerts, referrals and their changes) over
two years. Then it times, each the median of several runs:

- one CPTS's dashboard for a year (`dashboard.dashboard_for`, every indicator);
- the regional view for a year (`regional.regional_table`, disclosure control included);
- the post-cancer programme's ARS file of a semester for regional staff, every labelled
  structure (`aftercare.ars_file.ars_file`, then its counts as published to regional
  staff, `ars_disclosure.published`: disclosure control included; a programme for one
  pathway in eight);

beside a plain COUNT(*) over the same rows in the same run: the rows of that CPTS
(or of every CPTS) in each table the indicators read. Target: ≤ 1 s each. Run:

    .venv/bin/python bench/indicators.py [--pathways 50000] [--events 1000000]
    bash scripts/with-postgres.sh .venv/bin/python bench/indicators.py
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 1.0
CPTS_COUNT = 60
PARIS = ZoneInfo("Europe/Paris")
# Shares of the events by kind (visits are the most numerous, as in the field).
EVENT_SHARES = {"calls": 0.06, "changes": 0.1, "visits": 0.5, "alerts": 0.26, "referrals": 0.08}


def thousands(number: int) -> str:
    return f"{number:,}".replace(",", "\u202f")


def setup_django(directory: str) -> str:
    os.environ["ONCOLIEN_VAR_DIR"] = directory
    engine = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oncolien.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    return engine


def build(pathways: int, events: int, seed: int) -> list:
    from django.core.management import call_command
    from django.db import transaction

    from oncolien.accounts.models import User
    from oncolien.pathways.models import Alert, IntakeCall, Pathway, Patient, StatusChange, Visit
    from oncolien.reference.loader import load_reference
    from oncolien.reference.models import CareType
    from oncolien.referrals.models import Referral, ReferralEvent
    from oncolien.territories.loaders import load_communes
    from oncolien.territories.models import Commune, Cpts

    rng = random.Random(seed)
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    load_reference()
    load_communes(departments=["12"])
    communes = list(Commune.objects.all()[:200])
    care_types = list(CareType.objects.all())
    user = User.objects.create_user(username="bench.indicateurs")
    cpts_list = Cpts.objects.bulk_create(
        Cpts(name=f"CPTS synthétique {n:02d}", slug=f"cpts-synthetique-{n:02d}")
        for n in range(CPTS_COUNT)
    )
    start_day = date(2025, 1, 1)
    days = 730

    def moment(day: date) -> datetime:
        return datetime(day.year, day.month, day.day, rng.randint(8, 18), tzinfo=PARIS)

    with transaction.atomic():
        patients = Patient.objects.bulk_create(
            Patient(
                last_name=f"Synthétique-{i}",
                first_name="Patient",
                birth_date=date(1950, 1, 1) + timedelta(days=rng.randint(0, 365 * 30)),
                sex=rng.choice("FM"),
                commune=rng.choice(communes),
            )
            for i in range(pathways)
        )
        made = []
        for patient in patients:
            first = start_day + timedelta(days=rng.randint(0, days - 1))
            included = first + timedelta(days=rng.randint(1, 20)) if rng.random() < 0.8 else None
            closed = (
                included + timedelta(days=rng.randint(30, 300))
                if included and rng.random() < 0.4
                else None
            )
            made.append(
                Pathway(
                    patient=patient,
                    cpts=rng.choice(cpts_list),
                    status="closed" if closed else "followed" if included else "first_contact",
                    closing_reason="end_of_follow_up" if closed else "",
                    intake_channel="phone_line",
                    first_contact_on=first,
                    included_on=included,
                    closed_on=closed,
                    created_by=user,
                )
            )
        made = Pathway.objects.bulk_create(made, batch_size=5000)
        counts = {kind: int(events * share) for kind, share in EVENT_SHARES.items()}
        IntakeCall.objects.bulk_create(
            (
                IntakeCall(
                    cpts=pathway.cpts,
                    called_at=moment(pathway.first_contact_on),
                    channel="phone_line",
                    commune_id=pathway.patient.commune_id,
                    in_territory=True,
                    outcome="included",
                    pathway=pathway,
                    recorded_by=user,
                )
                for pathway in made[: min(len(made), counts["calls"])]
            ),
            batch_size=5000,
        )
        followed = [p for p in made if p.included_on]
        StatusChange.objects.bulk_create(
            (
                StatusChange(
                    pathway=pathway,
                    from_status="included",
                    to_status="followed",
                    changed_by=user,
                    changed_at=moment(pathway.included_on),
                )
                for pathway in (rng.choice(followed) for _ in range(counts["changes"]))
            ),
            batch_size=5000,
        )
        Visit.objects.bulk_create(
            (
                Visit(
                    pathway=pathway,
                    kind=rng.choice(["home", "phone", "office"]),
                    occurred_at=moment(start_day + timedelta(days=rng.randint(0, days - 1))),
                    duration_minutes=rng.choice([None, 30, 45, 60, 75]),
                    author=user,
                )
                for pathway in (rng.choice(followed) for _ in range(counts["visits"]))
            ),
            batch_size=5000,
        )
        alerts = []
        for number in range(counts["alerts"]):
            raised = moment(start_day + timedelta(days=rng.randint(0, days - 1)))
            alerts.append(
                Alert(
                    pathway=rng.choice(followed),
                    source=f"bench:{number}",
                    rule="pain",
                    severity="high",
                    message="Douleur",
                    raised_at=raised,
                    acknowledged_at=raised + timedelta(hours=rng.randint(1, 72))
                    if rng.random() < 0.9
                    else None,
                    escalated_at=raised + timedelta(hours=24) if rng.random() < 0.1 else None,
                )
            )
        Alert.objects.bulk_create(alerts, batch_size=5000)
        referrals = Referral.objects.bulk_create(
            (
                Referral(
                    pathway=rng.choice(followed),
                    care_type=rng.choice(care_types),
                    external_name="Ressource",
                    status=rng.choice(["sent", "accepted", "done", "not_honoured"]),
                    created_by=user,
                    status_changed_at=moment(start_day + timedelta(days=rng.randint(0, days - 1))),
                )
                for _ in range(counts["referrals"] // 2)
            ),
            batch_size=5000,
        )
        ReferralEvent.objects.bulk_create(
            (
                ReferralEvent(referral=referral, to_status=status, at=referral.status_changed_at)
                for referral in referrals
                for status in ("sent", "accepted")
            ),
            batch_size=5000,
        )
    programmes = build_programmes(made, rng, user)
    total = sum(counts.values()) + programmes
    print(
        f"{thousands(pathways)} parcours, {thousands(total)} événements dans {CPTS_COUNT} CPTS "
        f"synthétiques, en {time.perf_counter() - started:.0f} s"
    )
    return cpts_list


# Post-cancer programmes: one labelled structure per CPTS, a programme for one
# pathway in eight (the PACA evaluation counts 461 patients a semester region-wide),
# four acts each, half of them done.
PROGRAMME_SHARE = 8


def build_programmes(made: list, rng: random.Random, user) -> int:
    from django.db import transaction

    from oncolien.aftercare import rules
    from oncolien.aftercare.models import PostCancerProgramme, ProgrammeAct
    from oncolien.directory.models import POST_CANCER_PROGRAMME_LABEL, Label
    from oncolien.directory.tests.factories import make_service

    label = Label.objects.get(code=POST_CANCER_PROGRAMME_LABEL)
    services = {}
    for cpts in {p.cpts_id: p.cpts for p in made}.values():
        service = make_service(
            cpts=cpts,
            name=f"Après cancer {cpts.slug}",
            care_types=["nutrition", "psychological", "physical_activity"],
            commune="12096",
        )
        service.labels.add(label)
        services[cpts.pk] = service
    version = rules.all_rules()[-1].version
    kinds = list(rules.KIND_LABELS)
    with transaction.atomic():
        chosen = [p for p in made if p.included_on][::PROGRAMME_SHARE]
        programmes = PostCancerProgramme.objects.bulk_create(
            (
                PostCancerProgramme(
                    pathway=pathway,
                    prescriber_role="oncologist",
                    prescriber_name="Dr Synthétique",
                    prescribed_on=pathway.included_on + timedelta(days=rng.randint(0, 60)),
                    service=services[pathway.cpts_id],
                    rules_version=version,
                    created_by=user,
                )
                for pathway in chosen
            ),
            batch_size=5000,
        )
        acts = []
        for programme in programmes:
            for _ in range(4):
                done = rng.random() < 0.5  # done means dated and priced
                acts.append(
                    ProgrammeAct(
                        programme=programme,
                        kind=rng.choice(kinds),
                        done_on=programme.prescribed_on + timedelta(days=rng.randint(5, 120))
                        if done
                        else None,
                        amount=Decimal("45.00") if done else None,
                    )
                )
        ProgrammeAct.objects.bulk_create(acts, batch_size=5000)
    return len(programmes) * 5


def median_seconds(function, runs: int) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def plain_counts(period, cpts=None) -> None:
    """COUNT(*) of the rows the indicators read, in each table, for the period."""
    from oncolien.pathways.models import Alert, IntakeCall, Pathway, Visit
    from oncolien.referrals.models import Referral

    scope = {"cpts": cpts} if cpts else {}
    through = {"pathway__cpts": cpts} if cpts else {}
    IntakeCall.objects.filter(
        called_at__gte=period.starts_at, called_at__lt=period.ends_before, **scope
    ).count()
    Pathway.objects.filter(first_contact_on__lte=period.last_day, **scope).count()
    Visit.objects.filter(
        occurred_at__gte=period.starts_at, occurred_at__lt=period.ends_before, **through
    ).count()
    Alert.objects.filter(
        raised_at__gte=period.starts_at, raised_at__lt=period.ends_before, **through
    ).count()
    Referral.objects.filter(
        created_at__gte=period.starts_at, created_at__lt=period.ends_before, **through
    ).count()


def plain_programme_counts() -> None:
    """COUNT(*) of the rows the ARS file reads: the programmes and their acts."""
    from oncolien.aftercare.models import PostCancerProgramme, ProgrammeAct

    PostCancerProgramme.objects.count()
    ProgrammeAct.objects.count()


def regional_user():
    from oncolien.accounts.models import Membership, User

    user = User.objects.create_user(username="bench.region")
    Membership.objects.create(user=user, role="regional", cpts=None)
    user.is_verified = lambda: True  # as after a full log-in
    return user


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pathways", type=int, default=50_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="oncolien-bench-indicators-") as directory:
        engine = setup_django(directory)
        from django.db import connection
        from django.test.utils import setup_databases, teardown_databases

        from bench.verdicts import Verdicts

        # On PostgreSQL, a database of its own, dropped at the end.
        names = setup_databases(verbosity=0, interactive=False) if engine == "PostgreSQL" else None
        try:
            cpts_list = build(args.pathways, args.events, args.seed)
            from oncolien.aftercare.ars_disclosure import published
            from oncolien.aftercare.ars_file import ars_file
            from oncolien.aftercare.semesters import Semester
            from oncolien.indicators.dashboard import dashboard_for
            from oncolien.indicators.periods import parse
            from oncolien.indicators.regional import regional_table

            year = parse("2025")
            region = regional_user()
            semester = Semester(2025, 2)
            cpts = cpts_list[0]
            connection.ensure_connection()
            verdicts = Verdicts(f"indicators ({engine})")
            figures = [
                (
                    f"tableau de bord d'une CPTS, année ({engine})",
                    median_seconds(lambda: dashboard_for(cpts, year), args.runs),
                    median_seconds(lambda: plain_counts(year, cpts), args.runs),
                ),
                (
                    f"vue régionale, {CPTS_COUNT} CPTS, année ({engine})",
                    median_seconds(lambda: regional_table(year), max(3, args.runs // 2)),
                    median_seconds(lambda: plain_counts(year), args.runs),
                ),
                (
                    f"fichier ARS, {CPTS_COUNT} structures, semestre ({engine})",
                    median_seconds(
                        lambda: published(ars_file(region, semester)), max(3, args.runs // 2)
                    ),
                    median_seconds(plain_programme_counts, args.runs),
                ),
            ]
            print("\nmesure                                         durée    COUNT(*)  ratio")
            for label, seconds, baseline in figures:
                print(f"{label:<46} {seconds:6.3f} s {baseline:7.3f} s {seconds / baseline:5.1f}×")
            print("Objectifs :")
            for label, seconds, baseline in figures:
                verdicts.check(
                    label,
                    f"{seconds:.3f} s ({seconds / baseline:.1f}× le COUNT(*) des mêmes lignes)",
                    f"≤ {TARGET_SECONDS:g} s",
                    seconds <= TARGET_SECONDS,
                )
        finally:
            if names is not None:
                teardown_databases(names, verbosity=0)
    verdicts.finish()


if __name__ == "__main__":
    main()
