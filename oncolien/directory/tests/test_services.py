from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from oncolien.accounts.authorization import AccessDenied
from oncolien.directory.models import Organization, Service
from oncolien.directory.services import organization_save, service_mark_verified, service_save
from oncolien.directory.tests.factories import make_service
from oncolien.reference.models import CareType

pytestmark = pytest.mark.django_db


def test_a_service_is_created_with_its_place_and_cares(base_data):
    service = make_service(
        cpts="cpts-nord-aveyron",
        name="Consultations diététiques",
        care_types=["nutrition"],
        professions=["dietitian"],
        commune="12096",
    )
    location = service.locations.get()
    assert location.commune.name == "Espalion"
    assert (location.latitude, location.longitude) == (
        location.commune.latitude,
        location.commune.longitude,
    )
    assert not location.coordinates_given
    assert [c.code for c in service.care_types.all()] == ["nutrition"]
    assert service.needs_verification


def test_a_coordinator_edits_her_cpts_and_the_history_keeps_before_and_after(
    coordinator, nord_aveyron
):
    saved = organization_save(
        actor=coordinator, cpts=nord_aveyron, name="Ligue", kind="association"
    )
    organization_save(
        actor=coordinator,
        cpts=nord_aveyron,
        organization=saved.obj,
        name="Espace Ligue Espalion",
        kind="association",
    )
    latest, previous = saved.obj.history.order_by("-history_date")[:2]
    delta = latest.diff_against(previous)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [
        ("name", "Ligue", "Espace Ligue Espalion")
    ]
    assert latest.history_user == coordinator


def test_an_outsider_cannot_edit_another_cpts_directory(outsider, nord_aveyron):
    with pytest.raises(AccessDenied):
        organization_save(actor=outsider, cpts=nord_aveyron, name="Intrus", kind="association")
    assert not Organization.objects.filter(name="Intrus").exists()


def test_an_invalid_siret_is_refused_and_nothing_is_saved(coordinator, nord_aveyron):
    with pytest.raises(ValidationError) as error:
        organization_save(
            actor=coordinator,
            cpts=nord_aveyron,
            name="X",
            kind="association",
            siret="12345678901234",
        )
    assert "SIRET/SIREN invalide" in error.value.message_dict["siret"][0]
    assert not Organization.objects.filter(name="X").exists()


def test_a_doubtful_rpps_key_is_a_warning_not_a_refusal(coordinator, nord_aveyron):
    saved = organization_save(
        actor=coordinator,
        cpts=nord_aveyron,
        name="Mme Diététicienne",
        kind="self_employed",
        rpps="10003381438",
        phone="0565440000",
    )
    assert saved.obj.rpps == "10003381438"
    assert saved.obj.phone == "05 65 44 00 00"
    assert saved.warnings == ["La clé du RPPS 10003381438 semble incorrecte : vérifiez le numéro."]


def test_a_service_needs_a_care_type_and_a_remaining_cost_amount(coordinator, nord_aveyron):
    organization = organization_save(
        actor=coordinator, cpts=nord_aveyron, name="Cabinet", kind="self_employed"
    ).obj
    with pytest.raises(ValidationError) as error:
        service_save(
            actor=coordinator,
            organization=organization,
            name="Séances",
            care_types=[],
            cost="remaining_cost",
        )
    assert set(error.value.message_dict) == {"care_types", "remaining_cost_amount"}
    assert not Service.objects.filter(name="Séances").exists()

    service = service_save(
        actor=coordinator,
        organization=organization,
        name="Séances",
        care_types=CareType.objects.filter(code="physical_activity"),
        cost="remaining_cost",
        remaining_cost_amount=Decimal("15.00"),
    ).obj
    assert service.remaining_cost_amount == Decimal("15.00")


def test_marking_verified_clears_the_to_check_flag(coordinator, base_data):
    service = make_service(
        cpts="cpts-nord-aveyron", name="Sophrologie", care_types=["sophrology"], commune="12096"
    )
    assert service.needs_verification
    service_mark_verified(actor=coordinator, service=service)
    assert not service.needs_verification


def test_a_deactivated_service_leaves_the_public_directory(coordinator, base_data):
    from oncolien.directory.selectors import services_public
    from oncolien.directory.services import service_set_status

    service = make_service(
        cpts="cpts-nord-aveyron",
        name="Groupe de parole",
        care_types=["support_groups"],
        commune="12096",
    )
    service_set_status(actor=coordinator, service=service, status="inactive")
    assert not services_public().filter(pk=service.pk).exists()
    with pytest.raises(ValidationError):
        service_set_status(actor=coordinator, service=service, status="archived")
    service_set_status(actor=coordinator, service=service, status="active")
    assert services_public().filter(pk=service.pk).exists()
