"""Exports of responses and tables (CSV/XLSX through oncolien.tables), filters stated."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from oncolien.surveys.tests import analysis_data

pytestmark = pytest.mark.django_db


def rows_of(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def test_responses_one_row_each_one_column_per_code(regional, login):
    survey = analysis_data.build()
    client = login(regional)
    url = reverse("surveys:export_responses", args=[survey.pk])
    response = client.get(url, {"format": "csv"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    header, *rows = rows_of(response.content)
    assert len(rows) == 32
    assert header[:7] == [
        "reponse",
        "version",
        "cpts",
        "departement",
        "taille",
        "groupe",
        "envoyee_le",
    ]
    assert "soins_connus__douleur" in header and "soins_connus__autre_precision" in header
    assert "grille__info" in header and "connait_sos" in header
    first = dict(zip(header, rows[0], strict=True))
    assert first["connait_sos"] == "oui" and first["soins_connus__social"] == "1"
    assert first["cpts"] == "CPTS Alpha" and first["taille"] == "1"
    twelfth = dict(zip(header, rows[12], strict=True))
    assert twelfth["soins_connus__douleur"] == "0"
    assert twelfth["soins_connus__autre_precision"] == "socio-esthétique"
    twentieth = dict(zip(header, rows[20], strict=True))
    assert twentieth["trois_phases"] == "(non posée)"
    filtered = rows_of(client.get(url, {"format": "csv", "filtre": "connait_sos:oui"}).content)
    assert len(filtered) == 20


def test_tables_export_states_the_filter(regional, login):
    survey = analysis_data.build()
    client = login(regional)
    url = reverse("surveys:export_tables", args=[survey.pk])
    rows = rows_of(client.get(url, {"format": "csv", "filtre": "connait_sos:oui"}).content)
    assert rows[1] == ["Filtre : Connaissez-vous les SOS ? = Oui — 19 répondants sur 32"]
    flat = [cell for row in rows for cell in row]
    assert "6 sur 19 (32\u202f%)" in flat
    book = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content))
    cells = [c for row in book["Tableaux"].iter_rows(values_only=True) for c in row if c]
    assert "6 sur 32 (19\u202f%)" in cells and "Aucun filtre — 32 répondants" in cells


def test_crosstab_export(regional, login):
    survey = analysis_data.build()
    client = login(regional)
    url = reverse("surveys:export_crosstab", args=[survey.pk])
    rows = rows_of(
        client.get(url, {"format": "csv", "croiser": "connait_sos", "par": "taille"}).content
    )
    assert rows[0] == ["Aucun filtre — 32 répondants"]
    assert rows[4][:2] == ["Oui", "4 sur 7 (57\u202f%)"]
    assert (
        client.get(url, {"format": "csv", "croiser": "attentes", "par": "taille"}).status_code
        == 400
    )


def test_exports_are_for_the_regional_team_only(coordinator, login):
    survey = analysis_data.build(shared=True)
    url = reverse("surveys:export_responses", args=[survey.pk])
    assert login(coordinator).get(url, {"format": "csv"}).status_code == 404


def test_a_bad_format_or_filter_is_refused_in_french(regional, login):
    survey = analysis_data.build()
    client = login(regional)
    url = reverse("surveys:export_tables", args=[survey.pk])
    response = client.get(url, {"format": "pdf"})
    assert response.status_code == 400 and "CSV ou XLSX" in response.content.decode()
    response = client.get(url, {"format": "csv", "filtre": "connait_sos:x"})
    assert response.status_code == 400
