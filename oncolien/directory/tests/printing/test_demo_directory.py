"""The demonstration directory: realistic, fictitious, inside each CPTS, loadable twice."""

from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.urls import reverse

from oncolien.directory import demo
from oncolien.directory.demo import load_demo_directory
from oncolien.directory.identifiers import check_phone
from oncolien.directory.models import Location, Organization, Service, ServiceAtLocation
from oncolien.directory.services import location_save, organization_save, service_save
from oncolien.territories.models import Cpts
from tests.pdf import flat_pdf_text

pytestmark = pytest.mark.django_db

DEMO_SLUGS = ["cpts-nord-aveyron", "cpts-sud-tarn", "cpts-volvestre-coeur-de-garonne"]
# The ranges the Arcep numbering plan keeps for works of fiction (06 39 98 is one
# too, but phonenumbers does not accept it as a valid number).
FICTION_PREFIXES = ("01 99 00", "02 61 91", "03 53 01", "04 65 71", "05 36 49")


def demo_services():
    return Service.objects.filter(organization__cpts__slug__in=DEMO_SLUGS)


def counts() -> dict[str, int]:
    return {
        "organizations": Organization.objects.count(),
        "locations": Location.objects.count(),
        "services": Service.objects.count(),
        "service_at_locations": ServiceAtLocation.objects.count(),
        "service_history": Service.history.count(),
        "organization_history": Organization.history.count(),
    }


@pytest.fixture(scope="module")
def loaded_once(django_db_setup, django_db_blocker):
    """The demo directory, loaded once for this module inside a transaction rolled back
    at its end (loading takes seconds); each test runs in its own savepoint inside it,
    so what a test changes is undone before the next one."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo_directory()
        transaction.set_rollback(True)


@pytest.fixture
def loaded(loaded_once, db):
    return loaded_once


def test_each_demo_cpts_gets_fifteen_to_twenty_five_services(loaded):
    for slug in DEMO_SLUGS:
        assert 15 <= Service.objects.filter(organization__cpts__slug=slug).count() <= 25, slug
    assert loaded.services_created == demo_services().count()


def test_loading_twice_creates_nothing_and_changes_nothing(loaded):
    before = counts()
    report = load_demo_directory()
    assert counts() == before
    assert (report.organizations_created, report.services_created) == (0, 0)
    assert (report.organizations_updated, report.services_updated) == (0, 0)
    assert report.services_unchanged == before["services"]


def test_a_demo_entry_changed_by_hand_is_restored_by_the_next_load(loaded):
    service = Service.objects.get(
        organization__name="Espace Ligue contre le cancer d'Espalion",
        name="Soins socio-esthétiques",
    )
    service_save(
        actor=demo.demo_actor(),
        organization=service.organization,
        service=service,
        care_types=service.care_types.all(),
        name=service.name,
        cost="free",
        description="Modifié pendant une démonstration",
    )
    report = load_demo_directory()
    service.refresh_from_db()
    assert report.services_updated == 1
    assert service.cost == "association_funded"
    assert service.description.startswith("Soins du visage")


def test_every_organisation_is_marked_fictitious(loaded):
    organizations = Organization.objects.filter(cpts__slug__in=DEMO_SLUGS)
    assert organizations.count() >= 20
    assert not organizations.filter(is_fictitious=False).exists()


def test_every_phone_is_valid_and_in_a_range_reserved_for_fiction(loaded):
    phones = [
        *Organization.objects.filter(cpts__slug__in=DEMO_SLUGS).values_list("phone", flat=True),
        *Location.objects.filter(organization__cpts__slug__in=DEMO_SLUGS).values_list(
            "phone", flat=True
        ),
        *demo_services().values_list("phone", flat=True),
    ]
    phones = [phone for phone in phones if phone]
    assert len(phones) >= 26
    for phone in phones:
        check = check_phone(phone)
        assert check.error is None, phone
        assert check.value.startswith(FICTION_PREFIXES), phone


def test_every_mail_and_website_is_on_a_reserved_domain(loaded):
    organizations = Organization.objects.filter(cpts__slug__in=DEMO_SLUGS)
    emails = [e for e in organizations.values_list("email", flat=True) if e]
    websites = [w for w in organizations.values_list("website", flat=True) if w]
    assert emails and websites
    assert all(email.endswith(".invalid") for email in emails)
    assert all(urlsplit(url).hostname.endswith(".invalid") for url in websites)


def test_every_place_and_commune_served_belongs_to_the_cpts_of_its_entry(loaded):
    for cpts in Cpts.objects.filter(slug__in=DEMO_SLUGS):
        members = set(cpts.communes.values_list("pk", flat=True))
        places = Location.objects.filter(organization__cpts=cpts)
        assert places.exists()
        assert set(places.values_list("commune_id", flat=True)) <= members, cpts.slug
        served = Service.communes_served.through.objects.filter(service__organization__cpts=cpts)
        assert set(served.values_list("commune_id", flat=True)) <= members, cpts.slug


def test_the_demo_shows_the_variety_the_directory_must_handle(loaded):
    services = demo_services()
    assert set(services.values_list("cost", flat=True)) == {
        "free",
        "reimbursed",
        "association_funded",
        "remaining_cost",
    }
    assert not services.filter(cost="remaining_cost", remaining_cost_amount__isnull=True).exists()
    assert set(services.values_list("access", flat=True)) == {"direct", "referral", "prescription"}
    assert services.filter(is_home_service=True, communes_served__isnull=False).exists()
    assert services.filter(status="inactive").exists()
    assert services.filter(for_relatives=True).exists()
    assert {s.needs_verification for s in services} == {True, False}
    assert services.filter(care_types__basket=False).exists()
    labels = set(services.values_list("labels__code", flat=True))
    assert {"post_cancer_programme", "espace_ligue", "maison_sport_sante"} <= labels
    # The Espace Ligue the field documents announce at Espalion.
    espace = Location.objects.get(organization__name="Espace Ligue contre le cancer d'Espalion")
    assert espace.commune.name == "Espalion"


def test_the_demo_directory_prints(loaded, client):
    from oncolien.directory.tasks import render_edition
    from oncolien.territories.models import Cpts

    render_edition(Cpts.objects.get(slug="cpts-nord-aveyron").pk)
    response = client.get(reverse("directory:cpts_pdf", kwargs={"slug": "cpts-nord-aveyron"}))
    flat = flat_pdf_text(response.content)
    assert "Espace Ligue contre le cancer d'Espalion" in flat
    assert "Contacts fictifs (démonstration)" in flat


def test_a_listing_a_coordinator_corrected_is_kept_by_the_next_load(loaded, coordinator):
    # Moderated corrections go through the same service, by the coordinator.
    organization = Organization.objects.get(name="Hôpital d'Espalion")
    organization_save(
        actor=coordinator, cpts=organization.cpts, organization=organization, phone=""
    )
    location = organization.locations.order_by("pk").first()
    location_save(
        actor=coordinator,
        organization=organization,
        commune=location.commune,
        location=location,
        opening_hours="Fermé le lundi",
    )
    service = organization.services.get(name="Consultation douleur")
    service_save(
        actor=coordinator,
        organization=organization,
        service=service,
        care_types=service.care_types.all(),
        locations=service.locations.all(),
        name=service.name,
        cost=service.cost,
        description="Sur rendez-vous uniquement.",
    )
    history = Organization.history.count()

    report = load_demo_directory()

    organization.refresh_from_db()
    location.refresh_from_db()
    service.refresh_from_db()
    assert organization.phone == ""
    assert location.opening_hours == "Fermé le lundi"
    assert service.description == "Sur rendez-vous uniquement."
    assert Organization.history.count() == history
    assert (report.organizations_updated, report.services_updated) == (0, 0)
    assert report.kept_as_changed >= 3


def test_a_listing_missing_from_the_database_is_created_again(loaded):
    Service.objects.filter(name="Marche nordique douce").delete()
    report = load_demo_directory()
    assert report.services_created == 1
    assert Service.objects.filter(name="Marche nordique douce").exists()
