"""Importing the register of the region's CPTS: every row judged, all or nothing."""

from datetime import date

import pytest

from oncolien.surveys.models import CptsRegister, CptsRegisterEntry, PopulationSource
from oncolien.surveys.register_import import check_register_file, register_import
from oncolien.surveys.register_sizes import maturity_years, size_class_of
from oncolien.surveys.tests.register_files import csv_file, xlsx_file
from oncolien.territories.models import Commune

pytestmark = pytest.mark.django_db

ESPALION, BOZOULS, RODEZ = "12096", "12033", "12202"


def _population(*codes: str) -> int:
    return sum(Commune.objects.filter(insee_code__in=codes).values_list("population", flat=True))


def _import(user, data: bytes, filename: str):
    return register_import(
        user=user, data=data, filename=filename, title="Registre test", region="Occitanie"
    )


def test_a_good_csv_creates_a_register_with_computed_and_declared_populations(regional):
    data = csv_file(
        [
            ["CPTS Nord-Aveyron", "12", "01/12/2020", f"{ESPALION}, {BOZOULS}", ""],
            ["CPTS du Piémont", "9", "2022-03-15", "", "45 000"],
            ["CPTS de la Côte", "Hérault", "", "", "180000"],
        ],
        # Headings as people type them: capitals, no accents.
        headings=[
            "NOM",
            "departement",
            "date de signature de l'aci",
            "Communes (codes insee)",
            "Population declaree",
        ],
    )
    register, check = _import(regional, data, "registre.csv")
    assert register is not None, [row.errors for row in check.rows]
    assert (register.title, register.region, register.source_name) == (
        "Registre test",
        "Occitanie",
        "registre.csv",
    )
    assert register.imported_by == regional and not register.is_fictitious
    entries = {entry.name: entry for entry in register.entries.all()}
    aveyron = entries["CPTS Nord-Aveyron"]
    assert aveyron.population == _population(ESPALION, BOZOULS)
    assert aveyron.population_source == PopulationSource.COMMUNES
    assert aveyron.communes == [ESPALION, BOZOULS]
    assert aveyron.aci_signed_on == date(2020, 12, 1)
    # « CPTS Nord-Aveyron » is OncoLien's « CPTS Nord Aveyron » (normalised name).
    assert aveyron.cpts is not None and aveyron.cpts.slug == "cpts-nord-aveyron"
    piemont = entries["CPTS du Piémont"]
    assert (piemont.department, piemont.population, piemont.population_source) == (
        "09",
        45_000,
        PopulationSource.DECLARED,
    )
    assert piemont.size_class == 2 and piemont.cpts is None
    cote = entries["CPTS de la Côte"]
    assert (cote.department, cote.size_class, cote.aci_signed_on) == ("34", 4, None)


def test_a_good_xlsx_with_date_and_number_cells_is_imported(regional):
    data = xlsx_file(
        [
            ["CPTS Sud Tarn", "81", date(2021, 11, 1), None, 134453],
            ["CPTS du Grand Rodez", 12, "15/03/2021", f"{RODEZ};{BOZOULS}", None],
        ]
    )
    register, check = _import(regional, data, "registre.xlsx")
    assert register is not None, [row.errors for row in check.rows]
    tarn = register.entries.get(name="CPTS Sud Tarn")
    assert (tarn.aci_signed_on, tarn.population, tarn.size_class) == (date(2021, 11, 1), 134453, 3)
    assert tarn.cpts is not None and tarn.cpts.slug == "cpts-sud-tarn"
    rodez = register.entries.get(name="CPTS du Grand Rodez")
    assert rodez.department == "12" and rodez.population == _population(RODEZ, BOZOULS)


def test_one_bad_row_creates_nothing_and_every_row_has_its_verdict(regional):
    data = csv_file(
        [
            ["CPTS Une", "12", "01/12/2020", ESPALION, ""],
            ["CPTS Deux", "99", "01/12/2020", "", "20000"],
            ["CPTS Trois", "31", "31/02/2021", "", "20000"],
            ["CPTS Quatre", "31", "01/01/2021", "12999, 1234X", ""],
            ["CPTS Cinq", "81", "01/01/2021", "", ""],
            ["cpts une", "12", "01/01/2021", "", "30000"],
            ["CPTS Six", "81", "01/01/2099", "", "0"],
        ]
    )
    register, check = _import(regional, data, "registre.csv")
    assert register is None
    assert not CptsRegister.objects.exists() and not CptsRegisterEntry.objects.exists()
    assert not check.can_import and check.error_rows == 6
    verdicts = {row.line: row for row in check.rows}
    assert list(verdicts) == [2, 3, 4, 5, 6, 7, 8]
    assert verdicts[2].ok
    assert verdicts[3].department == "99"  # shown as typed
    assert verdicts[3].errors == [
        "Département inconnu : « 99 » (attendu : un code comme 09, 2A ou 971)."
    ]
    assert verdicts[4].errors == [
        "Date de signature de l'ACI illisible : « 31/02/2021 » (attendu : JJ/MM/AAAA)."
    ]
    assert "Code(s) INSEE inconnu(s) dans OncoLien : 12999." in verdicts[5].errors
    assert any("mal formé" in message and "1234X" in message for message in verdicts[5].errors)
    assert verdicts[6].errors == [
        "Ni communes ni population déclarée : indiquez les codes INSEE des communes "
        "ou la population déclarée."
    ]
    assert verdicts[7].errors == ["Doublon : une CPTS de même nom figure déjà ligne 2."]
    assert "La date de signature de l'ACI (01/01/2099) est dans le futur." in verdicts[8].errors
    assert any("Population déclarée illisible" in message for message in verdicts[8].errors)


def test_a_file_without_the_required_columns_is_refused_whole():
    check = check_register_file(csv_file([["x", "y"]], headings=["Intitulé", "Région"]), "r.csv")
    assert check.file_errors == [
        "Il manque la colonne « Nom » (voir le modèle de fichier).",
        "Il manque la colonne « Département » (voir le modèle de fichier).",
        "Il faut une colonne « Communes (codes INSEE) » ou une colonne « Population "
        "déclarée » (voir le modèle de fichier).",
    ]
    assert not check.can_import
    unreadable = check_register_file(b"x", "registre.pdf")
    assert unreadable.file_errors and "Format non pris en charge" in unreadable.file_errors[0]


def test_communes_win_over_a_declared_population_and_say_so(base_data):
    check = check_register_file(csv_file([["CPTS Une", "12", "", f"{ESPALION}", "99999"]]), "r.csv")
    row = check.rows[0]
    assert row.ok and row.values is not None
    assert row.values.population == _population(ESPALION)
    assert row.values.population_source == PopulationSource.COMMUNES
    assert "Population déclarée ignorée : elle est calculée à partir des communes." in row.notes
    assert "Date de signature de l'ACI non renseignée." in row.notes


def test_a_commune_of_another_department_is_pointed_out(base_data):
    castres = "81065"
    check = check_register_file(
        csv_file([["CPTS Une", "12", "", f"{ESPALION}, {castres}", ""]]), "r.csv"
    )
    row = check.rows[0]
    assert row.ok and "Commune(s) hors du département 12 : 81065." in row.notes


@pytest.mark.parametrize(
    ("population", "size_class"),
    [(1, 1), (39_999, 1), (40_000, 2), (79_999, 2), (80_000, 3), (175_000, 3), (175_001, 4)],
)
def test_size_classes_follow_the_aci_thresholds(population, size_class):
    assert size_class_of(population) == size_class


def test_a_declared_population_at_a_boundary_gets_its_size_class(base_data):
    check = check_register_file(
        csv_file(
            [
                ["CPTS A", "12", "", "", "39999"],
                ["CPTS B", "12", "", "", "40000"],
                ["CPTS C", "12", "", "", "175000"],
                ["CPTS D", "12", "", "", "175001"],
            ]
        ),
        "r.csv",
    )
    assert [row.values.size_class for row in check.rows if row.values] == [1, 2, 3, 4]


def test_an_implausible_declared_population_is_refused(base_data):
    check = check_register_file(csv_file([["CPTS A", "12", "", "", "99999999999"]]), "r.csv")
    assert check.rows[0].errors == [
        "Population déclarée invraisemblable pour une CPTS : « 99999999999 »."
    ]


def test_maturity_is_counted_in_full_years_since_the_aci():
    signed = date(2020, 12, 1)
    assert maturity_years(signed, on=date(2025, 11, 30)) == 4
    assert maturity_years(signed, on=date(2025, 12, 1)) == 5
    assert maturity_years(None, on=date(2025, 12, 1)) is None
