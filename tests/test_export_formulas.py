"""No downloaded table runs a formula (issue 13, CSV injection): every CSV/XLSX export,
fetched as its user fetches it, keeps a typed « =HYPERLINK(…) » as text.

A spreadsheet runs a cell that starts with « = + - @ » as a formula. Every export is
written by the one writer, `oncolien/tables.py` (`csv_bytes`, `xlsx_bytes`): in CSV
such a cell gets a leading apostrophe (« '=HYPERLINK… »), in XLSX it is typed as text.
Each test below puts such a text where a person types it (a structure, a service, a
survey answer, a file sent for import…), downloads the export through the real
address with the Django test client, logged in (second factor verified) as the user
allowed to, and checks: CSV — the typed cell is written « '=… » and no cell starts
with « = + - @ »; XLSX (opened with openpyxl) — the cell is text (`data_type` « s »)
and no cell of any sheet is a formula (`data_type` « f »).

The exports a user can download, and the typed text each one carries:

- Directory export, CSV and XLSX (public, `directory:export_csv` / `export_xlsx`,
  `directory/exporting.py`): structure and service names, descriptions, cost details.
- Directory export by command (`manage.py export_directory`, CSV on stdout, XLSX to a
  file): the same rows.
- Directory import report, CSV (`directory:import_report`,
  `directory/importing/report.py`): the rows of the file sent, echoed as sent.
- Directory import template, CSV (public, `directory:import_template`): a fixed file
  of the project (`directory/data/import_template.csv`), served as is; no typed text —
  checked to hold no formula-looking cell.
- Indicators, CSV and XLSX (`indicators:dashboard?format=`, `indicators/views.py`):
  computed figures, and the CPTS name on every row, the labelled structures' names
  in the « aftercare by structure » breakdown.
- Survey responses, CSV and XLSX (`surveys:export_responses`,
  `surveys/survey_exports.py`): free-text answers, « autre » precisions (typed by
  respondents from outside), the register's CPTS names.
- Survey tables, CSV and XLSX (`surveys:export_tables`, the summaries of
  `surveys/results.py` / `summary_tables.py`): the survey title, questions' and
  choices' labels (typed in the builder), the filter statement. The coding themes
  (`surveys/coding.py`) are shown on the results page only, in no export.
- Survey cross-tab, CSV and XLSX (`surveys:export_crosstab`, `surveys/crosstabs.py`):
  the question's label and its choices' labels.
- CPTS register template, CSV and XLSX (`surveys:register_template`,
  `surveys/views_register.py`): fixed example rows, no typed text — checked to hold no
  formula-looking cell.
- Post-cancer programme report, CSV (`aftercare:report?format=csv`,
  `aftercare/report.py`): the structure's name.
- ARS activity file, XLSX (`aftercare:ars_file?format=xlsx`,
  `aftercare/ars_exports.py`): the labelled structures' names on every sheet.

Not tables: the survey definition (JSON), the HSDS package (JSON), the patient data
export (JSON, PDF) and the PDFs. The last test keeps it so: no module of `oncolien/`
but `tables.py` writes a CSV or a workbook itself.
"""

import ast
import csv
import io
from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from oncolien.aftercare import semesters
from oncolien.aftercare.tests.factories import (
    make_eligible_pathway,
    make_labelled_service,
    prescribe,
)
from oncolien.directory.services import organization_save
from oncolien.directory.tests.factories import curator, make_service
from oncolien.directory.tests.importing.files import csv_data, row
from oncolien.surveys.models import CptsRegisterEntry, Response, SurveyVersion
from oncolien.surveys.tests import analysis_data
from oncolien.territories.models import Cpts

pytestmark = pytest.mark.django_db

LINK = '("http://evil.example","clic")'
EQUALS = f"=HYPERLINK{LINK}"
PLUS = f"+HYPERLINK{LINK}"
MINUS = f"-HYPERLINK{LINK}"
AT = f"@HYPERLINK{LINK}"
FORMULA_STARTS = ("=", "+", "-", "@")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- What the downloaded file must hold -----------------------------------------------


def csv_cells(content: bytes) -> list[str]:
    text = content.decode("utf-8-sig")
    return [cell for line in csv.reader(io.StringIO(text), delimiter=";") for cell in line]


def assert_csv_keeps_text(content: bytes, typed: list[str]) -> None:
    """Each typed text is in a cell written « '… »; no cell starts like a formula."""
    cells = csv_cells(content)
    assert cells, "Le fichier CSV est vide."
    for text in typed:
        assert any(cell.startswith(f"'{text}") for cell in cells), (
            f"« {text} » n'est écrit « '{text} » dans aucune cellule."
        )
    formulas = [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
    assert not formulas, f"Cellules lues comme des formules : {formulas}"


def assert_xlsx_keeps_text(content: bytes, typed: list[str]) -> None:
    """Each typed text is a text cell; no cell of any sheet is a formula."""
    workbook = load_workbook(io.BytesIO(content))
    cells = [cell for sheet in workbook for line in sheet.iter_rows() for cell in line]
    formulas = [
        f"{cell.parent.title}!{cell.coordinate} = {cell.value}"
        for cell in cells
        if cell.data_type == "f"
    ]
    assert not formulas, f"Cellules formules : {formulas}"
    for text in typed:
        found = [cell for cell in cells if str(cell.value or "").startswith(text)]
        assert found, f"« {text} » n'est dans aucune cellule."
        assert all(cell.data_type == "s" for cell in found), f"« {text} » n'est pas du texte."


def assert_keeps_text(kind: str, content: bytes, typed: list[str]) -> None:
    if kind == "csv":
        assert_csv_keeps_text(content, typed)
    else:
        assert_xlsx_keeps_text(content, typed)


def downloaded(response, kind: str) -> bytes:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == (CSV_TYPE if kind == "csv" else XLSX_TYPE)
    assert response["Content-Disposition"].startswith("attachment;")
    return response.content


# --- Directory --------------------------------------------------------------------------


@pytest.fixture
def typed_directory(nord_aveyron):
    """A Nord Aveyron service whose contributor typed formulas in its texts."""
    make_service(
        cpts=nord_aveyron,
        organization=PLUS,
        name=EQUALS,
        description=MINUS,
        cost="remaining_cost",
        remaining_cost_amount="12.00",
        cost_details=AT,
        care_types=["nutrition"],
        commune="12096",
    )
    return nord_aveyron


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_directory_export_download(client, typed_directory, kind):
    address = reverse(f"directory:export_{kind}", kwargs={"slug": typed_directory.slug})
    content = downloaded(client.get(address), kind)
    assert_keeps_text(kind, content, [EQUALS, PLUS, MINUS, AT])


def test_directory_export_command_csv(call, typed_directory):
    out, _ = call("export_directory", cpts=typed_directory.slug)
    assert_csv_keeps_text(out.encode("utf-8"), [EQUALS, PLUS, MINUS, AT])


def test_directory_export_command_xlsx(call, typed_directory, tmp_path):
    path = tmp_path / "annuaire.xlsx"
    call("export_directory", cpts=typed_directory.slug, format="xlsx", output=str(path))
    assert_xlsx_keeps_text(path.read_bytes(), [EQUALS, PLUS, MINUS, AT])


def test_directory_import_report_download(login, coordinator, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    client = login(coordinator)
    upload = reverse("directory:import_upload", kwargs={"slug": "cpts-nord-aveyron"})
    token = client.get(upload).context["form"]["jeton"].value()
    sent = csv_data(
        [row(structure_nom=EQUALS, offre_nom=PLUS, offre_description=MINUS, lieu_nom=AT)]
    )
    answer = client.post(
        upload, {"fichier": SimpleUploadedFile("annuaire.csv", sent), "jeton": token}
    )
    assert answer.status_code == 302, answer.content[:300]
    token = answer.url.rstrip("/").split("/")[-1]
    report = client.get(reverse("directory:import_report", kwargs={"token": token}))
    assert_csv_keeps_text(downloaded(report, "csv"), [EQUALS, PLUS, MINUS, AT])


def test_directory_import_template_download(client, base_data):
    # A fixed file of the project: no typed text, and nothing that looks like a formula.
    content = b"".join(client.get(reverse("directory:import_template")).streaming_content)
    assert_csv_keeps_text(content, [])


# --- Indicators -------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_indicators_export_download(login, coordinator, coordinating_nurse, nord_aveyron, kind):
    # The CPTS's name (typed by an administrator) is on every row; a labelled structure's
    # name (typed by a contributor) in the breakdown of the programmes by structure.
    Cpts.objects.filter(pk=nord_aveyron.pk).update(name=EQUALS)
    service = make_labelled_service(name=PLUS)
    pathway = make_eligible_pathway(actor=coordinating_nurse, end_of_treatment=date(2026, 10, 1))
    prescribe(
        actor=coordinating_nurse,
        pathway=pathway,
        service=service,
        prescribed_on=date(2026, 11, 3),
        today=date(2026, 11, 3),
    )
    address = reverse("indicators:dashboard", kwargs={"slug": nord_aveyron.slug})
    answer = login(coordinator).get(address, {"periode": "2026-11", "format": kind})
    assert_keeps_text(kind, downloaded(answer, kind), [EQUALS, PLUS])


# --- Surveys ----------------------------------------------------------------------------


@pytest.fixture
def typed_survey(base_data):
    """The analysis tests' survey, with formulas typed by those who type its texts: the
    regional team (title, a question, a choice), a respondent (a free-text answer, an
    « autre » precision), the register's import (a CPTS name)."""
    survey = analysis_data.build()
    survey.title = PLUS
    survey.save(update_fields=["title"])
    version = SurveyVersion.objects.get(survey=survey)
    definition = version.definition
    known = definition["sections"][1]["questions"][1]
    assert known["code"] == "soins_connus"
    known["label"] = MINUS
    known["choices"][0]["label"] = EQUALS
    SurveyVersion.objects.filter(pk=version.pk).update(definition=definition)
    first = Response.objects.filter(survey=survey).order_by("pk").first()
    assert first is not None and "attentes" in first.answers
    first.answers["attentes"] = EQUALS
    first.save(update_fields=["answers"])
    precision = Response.objects.filter(survey=survey, other_texts__has_key="soins_connus")
    precision.update(other_texts={"soins_connus": AT})
    CptsRegisterEntry.objects.filter(register=survey.register, name="CPTS Alpha").update(name=PLUS)
    return survey


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_survey_responses_export_download(login, regional, typed_survey, kind):
    address = reverse("surveys:export_responses", args=[typed_survey.pk])
    answer = login(regional).get(address, {"format": kind})
    assert_keeps_text(kind, downloaded(answer, kind), [EQUALS, PLUS, AT])


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_survey_tables_export_download(login, regional, typed_survey, kind):
    address = reverse("surveys:export_tables", args=[typed_survey.pk])
    answer = login(regional).get(address, {"format": kind})
    assert_keeps_text(kind, downloaded(answer, kind), [PLUS, MINUS, EQUALS])


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_survey_crosstab_export_download(login, regional, typed_survey, kind):
    address = reverse("surveys:export_crosstab", args=[typed_survey.pk])
    query = {"format": kind, "croiser": "soins_connus", "par": "taille"}
    answer = login(regional).get(address, query)
    assert_keeps_text(kind, downloaded(answer, kind), [MINUS, EQUALS])


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_register_template_download(login, regional, kind):
    # Fixed example rows: no typed text, and nothing that looks like a formula.
    address = reverse("surveys:register_template", kwargs={"extension": kind})
    assert_keeps_text(kind, downloaded(login(regional).get(address), kind), [])


# --- Post-cancer programme --------------------------------------------------------------


def test_aftercare_report_csv_download(login, coordinator, base_data):
    service = make_labelled_service(name=EQUALS)
    query = {"structure": service.pk, "du": "2026-01-01", "au": "2026-06-30", "format": "csv"}
    answer = login(coordinator).get(reverse("aftercare:report"), query)
    assert_csv_keeps_text(downloaded(answer, "csv"), [EQUALS])


def test_ars_file_xlsx_download(login, coordinator, base_data):
    # A structure is named « organisation — offre » in the file.
    service = make_labelled_service(name=PLUS)
    organization_save(
        actor=curator(),
        cpts=service.organization.cpts,
        organization=service.organization,
        name=EQUALS,
    )
    semester = semesters.last_complete(timezone.localdate()).code
    answer = login(coordinator).get(
        reverse("aftercare:ars_file"), {"semestre": semester, "format": "xlsx"}
    )
    assert_xlsx_keeps_text(downloaded(answer, "xlsx"), [EQUALS])


# --- No export around the one writer ----------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "oncolien"
# The one writer, and a development script that writes a source file of the demo.
ALLOWED = {
    PACKAGE / "tables.py",
    PACKAGE / "surveys" / "data" / "build_demo_register.py",
}
FORBIDDEN = {
    "csv.writer",
    "csv.DictWriter",
    "openpyxl.Workbook",
    "openpyxl.workbook.Workbook",
    "openpyxl.workbook.workbook.Workbook",
}


def _dotted(node: ast.expr, names: dict[str, str]) -> str | None:
    """The full name an expression stands for (`csv.writer`, through any import alias)."""
    if isinstance(node, ast.Name):
        return names.get(node.id)
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value, names)
        return f"{base}.{node.attr}" if base else None
    return None


def writers_in(source: str) -> list[tuple[int, str]]:
    """The (line, name) of each use of a CSV or workbook writer in a module's source."""
    tree = ast.parse(source)
    names: dict[str, str] = {}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                local = alias.asname or alias.name.split(".")[0]
                names[local] = alias.name if alias.asname else local
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                names[alias.asname or alias.name] = full
                if full in FORBIDDEN:
                    found.append((node.lineno, full))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute | ast.Name) and isinstance(node.ctx, ast.Load):
            full = _dotted(node, names)
            if full in FORBIDDEN:
                found.append((node.lineno, full))
    return sorted(set(found))


def test_the_writer_check_finds_each_form_of_writer():
    source = (
        "import csv\nimport csv as c\nfrom csv import DictWriter as D\n"
        "import openpyxl\nfrom openpyxl import Workbook\n"
        "csv.writer(x)\nc.writer(x)\nD(x, [])\nopenpyxl.Workbook()\nWorkbook()\n"
        "csv.reader(x)\nopenpyxl.load_workbook(x)\n"
    )
    assert writers_in(source) == [
        (3, "csv.DictWriter"),
        (5, "openpyxl.Workbook"),
        (6, "csv.writer"),
        (7, "csv.writer"),
        (8, "csv.DictWriter"),
        (9, "openpyxl.Workbook"),
        (10, "openpyxl.Workbook"),
    ]


def test_no_module_writes_a_table_around_the_one_writer():
    # Test modules (`tests` folders) build files to import, they are not downloaded.
    offenders = [
        f"{path.relative_to(ROOT)}:{line} : {name} — écrivez le tableau avec "
        "oncolien/tables.py (csv_bytes, xlsx_bytes), qui protège des formules."
        for path in sorted(PACKAGE.rglob("*.py"))
        if path not in ALLOWED and "tests" not in path.relative_to(PACKAGE).parts
        for line, name in writers_in(path.read_text(encoding="utf-8"))
    ]
    assert not offenders, "Export hors de l'écrivain unique :\n" + "\n".join(offenders)
