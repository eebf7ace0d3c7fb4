"""Time to compute every question's summary and one cross-tabulation of a regional
survey: 10,000 submitted responses to a 100-question survey with conditional sections
and questions, answers stored as they are (one JSON document per response).

Builds a throw-away database (SQLite in a temporary directory; PostgreSQL when run
under scripts/with-postgres.sh, which sets DATABASE_URL), the real migrations, a
register of 60 synthetic CPTS, the survey and its responses. Then it times, each the
median of several runs:

- reading the responses and computing what each respondent was shown
  (`analysis.survey_data`), then every question's summary in one pass
  (`analysis.summaries`); the layout of their tables and SVG charts
  (`summary_tables.present`) is printed apart, without target;
- one cross-tabulation (a single-choice question by CPTS size class);

beside a plain read of the same rows (`values_list` of the same columns, JSON decoded).
Target: ≤ 2 s for the summaries, and for the cross-tab. Run:

    .venv/bin/python bench/surveys.py [--responses 10000] [--questions 100]
    bash scripts/with-postgres.sh .venv/bin/python bench/surveys.py
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 2.0
CPTS_COUNT = 60
PARIS = ZoneInfo("Europe/Paris")
KINDS = ["single"] * 3 + ["multiple"] * 2 + ["yes_no"] * 2 + ["scale", "number", "text"]
CHOICES = [{"code": f"c{n}", "label": f"Choix {n}"} for n in range(5)]


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


def definition(questions: int) -> dict:
    """Sections of ten questions; the first question is a gate (oui/non): every other
    section is shown only to those who said oui, and within a section every fourth
    question only to those who chose c0 or c1 at the one before (a single choice)."""
    sections = []
    per_section = 10
    for s in range(max(1, questions // per_section)):
        items = []
        for q in range(per_section):
            number = s * per_section + q
            kind = "yes_no" if number == 0 else KINDS[number % len(KINDS)]
            question = {
                "code": f"q{number:03d}",
                "kind": kind,
                "label": f"Question {number}",
                "help": "",
                "required": False,
            }
            if kind in ("single", "multiple"):
                question["choices"] = CHOICES
                question["other"] = number % 4 == 0
            if kind == "scale":
                question["scale"] = {"min": 0, "max": 10, "min_label": "", "max_label": ""}
            if kind == "number":
                question["number"] = {"min": 0, "max": 500, "unit": "patients"}
            previous = items[-1] if items else None
            if q % 4 == 3 and previous and previous["kind"] == "single":
                question["show_if"] = {"question": previous["code"], "in": ["c0", "c1"]}
            items.append(question)
        show_if = {"question": "q000", "in": ["oui"]} if s % 2 == 1 else None
        sections.append(
            {"code": f"s{s}", "title": f"Partie {s}", "show_if": show_if, "questions": items}
        )
    return {"title": "Enquête synthétique", "introduction": "", "sections": sections}


def answer(question: dict, rng: random.Random):
    kind = question["kind"]
    if kind == "yes_no":
        return rng.choice(["oui", "oui", "non", "nsp"])
    if kind == "single":
        return rng.choice(["c0", "c1", "c2", "c3", "c4"] + (["autre"] if question["other"] else []))
    if kind == "multiple":
        return rng.sample(["c0", "c1", "c2", "c3", "c4"], rng.randint(1, 3))
    if kind == "scale":
        return rng.randint(0, 10)
    if kind == "number":
        return rng.randint(0, 500)
    return "Une réponse libre de quelques mots."


def build(responses: int, questions: int, seed: int):
    from django.core.management import call_command
    from django.db import transaction

    from oncolien.surveys.conditions import shown_questions
    from oncolien.surveys.models import (
        CptsRegister,
        CptsRegisterEntry,
        Response,
        Survey,
        SurveyVersion,
    )

    rng = random.Random(seed)
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    register = CptsRegister.objects.create(title="Registre synthétique", region="Occitanie")
    entries = CptsRegisterEntry.objects.bulk_create(
        CptsRegisterEntry(
            register=register,
            name=f"CPTS synthétique {n:02d}",
            department=rng.choice(["09", "12", "31", "32", "46", "81", "82"]),
            size_class=rng.randint(1, 4),
            aci_signed_on=date(2018, 1, 1) + timedelta(days=rng.randint(0, 2500)),
        )
        for n in range(CPTS_COUNT)
    )
    survey = Survey.objects.create(
        code="bench", title="Enquête synthétique", status="open", opens_on=date(2025, 3, 1)
    )
    definition_ = definition(questions)
    version = SurveyVersion.objects.create(survey=survey, number=1, definition=definition_)
    every = [q for section in definition_["sections"] for q in section["questions"]]
    start = datetime(2025, 3, 2, 9, tzinfo=PARIS)
    made = []
    for n in range(responses):
        answers: dict = {}
        # Answer in order, so that conditions see earlier answers; one in ten skipped.
        for question in every:
            if rng.random() < 0.9:
                answers[question["code"]] = answer(question, rng)
        shown = shown_questions(definition_, answers)
        answers = {code: value for code, value in answers.items() if code in shown}
        made.append(
            Response(
                survey=survey,
                version=version,
                entry=rng.choice(entries) if rng.random() < 0.95 else None,
                group=rng.choice(["health_professional", "coordination"]),
                source="open_link",
                status="submitted",
                answers=answers,
                other_texts={},
                submitted_at=start + timedelta(minutes=n),
            )
        )
    with transaction.atomic():
        Response.objects.bulk_create(made, batch_size=1000)
    print(
        f"{thousands(responses)} réponses à {len(every)} questions, {CPTS_COUNT} CPTS "
        f"synthétiques, en {time.perf_counter() - started:.0f} s"
    )
    return survey


def median_seconds(function, runs: int) -> float:
    return median_times(function, runs)[0]


def median_times(function, runs: int) -> tuple[float, float]:
    """The median elapsed time and the median CPU time of this process: on a shared
    machine under load the first grows with the others' work, the second much less."""
    elapsed, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        function()
        elapsed.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return statistics.median(elapsed), statistics.median(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=10_000)
    parser.add_argument("--questions", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="oncolien-bench-surveys-") as directory:
        engine = setup_django(directory)
        from django.test.utils import setup_databases, teardown_databases

        from bench.verdicts import Verdicts

        names = setup_databases(verbosity=0, interactive=False) if engine == "PostgreSQL" else None
        try:
            survey = build(args.responses, args.questions, args.seed)
            from oncolien.surveys.analysis import summaries, survey_data
            from oncolien.surveys.crosstabs import crosstab, crosstab_table
            from oncolien.surveys.models import Response
            from oncolien.surveys.summary_tables import present

            def plain_read() -> None:
                list(
                    Response.objects.filter(survey=survey, status="submitted").values_list(
                        "pk",
                        "version_id",
                        "answers",
                        "other_texts",
                        "entry_id",
                        "group",
                        "submitted_at",
                    )
                )

            def all_summaries() -> None:
                data = survey_data(survey)
                summaries(data.questions, data.respondents)

            computed = summaries(survey_data(survey).questions, survey_data(survey).respondents)

            def tables_and_charts() -> None:
                for summary in computed:
                    present(summary)

            data = survey_data(survey)
            single = next(q for q in data.questions if q.kind == "single")

            def one_crosstab() -> None:
                fresh = survey_data(survey)
                crosstab_table(crosstab(fresh, fresh.respondents, single.code, "taille"))

            verdicts = Verdicts(f"surveys ({engine})")
            baseline, baseline_cpu = median_times(plain_read, args.runs)
            figures = [
                (
                    f"résumés des {len(data.questions)} questions ({engine})",
                    *median_times(all_summaries, args.runs),
                ),
                (
                    f"un croisement par taille de CPTS ({engine})",
                    *median_times(one_crosstab, args.runs),
                ),
            ]
            layout = median_seconds(tables_and_charts, args.runs)
            print(f"\nlecture simple des {thousands(args.responses)} réponses : {baseline:.3f} s")
            print(f"mise en tableaux et graphiques des résumés (hors objectif) : {layout:.3f} s")
            print(
                "charge de la machine (1, 5, 15 min) : "
                + ", ".join(f"{load:.1f}" for load in os.getloadavg())
            )
            print(
                f"lecture simple des mêmes lignes : {baseline:.3f} s "
                f"(CPU de ce processus : {baseline_cpu:.3f} s)"
            )
            print("mesure                                         durée    lecture  ratio   CPU")
            for label, seconds, cpu in figures:
                print(
                    f"{label:<46} {seconds:6.3f} s {baseline:7.3f} s "
                    f"{seconds / baseline:5.1f}× {cpu:6.3f} s"
                )
            print("Objectifs :")
            for label, seconds, cpu in figures:
                verdicts.check(
                    label,
                    f"{seconds:.3f} s ({seconds / baseline:.1f}× la lecture simple des mêmes "
                    f"lignes ; CPU {cpu:.3f} s)",
                    f"≤ {TARGET_SECONDS:g} s",
                    seconds <= TARGET_SECONDS,
                )
        finally:
            if names is not None:
                teardown_databases(names, verbosity=0)
    verdicts.finish()


if __name__ == "__main__":
    main()
