"""The import_directory and export_directory commands."""

import pytest
from django.core.management.base import CommandError
from openpyxl import load_workbook

from oncolien.audit.models import AuditEntry
from oncolien.directory.models import Service
from oncolien.directory.tests.importing.files import csv_data, row, xlsx_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def file(tmp_path):
    def _file(data: bytes, name: str = "annuaire.csv"):
        path = tmp_path / name
        path.write_bytes(data)
        return str(path)

    return _file


def test_a_dry_run_prints_the_verdicts_and_changes_nothing(call, coordinator, file):
    out, _ = call(
        "import_directory",
        file(csv_data([row(lieu_commune="Laguiole"), row(offre_nom="Deux")])),
        "--cpts",
        "cpts-nord-aveyron",
        "--as",
        coordinator.username,
        "--dry-run",
    )
    assert "Ligne 2 : Avertissement ; offre créée — Ateliers de socio-esthétique" in out
    assert "    lieu_commune : « Laguiole » n'est pas le nom de la commune 12096" in out
    assert "Ligne 3" not in out  # rows without remark are listed with -v 2 only
    assert "2 ligne(s) : 1 sans remarque, 1 avec avertissement, 0 en erreur." in out
    assert "Offres — créées : 2, mises à jour : 0, inchangées : 0." in out
    assert "Simulation : rien n'a été enregistré." in out
    assert not Service.objects.exists()


def test_the_command_imports_and_a_second_run_changes_nothing(call, coordinator, file):
    path = file(xlsx_data([row(), row(offre_nom="Deux")]), "annuaire.xlsx")
    args = ("import_directory", path, "--cpts", "cpts-nord-aveyron", "--as", coordinator.username)
    out, _ = call(*args)
    assert "Import appliqué." in out
    assert Service.objects.count() == 2
    out, _ = call(*args, verbosity=2)
    assert "Ligne 3 : OK ; offre inchangée — Deux" in out
    assert "Offres — créées : 0, mises à jour : 0, inchangées : 2." in out
    assert Service.objects.count() == 2


def test_an_error_row_fails_the_command_and_changes_nothing(call, coordinator, file, capsys):
    path = file(csv_data([row(), row(offre_nom="Deux", lieu_commune_insee="99999")]))
    with pytest.raises(CommandError) as failure:
        call("import_directory", path, "--cpts", "cpts-nord-aveyron", "--as", coordinator.username)
    assert str(failure.value) == "Import refusé : 1 ligne(s) en erreur. Rien n'a été modifié."
    out = capsys.readouterr().out
    assert "Ligne 3 : Erreur — Deux" in out
    assert "lieu_commune_insee : aucune commune ne porte le code INSEE 99999." in out
    assert not Service.objects.exists()


def test_a_dry_run_with_errors_fails_too(call, coordinator, file):
    with pytest.raises(CommandError):
        call(
            "import_directory",
            file(csv_data([row(cout="")])),
            "--cpts",
            "cpts-nord-aveyron",
            "--as",
            coordinator.username,
            "--dry-run",
        )


def test_someone_who_may_not_edit_the_cpts_is_refused(call, outsider, file):
    with pytest.raises(CommandError) as failure:
        call(
            "import_directory",
            file(csv_data([row()])),
            "--cpts",
            "cpts-nord-aveyron",
            "--as",
            outsider.username,
        )
    assert "n'a pas le droit de modifier l'annuaire de la CPTS Nord Aveyron" in str(failure.value)
    assert not Service.objects.exists()
    assert AuditEntry.objects.filter(action="access.denied", actor_id=outsider.pk).count() == 1


def test_an_unreadable_file_fails_with_its_reason(call, coordinator, file):
    with pytest.raises(CommandError) as failure:
        call(
            "import_directory",
            file(b"x", "annuaire.ods"),
            "--cpts",
            "cpts-nord-aveyron",
            "--as",
            coordinator.username,
        )
    assert "Format non pris en charge" in str(failure.value)


def test_export_directory_writes_csv_and_xlsx(call, coordinator, file, tmp_path):
    call(
        "import_directory",
        file(csv_data([row()])),
        "--cpts",
        "cpts-nord-aveyron",
        "--as",
        coordinator.username,
    )
    out, _ = call("export_directory", "--cpts", "cpts-nord-aveyron", "--format", "csv")
    assert out.startswith("structure_nom;structure_type;")
    assert "Association Bien-être Aveyron;Association;" in out

    target = tmp_path / "annuaire.xlsx"
    _, err = call(
        "export_directory", "--cpts", "cpts-nord-aveyron", "--format", "xlsx", "-o", str(target)
    )
    assert "Annuaire écrit" in err
    sheet = load_workbook(target, read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "Association Bien-être Aveyron"


def test_export_of_an_unknown_cpts_fails(call):
    with pytest.raises(CommandError, match="Aucune CPTS n'a l'identifiant « inconnue »."):
        call("export_directory", "--cpts", "inconnue")
