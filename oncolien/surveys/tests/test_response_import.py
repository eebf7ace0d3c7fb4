"""Import of responses collected elsewhere: CSV and XLSX, both layouts of a multiple
choice, row verdicts, all or nothing, re-import idempotent."""

import html
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from oncolien.surveys.models import Response, ResponseImport, ResponseSource, ResponseStatus
from oncolien.surveys.response_import import responses_import
from oncolien.surveys.tests import responding_fixtures

pytestmark = pytest.mark.django_db
register = responding_fixtures.register
survey = responding_fixtures.survey

LIST_LAYOUT = (
    "identifiant;cpts;groupe;connait_sos;phases;phases__autre;nb_actions;priorite;besoins__douleur;commentaire\n"
    "R1;CPTS Nord Aveyron;coordination;oui;Diagnostic | apres;;12,5;formation;fort;Très utile\n"
    "R2;CPTS Sud Tarn;professionnel de santé;non;;;;Annuaire;;\n"
    "R3;CPTS Toulouse Est;;oui;traitement;Soins palliatifs;;formation;faible;\n"
)


def csv_bytes(text: str) -> bytes:
    return text.encode("utf-8")


def xlsx_bytes(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def run(regional, survey, data, filename="reponses.csv"):
    return responses_import(actor=regional, survey=survey, data=data, filename=filename)


def by_key(survey):
    return {r.import_key: r for r in Response.objects.filter(survey=survey)}


def test_a_valid_csv_with_a_delimited_list(regional, survey):
    report = run(regional, survey, csv_bytes(LIST_LAYOUT))
    assert report.ok, report.errors
    assert (report.rows, report.created, report.updated) == (3, 3, 0)
    responses = by_key(survey)
    r1, r2, r3 = responses["R1"], responses["R2"], responses["R3"]
    assert r1.answers == {
        "connait_sos": "oui",
        "phases": ["diagnostic", "apres"],
        "nb_actions": 12.5,
        "priorite": "formation",
        "besoins": {"douleur": "fort"},
        "commentaire": "Très utile",
    }
    assert r1.entry.name == "CPTS Nord Aveyron" and r1.group == "coordination"
    assert r2.answers == {"connait_sos": "non", "priorite": "annuaire"}
    assert r2.group == "health_professional"
    # « autre » given by its text column: the option is ticked and the text kept.
    assert r3.answers["phases"] == ["traitement", "autre"]
    assert r3.other_texts == {"phases": "Soins palliatifs"}
    assert all(
        r.status == ResponseStatus.SUBMITTED and r.source == ResponseSource.IMPORT
        for r in responses.values()
    )
    record = ResponseImport.objects.get()
    assert (record.rows, record.created, record.updated) == (3, 3, 0)


def test_r3_priority_other_without_text_is_refused(regional, survey):
    report = run(
        regional, survey, csv_bytes(LIST_LAYOUT.replace(";formation;faible", ";autre;faible"))
    )
    assert not report.ok
    assert any(
        v.line == 4 and v.column == "priorite" and "Précisez" in v.message for v in report.errors
    )


def test_a_valid_xlsx_with_one_column_per_option(regional, survey):
    data = xlsx_bytes(
        [
            [
                "identifiant",
                "cpts",
                "connait_sos",
                "phases__diagnostic",
                "phases__traitement",
                "phases__apres",
                "phases__autre",
                "priorite",
                "nb_actions",
            ],
            ["A-1", "CPTS Nord Aveyron", "Oui", 1, 0, "x", "", "formation", 3],
            [
                "A-2",
                "CPTS Sud Tarn",
                "oui",
                "non",
                "oui",
                None,
                "Soins palliatifs",
                "annuaire",
                None,
            ],
        ]
    )
    report = run(regional, survey, data, "reponses.xlsx")
    assert report.ok, report.errors
    responses = by_key(survey)
    assert responses["A-1"].answers["phases"] == ["diagnostic", "apres"]
    assert responses["A-1"].answers["nb_actions"] == 3
    assert responses["A-2"].answers["phases"] == ["traitement", "autre"]
    assert responses["A-2"].other_texts["phases"] == "Soins palliatifs"


def test_one_bad_row_writes_nothing_and_says_where(regional, survey):
    text = (
        "identifiant;cpts;connait_sos;phases;nb_actions;priorite;besoins__douleur\n"
        "R1;CPTS Nord Aveyron;oui;diagnostic;3;formation;fort\n"
        "R2;CPTS Inconnue;peut-être;;;formation;\n"
        "R3;CPTS Sud Tarn;oui;;200;formation;énorme\n"
        "R1;CPTS Sud Tarn;non;;;formation;\n"
    )
    report = run(regional, survey, csv_bytes(text))
    assert not report.ok
    verdicts = {(v.line, v.column): v.message for v in report.errors}
    assert verdicts[(3, "cpts")] == "CPTS absente du registre de l'enquête : « CPTS Inconnue »."
    assert verdicts[(3, "connait_sos")].startswith("Répondez par")
    assert verdicts[(4, "nb_actions")] == "Le nombre doit être au plus 100."
    assert "n'est pas un choix proposé" in verdicts[(4, "besoins")]
    assert verdicts[(5, "identifiant")] == "Identifiant « R1 » déjà présent à la ligne 2."
    assert not Response.objects.exists()
    assert not ResponseImport.objects.exists()


def test_a_missing_required_answer_is_a_verdict(regional, survey):
    text = "identifiant;cpts;connait_sos;priorite\nR1;CPTS Nord Aveyron;oui;formation\n"
    report = run(regional, survey, csv_bytes(text))
    # « Oui » shows the required phases question, which the row leaves empty.
    assert [(v.line, v.column, v.message) for v in report.errors] == [
        (2, "phases", "Cette question est obligatoire.")
    ]
    assert not Response.objects.exists()


def test_an_unknown_group_is_a_verdict(regional, survey):
    text = "identifiant;cpts;groupe;connait_sos;priorite\nR1;CPTS Nord Aveyron;élu;non;formation\n"
    report = run(regional, survey, csv_bytes(text))
    assert [(v.line, v.column) for v in report.errors] == [(2, "groupe")]
    assert "Groupe inconnu : « élu »" in report.errors[0].message


def test_unknown_columns_are_refused_by_name(regional, survey):
    text = "identifiant;cpts;connait_sos;age;phases__cinema\nR1;CPTS Nord Aveyron;non;40;1\n"
    report = run(regional, survey, csv_bytes(text))
    messages = [v.message for v in report.errors]
    assert any("Colonne inconnue : « age »" in m for m in messages)
    assert any("Colonne inconnue : « phases__cinema »" in m for m in messages)
    assert not Response.objects.exists()


def test_answers_to_hidden_questions_are_dropped_and_said(regional, survey):
    text = "identifiant;cpts;connait_sos;phases;nb_actions;priorite\nR1;CPTS Nord Aveyron;non;diagnostic;4;formation\n"
    report = run(regional, survey, csv_bytes(text))
    assert report.ok
    assert Response.objects.get().answers == {"connait_sos": "non", "priorite": "formation"}
    assert {v.column for v in report.warnings} == {"phases", "nb_actions"}


def test_reimport_updates_and_never_duplicates(regional, survey):
    run(regional, survey, csv_bytes(LIST_LAYOUT))
    first = by_key(survey)
    changed = LIST_LAYOUT.replace(
        "R2;CPTS Sud Tarn;professionnel de santé;non;;;;Annuaire",
        "R2;CPTS Sud Tarn;coordination;non;;;;formation",
    )
    report = run(regional, survey, csv_bytes(changed))
    assert report.ok, report.errors
    assert (report.created, report.updated) == (0, 3)
    again = by_key(survey)
    assert Response.objects.filter(survey=survey).count() == 3
    assert {k: r.pk for k, r in again.items()} == {k: r.pk for k, r in first.items()}
    assert again["R2"].answers["priorite"] == "formation"
    assert again["R2"].group == "coordination"
    assert ResponseImport.objects.count() == 2


def test_the_import_page(login, regional, survey):
    client = login(regional)
    url = reverse("surveys:response_import", args=[survey.pk])
    good = LIST_LAYOUT
    reply = client.post(url, {"file": SimpleUploadedFile("reponses.csv", csv_bytes(good))})
    text = html.unescape(reply.content.decode())
    assert reply.status_code == 200
    assert "Import réussi : 3 lignes, 3 réponses créées, 0 mise à jour." in text
    bad = good.replace("R2;CPTS Sud Tarn", "R2;CPTS Inconnue")
    reply = client.post(url, {"file": SimpleUploadedFile("reponses.csv", csv_bytes(bad))})
    text = html.unescape(reply.content.decode())
    assert reply.status_code == 400
    assert "Rien n'a été importé : 1 erreur à corriger." in text
    assert "CPTS absente du registre de l'enquête : « CPTS Inconnue »." in text
    assert Response.objects.count() == 3
