"""A small directory, written through the real services, and a JSON client for /hsds/."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from oncolien.directory.hsds.ids import hsds_id
from oncolien.directory.models import Label, Organization, Service
from oncolien.directory.services import location_save, organization_save
from oncolien.directory.tests.factories import curator, make_service
from oncolien.territories.models import Commune

ESPALION, LAGUIOLE, RODEZ, CASTRES = "12096", "12119", "12202", "81065"


@dataclass
class Directory:
    nutrition: Service  # Espalion, reimbursed, labelled, verified, org with identifiers
    psychology: Service  # Castres, remaining cost 25 €
    home_care: Service  # comes to the home in Laguiole and Espalion
    withdrawn: Service  # inactive: never published
    hidden_organization: Organization  # only an inactive service: not published


def _id(kind: str, obj) -> str:
    return hsds_id(kind, obj.pk)


@pytest.fixture
def directory(base_data) -> Directory:
    nutrition = make_service(
        cpts="cpts-nord-aveyron",
        name="Consultations diététiques",
        organization="Centre hospitalier d'Espalion",
        kind="health_establishment",
        care_types=["nutrition", "healthy_lifestyle"],
        professions=["dietitian"],
        commune=ESPALION,
        description="Bilan nutritionnel pendant et après les traitements.",
        cost="reimbursed",
        access="prescription",
        labels=Label.objects.filter(code="post_cancer_programme"),
        last_verified_on=date(2025, 3, 14),
        email="dietetique@ch-espalion.test",
        phone="05 65 48 00 00",
        for_relatives=True,
    )
    organization = nutrition.organization
    organization_save(
        actor=curator(),
        cpts=organization.cpts,
        organization=organization,
        name=organization.name,
        kind=organization.kind,
        siret="73282932000074",
        finess="120780012",
        rpps="10003456789",
        website="https://ch-espalion.test/",
        email="contact@ch-espalion.test",
        description="Hôpital de proximité.",
    )
    location = nutrition.locations.get()
    location_save(
        actor=curator(),
        organization=organization,
        commune=location.commune,
        location=location,
        address="2 rue de l'Hôpital",
        postal_code="12500",
        accessibility="Accès de plain-pied, place réservée.",
        opening_hours="Du lundi au vendredi, 9 h – 17 h, sur rendez-vous.",
        phone="05 65 48 00 01",
        email="accueil@ch-espalion.test",
    )
    psychology = make_service(
        cpts="cpts-sud-tarn",
        name="Soutien psychologique",
        organization="Cabinet de psychologie de Castres",
        kind="self_employed",
        care_types=["psychological"],
        professions=["psychologist"],
        commune=CASTRES,
        cost="remaining_cost",
        remaining_cost_amount=Decimal("25.00"),
        cost_details="par séance, après remboursement",
    )
    home_care = make_service(
        cpts="cpts-nord-aveyron",
        name="Socio-esthétique à domicile",
        organization="Association Bien-être Aubrac",
        care_types=["socio_aesthetics"],
        commune=LAGUIOLE,
        is_home_service=True,
        communes_served=Commune.objects.filter(insee_code__in=[LAGUIOLE, ESPALION]),
    )
    withdrawn = make_service(
        cpts="cpts-nord-aveyron",
        name="Atelier fermé",
        organization="Centre hospitalier d'Espalion",
        care_types=["nutrition"],
        commune=ESPALION,
        status="inactive",
    )
    hidden = make_service(
        cpts="cpts-nord-aveyron",
        name="Groupe de parole suspendu",
        organization="Association en sommeil",
        care_types=["support_groups"],
        commune=RODEZ,
        status="inactive",
    ).organization
    nutrition.refresh_from_db()
    return Directory(nutrition, psychology, home_care, withdrawn, hidden)


@pytest.fixture
def hsds(client):
    """GET /hsds/<path> and return (status, JSON body)."""

    def get(path: str = "", **query):
        response = client.get(f"/hsds/{path}", query)
        assert response["Content-Type"].startswith("application/json")
        return response.status_code, response.json()

    return get
