"""Writes on the directory. Every UI form, API call and import goes through these.

Each function checks that the actor may curate the CPTS (one authorisation
module), validates everything before writing (bad input changes nothing), keeps
the history (django-simple-history records who and the values before/after),
and refreshes the search index of the services it touched.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from oncolien.accounts.authorization import authorize
from oncolien.accounts.models import User
from oncolien.directory import identifiers
from oncolien.directory.models import (
    Contribution,
    Cost,
    Label,
    Location,
    Organization,
    Service,
    ServiceAtLocation,
    ServiceStatus,
)
from oncolien.directory.search import index as search_index
from oncolien.reference.models import CareType, Profession
from oncolien.territories.models import Commune, Cpts

DIRECTORY_EDIT = "directory.edit"

_Saved = TypeVar("_Saved", bound=models.Model)


@dataclass
class Saved(Generic[_Saved]):
    """What a save produced, with the warnings to show (e.g. a doubtful check digit)."""

    obj: _Saved
    created: bool
    warnings: list[str] = field(default_factory=list)


def _check_identifiers(
    values: dict[str, Any], checks: dict[str, Callable[[str], identifiers.IdentifierCheck]]
) -> tuple[dict[str, Any], list[str]]:
    errors: dict[str, str] = {}
    warnings: list[str] = []
    for name, check in checks.items():
        if name not in values:
            continue
        result = check(values[name] or "")
        if result.error:
            errors[name] = result.error
        elif result.warning:
            warnings.append(result.warning)
        values[name] = result.value
    if errors:
        raise ValidationError(errors)
    return values, warnings


def _set_history_user(instance: models.Model, actor: User | None) -> None:
    # django-simple-history reads the author of the next historical record from this
    # attribute, which it does not declare on the model.
    instance._history_user = actor  # type: ignore[attr-defined]


def _apply(instance: models.Model, values: dict[str, Any], actor: User) -> None:
    for name, value in values.items():
        setattr(instance, name, value)
    instance.full_clean(validate_unique=True)
    _set_history_user(instance, actor if getattr(actor, "is_authenticated", False) else None)


def organization_save(
    *, actor: User, cpts: Cpts, organization: Organization | None = None, **values: Any
) -> Saved[Organization]:
    """Create or update an organisation of `cpts` with the given field values."""
    authorize(actor, DIRECTORY_EDIT, cpts)
    with transaction.atomic():
        if organization is not None and organization.cpts_id != cpts.pk:
            authorize(actor, DIRECTORY_EDIT, organization.cpts)
        values, warnings = _check_identifiers(
            dict(values),
            {
                "siret": identifiers.check_siret,
                "rpps": identifiers.check_rpps,
                "finess": identifiers.check_finess,
                "phone": identifiers.check_phone,
            },
        )
        created = organization is None
        organization = organization or Organization()
        _apply(organization, {**values, "cpts": cpts}, actor)
        organization.save()
        if not created:
            search_index.refresh(organization.services.values_list("pk", flat=True))
        return Saved(organization, created, warnings)


def location_save(
    *,
    actor: User,
    organization: Organization,
    commune: Commune,
    location: Location | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
    **values: Any,
) -> Saved[Location]:
    """Create or update a location; without coordinates, the commune's centroid is used."""
    authorize(actor, DIRECTORY_EDIT, organization.cpts)
    with transaction.atomic():
        values, warnings = _check_identifiers(dict(values), {"phone": identifiers.check_phone})
        given = latitude is not None and longitude is not None
        if (latitude is None) != (longitude is None):
            raise ValidationError("Indiquez la latitude et la longitude, ou aucune des deux.")
        created = location is None
        location = location or Location()
        _apply(
            location,
            {
                **values,
                "organization": organization,
                "commune": commune,
                "latitude": latitude if given else commune.latitude,
                "longitude": longitude if given else commune.longitude,
                "coordinates_given": given,
            },
            actor,
        )
        location.save()
        if not created:
            search_index.refresh(location.services.values_list("pk", flat=True))
        return Saved(location, created, warnings)


def service_save(
    *,
    actor: User,
    organization: Organization,
    care_types: Iterable[CareType],
    service: Service | None = None,
    professions: Iterable[Profession] = (),
    labels: Iterable[Label] = (),
    communes_served: Iterable[Commune] = (),
    locations: Iterable[Location] = (),
    **values: Any,
) -> Saved[Service]:
    """Create or update a service with its care types, professions, labels and places."""
    authorize(actor, DIRECTORY_EDIT, organization.cpts)
    with transaction.atomic():
        care_types, locations = list(care_types), list(locations)
        errors: dict[str, str] = {}
        if not care_types:
            errors["care_types"] = "Indiquez au moins un soin de support."
        if any(location.organization_id != organization.pk for location in locations):
            errors["locations"] = "Un lieu indiqué n'appartient pas à cette structure."
        if (
            values.get("cost") == Cost.REMAINING_COST
            and values.get("remaining_cost_amount") is None
        ):
            errors["remaining_cost_amount"] = "Indiquez le montant du reste à charge."
        if values.get("cost") and values.get("cost") != Cost.REMAINING_COST:
            values["remaining_cost_amount"] = None
        if errors:
            raise ValidationError(errors)
        values, warnings = _check_identifiers(dict(values), {"phone": identifiers.check_phone})
        created = service is None
        service = service or Service()
        _apply(service, {**values, "organization": organization}, actor)
        service.save()
        service.care_types.set(care_types)
        service.professions.set(list(professions))
        service.labels.set(list(labels))
        service.communes_served.set(list(communes_served))
        _set_locations(service, locations)
        search_index.refresh([service.pk])
        return Saved(service, created, warnings)


def _set_locations(service: Service, locations: list[Location]) -> None:
    wanted = {location.pk for location in locations}
    ServiceAtLocation.objects.filter(service=service).exclude(location_id__in=wanted).delete()
    present = set(
        ServiceAtLocation.objects.filter(service=service).values_list("location_id", flat=True)
    )
    ServiceAtLocation.objects.bulk_create(
        [ServiceAtLocation(service=service, location_id=pk) for pk in wanted - present]
    )


def service_mark_verified(*, actor: User, service: Service, on: date | None = None) -> Service:
    """Record that a coordinator checked the entry (clears "à vérifier")."""
    authorize(actor, DIRECTORY_EDIT, service.organization.cpts)
    with transaction.atomic():
        service.last_verified_on = on or timezone.localdate()
        _set_history_user(service, actor)
        service.save(update_fields=["last_verified_on", "updated_at"])
        return service


def service_set_status(*, actor: User, service: Service, status: str) -> Service:
    """Withdraw a service from the public directory, or put it back."""
    authorize(actor, DIRECTORY_EDIT, service.organization.cpts)
    with transaction.atomic():
        if status not in ServiceStatus.values:
            raise ValidationError({"status": f"Statut inconnu : « {status} »."})
        service.status = status
        _set_history_user(service, actor)
        service.save(update_fields=["status", "updated_at"])
        search_index.refresh([service.pk])
        return service


def contribution_pending_count(*, cpts: Cpts) -> int:
    return Contribution.objects.filter(cpts=cpts, status="pending").count()
