"""The public CSV/XLSX export: the printed directory's content in the import's columns."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from oncolien.directory.exporting import export_csv, export_rows
from oncolien.directory.importing.applying import import_table
from oncolien.directory.importing.columns import HEADERS
from oncolien.directory.models import Service
from oncolien.directory.services import location_save, service_save
from oncolien.directory.tests.factories import curator, make_service
from oncolien.reference.models import CareType
from oncolien.table_reading import read_table
from oncolien.territories.models import Commune

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(nord_aveyron):
    """A varied directory: two places, a home service, a remaining cost, an inactive service."""
    actor = curator()
    dietitian = make_service(
        cpts=nord_aveyron,
        organization="Cabinet de diététique",
        kind="self_employed",
        name="Consultations diététiques",
        care_types=["nutrition", "healthy_lifestyle"],
        professions=["dietitian"],
        commune="12096",
        cost="remaining_cost",
        remaining_cost_amount="25.50",
        description="=SOMME(A1) ne doit pas devenir une formule",
        for_relatives=True,
        phase_diagnosis=False,
    )
    laguiole = location_save(
        actor=actor,
        organization=dietitian.organization,
        commune=Commune.objects.get(insee_code="12119"),
        address="3 rue du Couteau",
        latitude=44.684,
        longitude=2.847,
        opening_hours="Jeudi",
    ).obj
    service_save(
        actor=actor,
        organization=dietitian.organization,
        service=dietitian,
        care_types=dietitian.care_types.all(),
        professions=dietitian.professions.all(),
        locations=[*dietitian.locations.all(), laguiole],
    )
    home = make_service(
        cpts=nord_aveyron,
        organization="Association Bien-être Aveyron",
        name="Soutien à domicile des aidants",
        care_types=["carer_support", "social"],
        commune="12202",
        is_home_service=True,
    )
    home.communes_served.set(Commune.objects.filter(insee_code__in=["12096", "12119"]))
    make_service(
        cpts=nord_aveyron,
        name="Ancienne offre",
        care_types=["sophrology"],
        commune="12096",
        status="inactive",
    )
    return nord_aveyron


def rows_of(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def test_the_csv_export_is_public_and_has_the_import_columns(client, directory):
    response = client.get(reverse("directory:export_csv", kwargs={"slug": directory.slug}))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="annuaire-cpts-nord-aveyron-'
    )
    rows = rows_of(response.content)
    assert rows[0] == HEADERS
    by_service = [
        (r[HEADERS.index("offre_nom")], r[HEADERS.index("lieu_commune")]) for r in rows[1:]
    ]
    assert by_service == [
        ("Soutien à domicile des aidants", "Rodez"),
        ("Consultations diététiques", "Espalion"),
        ("Consultations diététiques", "Laguiole"),
    ]
    dietitian = dict(zip(HEADERS, rows[2], strict=True))
    assert dietitian["soins"] == (
        "Prise en charge diététique et nutritionnelle | Conseils d'hygiène de vie"
    )
    assert dietitian["cout"] == "Reste à charge"
    assert dietitian["reste_a_charge"] == "25,50"
    assert dietitian["public"] == "patients | proches et aidants"
    assert dietitian["phases"] == "traitement | après traitement"
    # A formula-looking text is protected in the CSV.
    assert dietitian["offre_description"] == "'=SOMME(A1) ne doit pas devenir une formule"


def test_inactive_services_are_not_exported(directory):
    names = {row[HEADERS.index("offre_nom")] for row in export_rows(cpts=directory)}
    assert "Ancienne offre" not in names


def test_the_xlsx_export_has_the_same_rows(client, directory):
    response = client.get(reverse("directory:export_xlsx", kwargs={"slug": directory.slug}))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    assert workbook.sheetnames == ["Annuaire", "Colonnes"]
    rows = [
        ["" if value is None else value for value in row]
        for row in workbook["Annuaire"].iter_rows(values_only=True)
    ]
    expected = export_rows(cpts=directory)
    assert rows == expected
    # In XLSX the text is typed as text: no apostrophe needed.
    assert "=SOMME(A1) ne doit pas devenir une formule" in rows[2]


def test_an_export_reimports_unchanged(directory, coordinator):
    data = export_csv(cpts=directory)
    verdicts = import_table(
        read_table(data, "export.csv"), cpts=directory, actor=coordinator, filename="export.csv"
    )
    assert verdicts.summary.error == verdicts.summary.warning == 0
    assert verdicts.summary.services.unchanged == 2
    assert verdicts.summary.services.update == verdicts.summary.services.create == 0
    assert export_csv(cpts=directory) == data


def test_an_export_imports_into_another_cpts_identically(directory, sud_tarn, administrator):
    for extension, data in (
        ("csv", export_csv(cpts=directory)),
        ("xlsx", _xlsx(directory)),
    ):
        verdicts = import_table(
            read_table(data, f"export.{extension}"),
            cpts=sud_tarn,
            actor=administrator,
            filename=f"export.{extension}",
        )
        assert verdicts.summary.error == 0
    assert export_rows(cpts=sud_tarn) == export_rows(cpts=directory)
    assert Service.objects.filter(organization__cpts=sud_tarn).count() == 2
    copied = Service.objects.get(organization__cpts=sud_tarn, name="Consultations diététiques")
    assert copied.description == "=SOMME(A1) ne doit pas devenir une formule"
    assert set(copied.care_types.values_list("code", flat=True)) == {
        "nutrition",
        "healthy_lifestyle",
    }
    assert CareType.objects.filter(code="nutrition").exists()


def _xlsx(cpts) -> bytes:
    from oncolien.directory.exporting import export_xlsx

    return export_xlsx(cpts=cpts)
