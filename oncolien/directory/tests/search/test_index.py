"""The index follows every write of the directory, and rebuilds from scratch."""

import importlib

import pytest
from django.apps import apps
from django.db import connection

from oncolien.directory.models import Service
from oncolien.directory.search import backend
from oncolien.directory.search.models import SearchDocument, SearchPoint
from oncolien.directory.search.query import ServiceQuery, search_services
from oncolien.directory.services import location_save, organization_save, service_save
from oncolien.directory.tests.factories import curator
from oncolien.territories.models import Commune

from .conftest import ESPALION, keys


def _save(service, **values):
    service_save(
        actor=curator(),
        organization=service.organization,
        service=service,
        care_types=list(service.care_types.all()),
        professions=list(service.professions.all()),
        labels=list(service.labels.all()),
        communes_served=list(service.communes_served.all()),
        locations=list(service.locations.all()),
        **values,
    )


def found(directory, **criteria):
    return keys(directory, search_services(ServiceQuery(page_size=100, **criteria)))


def test_a_renamed_service_is_found_by_its_new_name_only(directory):
    assert found(directory, words="atelier") == ["ligue_cooking"]
    _save(directory["ligue_cooking"], name="Recettes de saison")
    assert found(directory, words="recettes saison") == ["ligue_cooking"]
    assert found(directory, words="atelier") == []


def test_a_deactivated_service_leaves_the_search_and_comes_back_when_reactivated(directory):
    _save(directory["apa_bozouls"], status="inactive")
    assert "apa_bozouls" not in found(directory, care_types=["physical_activity"])
    assert not SearchPoint.objects.filter(service=directory["apa_bozouls"]).exists()
    _save(directory["apa_bozouls"], status="active")
    assert "apa_bozouls" in found(directory, care_types=["physical_activity"])


def test_renaming_the_organisation_refreshes_its_services(directory):
    organization = directory["carers_laguiole"].organization
    organization_save(
        actor=curator(),
        cpts=organization.cpts,
        organization=organization,
        name="Les Aidants de l'Aubrac",
        kind=organization.kind,
    )
    assert found(directory, words="aubrac") == ["carers_laguiole"]


def test_moving_a_location_moves_the_service_on_the_map(directory):
    location = directory["carers_laguiole"].locations.get()
    location_save(
        actor=curator(),
        organization=location.organization,
        location=location,
        commune=Commune.objects.get(insee_code=ESPALION),
        address=location.address,
    )
    assert "carers_laguiole" in found(directory, commune=ESPALION, radius_km=5)


def test_rebuild_search_index_restores_a_lost_index(directory, call):
    SearchPoint.objects.all().delete()
    SearchDocument.objects.all().delete()
    assert search_services(ServiceQuery()).total == 0
    out, _ = call("rebuild_search_index")
    assert "8 offres actives indexées" in out
    assert found(directory, words="diet") == ["diet_espalion", "diet_castres", "ligue_cooking"]
    assert found(directory, commune=ESPALION, radius_km=10)[:2] == [
        "ligue_cooking",
        "diet_espalion",
    ]


def test_the_full_text_index_is_in_place_after_migrations(db):
    with connection.cursor() as cursor:
        assert backend.for_connection(connection).missing_parts(cursor) == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5 is SQLite's")
def test_the_fts5_index_stays_consistent_through_writes_and_rebuilds(directory, call):
    _save(directory["diet_espalion"], name="Consultation de diététique")
    Service.objects.filter(pk=directory["aesthetics_castres"].pk).delete()
    call("rebuild_search_index")
    _save(directory["ligue_cooking"], description="Des menus simples.")
    with connection.cursor() as cursor:
        # Raises if the index and its content table disagree.
        cursor.execute(
            "INSERT INTO directory_search_fts(directory_search_fts, rank) "
            "VALUES ('integrity-check', 1)"
        )
    assert found(directory, words="menus") == ["ligue_cooking"]


def test_the_stemming_migration_rebuilds_documents_written_before_it(directory):
    # A document as the folding before stemming wrote it: « diététicienne » whole.
    service = directory["diet_espalion"]
    SearchDocument.objects.filter(service=service).update(
        title="consultation dietetique cabinet dietetique du lot",
        body="dieteticienne formee en oncologie",
    )
    words = ServiceQuery(words="diététiciennes oncologie")
    assert search_services(words).total == 0
    migration = importlib.import_module("oncolien.directory.migrations.0005_frsearch_stemmed_index")
    migration.rebuild_stemmed_index(apps, None)
    assert [r.service.pk for r in search_services(words).results] == [service.pk]
