"""The export is the patient's to read (RGPD art. 12: in clear and plain language): its
PDF names every field in French, shows a coded value by its French label, a date as a
French date, a linked row by its name; the JSON keeps each code beside its label.

Checked on every row of a rich pathway (visit, sheet and alert, report, assessment,
referral, post-cancer programme) and of the demo's pathways (endocrine therapy
follow-up, work situation, sectors), field by field, so that a field added later
without a French name, or a coded value shown as its code, fails here."""

import json
import re
from datetime import date, datetime

import pytest
from django.db import models

from oncolien.accounts.demo import load_demo_accounts
from oncolien.adherence.demo import load_demo_adherence
from oncolien.demo.pathways import load_demo_pathways
from oncolien.directory.demo import load_demo_directory
from oncolien.pathways.models import Pathway
from oncolien.privacy.collect import field_labels, held_sections, pathways_of, patient_data_of
from oncolien.privacy.exports import pdf_sections, render_pdf
from oncolien.sectors.demo import load_demo_sectors
from tests.pdf import flat_pdf_text

pytestmark = pytest.mark.django_db

# Django names a field that has no name of its own after its attribute (« created
# at »). These attribute names read as French already; any other must be said in French.
FRENCH_AS_IS = {
    "code",
    "commune",
    "conclusion",
    "description",
    "message",
    "mode",
    "notes",
    "observations",
    "patient",
    "transit",
    "version",
}
DEFAULT_NAME = re.compile(r"\bobject \(\d+\)")


def _shown_fields(section) -> list[models.Field]:
    meta = section.rows[0]._meta
    return [
        field
        for field in [*meta.concrete_fields, *meta.many_to_many]
        if field.name not in section.hidden and not isinstance(field, models.BinaryField)
    ]


def unreadable(pathway: Pathway) -> list[str]:
    """What the PDF of the export of `pathway` shows that a patient could not read."""
    sections = held_sections(pathways_of(pathway))
    document = patient_data_of(pathway).document
    shown_sections = pdf_sections(document)
    problems = []
    for section, shown in zip(sections, shown_sections, strict=False):
        if not section.rows:
            continue
        labels = field_labels(section)
        for field in _shown_fields(section):
            automatic = field.name.replace("_", " ")
            if labels[field.name] == automatic and field.name not in FRENCH_AS_IS:
                problems.append(f"{section.title} : champ « {automatic} » sans nom français")
        for row, pairs in zip(section.rows, shown["rows"], strict=True):
            values = dict(pairs)
            for field in _shown_fields(section):
                value = values[labels[field.name]]
                where = f"{section.title} n° {row.pk}, « {labels[field.name]} »"
                if DEFAULT_NAME.search(value):
                    problems.append(f"{where} : {value}")
                raw = getattr(row, field.attname, None) if field.concrete else None
                if raw in (None, ""):
                    continue
                if field.choices:
                    expected = str(dict(field.flatchoices).get(raw, raw))
                    if value != expected:
                        problems.append(f"{where} : {value!r} au lieu de {expected!r}")
                elif isinstance(raw, date) and not isinstance(raw, datetime):
                    if value != f"{raw:%d/%m/%Y}":
                        problems.append(f"{where} : date {value!r}")
                elif isinstance(raw, list | dict) and value.startswith(("[", "{")):
                    problems.append(f"{where} : structure {value!r}")
    return problems


def test_the_pdf_of_a_rich_pathway_is_in_plain_french(patient):
    pathway = patient.pathway
    assert unreadable(pathway) == []

    document = patient_data_of(pathway).document
    text = flat_pdf_text(render_pdf(document, generated_at=pathway.created_at))
    assert "created at" not in text and "object (" not in text
    assert f"canal d'entrée {pathway.get_intake_channel_display()}" in text
    assert f"date du premier contact {pathway.first_contact_on:%d/%m/%Y}" in text
    assert "créé le" in text and "parcours Parcours n°" in text


def test_the_json_keeps_each_code_beside_its_label(patient):
    pathway = patient.pathway
    document = json.loads(json.dumps(patient_data_of(pathway).document))
    assert document["schema_version"] == "1.1"
    sections = {s["clé"]: s for s in document["sections"]}
    row = sections["pathways"]["lignes"][0]
    assert row["intake_channel"] == {
        "code": pathway.intake_channel,
        "libellé": pathway.get_intake_channel_display(),
    }
    assert row["first_contact_on"] == pathway.first_contact_on.isoformat()
    visit = sections["monitoring_records"]["lignes"][0]["visit"]
    assert set(visit) == {"id", "libellé"} and visit["libellé"].startswith("Visite n° ")
    entry = sections["audit"]["lignes"][0]
    assert entry["objet"]["type"] and entry["objet"]["libellé"]


@pytest.fixture
def demo(base_data, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.VAR_DIR = tmp_path
    with django_capture_on_commit_callbacks(execute=False):
        load_demo_directory()
        load_demo_accounts()
        load_demo_sectors()
        load_demo_pathways()
        load_demo_adherence()


def test_the_pdfs_of_the_demo_pathways_are_in_plain_french(demo):
    pathways = list(Pathway.objects.order_by("pk"))
    assert len(pathways) >= 4
    assert [problem for p in pathways for problem in unreadable(p)] == []


def test_a_questionnaire_is_shown_as_its_questions_and_the_words_chosen(demo):
    from oncolien.assessments.models import Assessment

    assessment = Assessment.objects.filter(answers__has_key="talk_wish").first()
    assert assessment is not None, "the demo has a completed distress thermometer"
    items = {item["id"]: item for item in assessment.instrument.definition["items"]}
    document = patient_data_of(assessment.pathway).document
    section = next(s for s in pdf_sections(document) if s["title"] == "Évaluations des besoins")
    shown = dict(section["rows"][0])
    answers, results = shown["réponses"], shown["résultats"]
    talk = "oui" if assessment.answers["talk_wish"] == "yes" else "non"
    assert f"{items['talk_wish']['text']} : {talk}" in answers.splitlines()
    physical = items["physical_problems"]
    labels = {o["value"]: o["label"] for o in physical["options"]}
    chosen = ", ".join(labels[v] for v in assessment.answers["physical_problems"])
    assert f"{physical['text']} : {chosen}" in answers.splitlines()
    assert "Pas de besoin" in results and "none" not in results
