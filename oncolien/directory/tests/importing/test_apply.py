"""Applying an import: everything or nothing, and a re-import updates instead of duplicating."""

from datetime import date
from decimal import Decimal

import pytest

from oncolien.accounts.authorization import AccessDenied
from oncolien.directory.importing.applying import ImportRefused, import_table
from oncolien.directory.importing.columns import HEADERS
from oncolien.directory.models import Location, Organization, Service
from oncolien.directory.tests.importing.files import (
    numbered_rows,
    row,
    table,
    xlsx_data,
)
from oncolien.table_reading import read_table

pytestmark = pytest.mark.django_db


def counts():
    return (Organization.objects.count(), Location.objects.count(), Service.objects.count())


@pytest.fixture
def apply(coordinator, nord_aveyron):
    def _apply(source, **options):
        return import_table(
            source, cpts=nord_aveyron, actor=coordinator, filename="annuaire.csv", **options
        )

    return _apply


def test_a_row_becomes_an_organisation_a_location_and_a_service(apply, coordinator):
    apply(
        table(
            [
                row(
                    structure_type="Professionnel·le libéral·e",
                    structure_rpps="10003381430",
                    structure_site_web="www.example.org",
                    offre_nom="Consultations diététiques",
                    soins="Prise en charge diététique et nutritionnelle | psychological",
                    professions="Diététicien | psychologist",
                    public="patients | proches",
                    phases="après traitement",
                    acces="prescription",
                    cout="reste à charge",
                    reste_a_charge="25,50 €",
                    cout_precisions="Selon mutuelle",
                    labels="espace_ligue | Maison Sport-Santé",
                    verifiee_le="2026-01-15",
                    lieu_latitude="44,5225",
                    lieu_longitude="2,7633",
                    lieu_horaires="Lundi",
                )
            ]
        )
    )
    service = Service.objects.get()
    organization = service.organization
    assert (organization.name, organization.kind, organization.rpps, organization.website) == (
        "Association Bien-être Aveyron",
        "self_employed",
        "10003381430",
        "https://www.example.org",
    )
    assert organization.cpts.slug == "cpts-nord-aveyron"
    assert sorted(c.code for c in service.care_types.all()) == ["nutrition", "psychological"]
    assert sorted(p.code for p in service.professions.all()) == ["dietitian", "psychologist"]
    assert sorted(label.code for label in service.labels.all()) == [
        "espace_ligue",
        "maison_sport_sante",
    ]
    assert (service.for_patients, service.for_relatives) == (True, True)
    assert (service.phase_diagnosis, service.phase_treatment, service.phase_after_treatment) == (
        False,
        False,
        True,
    )
    assert (service.access, service.cost, service.remaining_cost_amount) == (
        "prescription",
        "remaining_cost",
        Decimal("25.50"),
    )
    assert service.last_verified_on == date(2026, 1, 15)
    location = service.locations.get()
    assert (location.commune.insee_code, location.postal_code, location.opening_hours) == (
        "12096",
        "12500",
        "Lundi",
    )
    assert (location.latitude, location.longitude, location.coordinates_given) == (
        44.5225,
        2.7633,
        True,
    )
    # The history says who imported.
    assert {record.history_user for record in service.history.all()} == {coordinator}


def test_a_home_service_without_a_place_serves_its_communes(apply):
    apply(
        table(
            [
                row(
                    a_domicile="oui",
                    communes_desservies="12096, 12119",
                    lieu_nom="",
                    lieu_adresse="",
                    lieu_code_postal="",
                    lieu_commune_insee="",
                )
            ]
        )
    )
    service = Service.objects.get()
    assert service.is_home_service
    assert not service.locations.exists()
    assert sorted(c.name for c in service.communes_served.all()) == ["Espalion", "Laguiole"]


def test_a_thousand_rows_with_one_bad_row_apply_nothing(apply):
    rows = numbered_rows(1000)
    rows[737]["soins"] = "massage"
    with pytest.raises(ImportRefused) as refused:
        apply(table(rows))
    verdicts = refused.value.verdicts
    assert verdicts.summary.rows == 1000
    assert verdicts.summary.error == 1
    [bad] = [v for v in verdicts.rows if v.status == "error"]
    assert bad.line == 739
    assert bad.errors == ["soins : soin de support inconnu : « massage »."]
    assert counts() == (0, 0, 0)


def test_a_failure_while_applying_rolls_everything_back(apply):
    """The progress file cannot be written half-way: what was written is undone."""

    def failing_progress(phase, done, total):
        if phase == "application" and done == 20:
            raise OSError("disque plein")

    with pytest.raises(OSError):
        apply(table(numbered_rows(30)), progress=failing_progress)
    assert counts() == (0, 0, 0)


def test_progress_is_reported_for_validation_then_application(apply):
    seen = []
    apply(table(numbered_rows(12)), progress=lambda *step: seen.append(step))
    assert seen[0] == ("validation", 1, 12)
    assert ("validation", 12, 12) in seen
    # 7 organisations, 7 locations (one per organisation, same place), 12 services.
    assert seen[-1] == ("application", 26, 26)


def test_importing_the_same_file_twice_updates_instead_of_duplicating(apply):
    rows = numbered_rows(20)
    first = apply(table(rows))
    assert (first.summary.services.create, first.summary.organizations.create) == (20, 7)
    before = counts()
    history = Service.history.count()

    second = apply(table(rows))
    assert counts() == before == (7, 7, 20)
    assert second.summary.services.unchanged == 20
    assert {v.service_action_label for v in second.rows} == {"inchangée"}
    # Nothing unchanged is rewritten: the history does not grow.
    assert Service.history.count() == history

    rows[3]["offre_description"] = "Nouvelle description"
    third = apply(table(rows))
    assert counts() == before
    assert (third.summary.services.update, third.summary.services.unchanged) == (1, 19)
    assert Service.objects.get(name="Offre 3").description == "Nouvelle description"
    assert third.rows[3].service_action_label == "mise à jour"


def test_names_are_matched_without_case_or_accents(apply):
    apply(table([row()]))
    apply(
        table(
            [
                row(
                    structure_nom="ASSOCIATION BIEN-ETRE AVEYRON",
                    offre_nom="ateliers de socio esthetique",
                )
            ]
        )
    )
    assert counts() == (1, 1, 1)
    assert Service.objects.get().name == "ateliers de socio esthetique"


def test_an_organisation_is_recognised_by_its_siret_when_renamed(apply):
    apply(table([row(structure_siret="12345678200010")]))
    verdicts = apply(table([row(structure_siret="12345678200010", structure_nom="Nouveau nom")]))
    assert verdicts.rows[0].organization_action_label == "mise à jour"
    assert list(Organization.objects.values_list("name", flat=True)) == ["Nouveau nom"]
    assert counts() == (1, 1, 1)


def test_the_places_of_a_service_become_those_of_the_file(apply):
    apply(table([row(), row(lieu_commune_insee="12119", lieu_code_postal="12210")]))
    assert sorted(Service.objects.get().locations.values_list("commune__name", flat=True)) == [
        "Espalion",
        "Laguiole",
    ]
    apply(table([row(lieu_commune_insee="12119", lieu_code_postal="12210")]))
    service = Service.objects.get()
    assert list(service.locations.values_list("commune__name", flat=True)) == ["Laguiole"]


def test_a_column_left_out_of_the_file_leaves_the_field_as_it_is(apply, nord_aveyron):
    apply(table([row(offre_description="Texte d'origine", labels="espace_ligue")]))
    headers = [h for h in HEADERS if h not in ("offre_description", "labels")]
    verdicts = apply(table([row(offre_nom="Ateliers de socio-esthétique")], headers=headers))
    assert verdicts.summary.services.unchanged == 1
    service = Service.objects.get()
    assert service.description == "Texte d'origine"
    assert [label.code for label in service.labels.all()] == ["espace_ligue"]


def test_an_empty_cell_empties_the_field(apply):
    apply(table([row(offre_description="Texte d'origine")]))
    apply(table([row(offre_description="")]))
    assert Service.objects.get().description == ""


def test_an_xlsx_file_imports_like_the_same_csv(apply):
    rows = numbered_rows(5, cout="reste à charge", reste_a_charge="12,5")
    apply(read_table(xlsx_data(rows), "annuaire.xlsx"))
    assert counts() == (5, 5, 5)
    assert set(Service.objects.values_list("remaining_cost_amount", flat=True)) == {
        Decimal("12.50")
    }
    # The same rows as CSV change nothing.
    verdicts = apply(table(rows))
    assert verdicts.summary.services.unchanged == 5


def test_an_xlsx_with_typed_cells_is_read(apply):
    """Spreadsheets type numbers and dates: a postal code as 12500, a date as a date."""
    rows = [row(lieu_code_postal=12500, lieu_commune_insee=12096, verifiee_le=date(2026, 1, 15))]
    apply(read_table(xlsx_data(rows), "annuaire.xlsx"))
    service = Service.objects.get()
    assert service.last_verified_on == date(2026, 1, 15)
    assert service.locations.get().postal_code == "12500"


def test_an_outsider_cannot_import_into_another_cpts(outsider, nord_aveyron):
    with pytest.raises(AccessDenied):
        import_table(table([row()]), cpts=nord_aveyron, actor=outsider, filename="a.csv")
    assert counts() == (0, 0, 0)


def test_the_model_file_imports_without_error(apply):
    from oncolien.directory.views_importing import TEMPLATE_FILE

    verdicts = apply(read_table(TEMPLATE_FILE.read_bytes(), "modele.csv"))
    assert verdicts.summary.error == verdicts.summary.warning == 0
    assert verdicts.summary.services.create == 2
