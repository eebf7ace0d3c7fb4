"""The dashboard page and its exports, as each persona meets them."""

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from oncolien.audit.models import AuditEntry
from oncolien.indicators.figures import COMPUTATIONS
from oncolien.pathways.models import IntakeCall, Visit
from oncolien.pathways.tests.factories import make_pathway

pytestmark = pytest.mark.django_db
URL = "/indicateurs/cpts-nord-aveyron/"


@pytest.fixture
def november(coordinator, nord_aveyron):
    """Three pathways opened in November 2026 (Paris time)."""
    for number in range(3):
        pathway = make_pathway(actor=coordinator, last_name=f"Patient{number}")
        IntakeCall.objects.filter(pathway=pathway).update(
            called_at=datetime(2026, 11, 10 + number, 10, tzinfo=ZoneInfo("Europe/Paris"))
        )
    return nord_aveyron


def test_the_coordinator_reads_each_figure_with_its_definition(login, coordinator, november):
    page = login(coordinator).get(URL, {"periode": "2026-11"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Indicateurs d'activité — CPTS Nord Aveyron" in text
    assert "Novembre 2026" in text
    assert "3 sur 3 (100\u202f%)" in text  # the calls that opened a pathway
    assert "appels ayant ouvert un parcours" in text and "appels reçus" in text
    assert "Nord Aveyron : 70 patients ayant pris contact avec le dispositif." in text
    entry = AuditEntry.objects.filter(action="indicators.view").latest("pk")
    assert entry.details["period"] == "2026-11"


def test_the_home_page_links_to_the_dashboard(login, coordinator, base_data):
    home = login(coordinator).get("/").content.decode()
    assert f'href="{URL}"' in home
    assert login(coordinator).get(URL).status_code == 200


def test_the_default_period_is_the_current_month(login, coordinating_nurse, base_data):
    page = login(coordinating_nurse).get(URL)
    assert page.status_code == 200
    today = timezone.localdate()
    assert page.context["board"].period.code == f"{today:%Y-%m}"
    assert f'<option value="{today:%Y-%m}" selected>' in page.content.decode()


@pytest.mark.parametrize("persona", ["outsider", "community_nurse", "provider", "regional"])
def test_others_get_a_404(login, request, persona, base_data):
    user = request.getfixturevalue(persona)
    assert login(user).get(URL).status_code == 404
    assert AuditEntry.objects.filter(action="access.denied", actor=user).exists()


def test_anonymous_visitors_are_sent_to_log_in(client, base_data):
    answer = client.get(URL)
    assert answer.status_code == 302 and "/compte/connexion/" in answer["Location"]


def test_the_choice_page_lists_only_ones_own_cpts(login, coordinator, base_data):
    page = login(coordinator).get("/indicateurs/").content.decode()
    assert f'href="{URL}"' in page and "cpts-sud-tarn" not in page


def test_the_administrator_chooses_among_every_cpts(login, administrator, base_data):
    page = login(administrator).get("/indicateurs/")
    assert page.status_code == 200
    assert URL in page.content.decode() and "/indicateurs/cpts-sud-tarn/" in page.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"periode": "2026-99"}, "Sélectionnez un choix valide"),
        ({"du": "2026-03-01"}, "indiquez la date de début et la date de fin"),
        ({"du": "2026-03-01", "au": "2026-02-01"}, "précède sa date de début"),
        ({"du": "2001-01-01", "au": "2026-01-01"}, "au plus cinq ans"),
        ({"du": "pas une date", "au": "2026-01-01"}, "Saisissez une date valide"),
        ({"periode": "2026-11", "format": "pdf"}, "Format d'export inconnu"),
    ],
)
def test_bad_periods_get_a_french_error_and_no_figures(
    login, coordinator, query, message, base_data
):
    page = login(coordinator).get(URL, query)
    assert page.status_code == 400
    text = page.content.decode()
    assert message in text.replace("&#x27;", "'")
    assert "indicator-value" not in text
    assert not AuditEntry.objects.filter(action="indicators.view").exists()


def test_custom_dates_win_over_the_list(login, coordinator, november):
    page = login(coordinator).get(
        URL, {"periode": "2026-10", "du": "2026-11-11", "au": "2026-11-30"}
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "Du 15/01" not in text and "du 11/11/2026 au 30/11/2026" in text.lower()
    assert "2 sur 2 (100\u202f%)" in text


def test_csv_export_carries_figures_and_definitions(login, coordinator, november):
    answer = login(coordinator).get(URL, {"periode": "2026-11", "format": "csv"})
    assert answer.status_code == 200
    assert (
        answer["Content-Disposition"]
        == 'attachment; filename="indicateurs-cpts-nord-aveyron-2026-11.csv"'
    )
    everything = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig")), delimiter=";"))
    # The indicators' table, an empty line, then the breakdowns' long table.
    blank = everything.index([])
    rows, breakdowns = everything[:blank], everything[blank + 1 :]
    header, lines = rows[0], {row[2]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert "Ce que compte le dénominateur" in header
    inclusion = lines["intake_inclusion"]
    assert (inclusion["Numérateur"], inclusion["Dénominateur"], inclusion["Part"]) == (
        "3",
        "3",
        "100\u202f%",
    )
    assert inclusion["Période"] == "novembre 2026"
    assert breakdowns[0][:6] == ["CPTS", "Période", "Code", "Répartition", "Ligne", "Colonne"]
    cells = [dict(zip(breakdowns[0], row, strict=True)) for row in breakdowns[1:]]
    one_visit = next(c for c in cells if c["Code"] == "visits_distribution")
    assert (one_visit["Ligne"], one_visit["Dénominateur"], one_visit["Part"]) == (
        "1 visite",
        "0",
        "—",  # no share over 0 patients, as the indicators' rows say
    )
    assert {c["Code"] for c in cells} >= {"visits_distribution", "directory_by_care_type"}


def test_xlsx_export_is_text_only(login, coordinator, november):
    answer = login(coordinator).get(URL, {"du": "2026-11-01", "au": "2026-11-30", "format": "xlsx"})
    assert answer.status_code == 200
    workbook = load_workbook(io.BytesIO(answer.content))
    assert workbook.sheetnames == ["Indicateurs", "Répartitions"]
    sheet = workbook["Indicateurs"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "CPTS" and len(rows) == 1 + len(COMPUTATIONS)
    assert all(cell.data_type == "s" for row in sheet.iter_rows() for cell in row if cell.value)
    breakdowns = list(workbook["Répartitions"].iter_rows(values_only=True))
    assert breakdowns[0][3:6] == ("Répartition", "Ligne", "Colonne")
    assert ("visits_distribution", "6 visites et plus") in {row[2:5:2] for row in breakdowns}


def test_each_breakdown_is_a_table_and_bars_come_with_their_values(login, coordinator, november):
    pathway = IntakeCall.objects.filter(cpts=november).first().pathway
    Visit.objects.create(
        pathway=pathway,
        kind="phone",
        occurred_at=datetime(2026, 11, 12, 9, tzinfo=ZoneInfo("Europe/Paris")),
        author=coordinator,
    )
    page = login(coordinator).get(URL, {"periode": "2026-11"})
    text = page.content.decode()
    assert '<h3 id="repartition-visits_distribution">' in text
    assert '<th scope="row">1 visite</th><td>1 sur 1 (100 %)</td>' in text
    assert '<th scope="row">2 visites</th><td>0 sur 1 (0 %)</td>' in text
    # The bars, one labelled image, and the table of their values beside them.
    assert "Répartition des patients selon le nombre de visites : les valeurs du graphique" in text
    # Shares are drawn in per cent (rows over different denominators compare).
    assert '<th scope="col">Patients (%)</th>' in text
    assert 'aria-label="Graphique : Répartition des patients selon le nombre de visites.' in text
    board = page.context["board"]
    assert [t.breakdown.code for t in board.breakdowns] == [
        b.code for b in board.definitions.breakdowns
    ]
    # Nothing to draw: no chart, the table alone (needs found: no assessment at all).
    needs = next(t for t in board.breakdowns if t.breakdown.code == "needs_by_care_type")
    assert needs.chart is None and needs.rows == []
