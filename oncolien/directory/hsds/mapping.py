"""Directory objects -> HSDS 3.0 objects, field names as the standard spells them.

Two layers: `*_row` functions give the flat record of one HSDS object with its
foreign keys (`organization_id`, `location_id`…), as the tabular package lists
them; the nested functions add the child arrays the API responses embed
(`service.service_at_locations[].location.addresses[]`…).

Empty optional values are left out rather than sent as "" or null: the
standard's schemas declare formats (`email`, `uri`) that an empty string fails.
Nothing here queries the database: the related rows are read from the
`hsds_*` attributes that the prefetches of `hsds.queries` fill (`to_attr`:
plain lists, without the cost of a related manager per object), so a page
costs the same number of queries whatever its size.
"""

from datetime import UTC, datetime
from decimal import Decimal
from typing import TypeVar

from django.db import models

from oncolien.directory.hsds.ids import hsds_id
from oncolien.directory.hsds.taxonomy import LINK_TYPE, CareTaxonomy
from oncolien.directory.models import (
    Access,
    Cost,
    Label,
    Location,
    Organization,
    Service,
    ServiceAtLocation,
)
from oncolien.reference.models import CareType
from oncolien.territories.models import Commune, CommunePostalCode

_Related = TypeVar("_Related", bound=models.Model)


def prefetched(instance: models.Model, to_attr: str, model: type[_Related]) -> list[_Related]:
    """The list a `Prefetch(..., to_attr=...)` of `hsds.queries` put on `instance`.

    Such attributes are not declared on the model: this names their type for mypy.
    """
    related: list[_Related] = getattr(instance, to_attr)
    return related


COUNTRY = "FR"
CURRENCY = "EUR"
FICTITIOUS_ALERT = "Données de démonstration : les coordonnées de cette structure sont fictives."
APPROXIMATE_POSITION = "Position approximative : centre de la commune."

# Identifier schemes from org-id.guide where one exists (FR-RCS lists SIREN and
# SIRET numbers); FINESS and RPPS have none there, so only their type is given.
SIRET_SCHEME = "FR-RCS"


def _compact(record: dict, keep: tuple[str, ...] = ()) -> dict:
    return {
        key: value
        for key, value in record.items()
        if key in keep or (value is not None and value != "" and value != [])
    }


def _timestamp(moment: datetime) -> str:
    """RFC 3339 in UTC with milliseconds, as `last_modified` asks."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _euros(amount: Decimal) -> str:
    return f"{amount:.2f}".replace(".", ",") + " €"


# --- organization -----------------------------------------------------------------


def organization_row(organization: Organization) -> dict:
    return _compact(
        {
            "id": hsds_id("organization", organization.pk),
            "name": organization.name,
            "description": organization.description,
            "email": organization.email,
            "website": organization.website,
        },
        keep=("description",),
    )


def organization_identifier_rows(organization: Organization) -> list[dict]:
    organization_id = hsds_id("organization", organization.pk)
    # (key, scheme or None, type, identifier)
    rows: list[tuple[str, str | None, str, str]] = []
    if organization.siret:
        kind = "SIREN" if len(organization.siret) == 9 else "SIRET"
        rows.append(("siret", SIRET_SCHEME, kind, organization.siret))
    if organization.finess:
        rows.append(("finess", None, "FINESS", organization.finess))
    if organization.rpps:
        rows.append(("rpps", None, "RPPS", organization.rpps))
    return [
        _compact(
            {
                "id": hsds_id("organization_identifier", organization.pk, key),
                "organization_id": organization_id,
                "identifier_scheme": scheme,
                "identifier_type": kind,
                "identifier": value,
            }
        )
        for key, scheme, kind, value in rows
    ]


def _phone_rows(owner: str, pk: int, number: str) -> list[dict]:
    if not number:
        return []
    return [
        {
            "id": hsds_id("phone", owner, pk),
            f"{owner}_id": hsds_id(owner, pk),
            "number": number,
            "type": "voice",
        }
    ]


def organization_phone_rows(organization: Organization) -> list[dict]:
    return _phone_rows("organization", organization.pk, organization.phone)


def organization_full(
    organization: Organization, *, locations: list[Location], services: list[dict]
) -> dict:
    """The nested organisation; `services` are already mapped (brief or full)."""
    return _compact(
        {
            **organization_row(organization),
            "phones": organization_phone_rows(organization),
            "organization_identifiers": organization_identifier_rows(organization),
            "locations": [location_full(location, organization) for location in locations],
            "services": services,
        },
        keep=("description", "services"),
    )


# --- location ---------------------------------------------------------------------


def location_row(location: Location, organization: Organization) -> dict:
    commune = location.commune
    return _compact(
        {
            "id": hsds_id("location", location.pk),
            "location_type": "physical",
            "organization_id": hsds_id("organization", organization.pk),
            "name": location.name or f"{organization.name} — {commune.name}",
            "description": "" if location.coordinates_given else APPROXIMATE_POSITION,
            "latitude": location.latitude,
            "longitude": location.longitude,
        }
    )


def address_row(location: Location) -> dict:
    commune = location.commune
    department = commune.department
    postal_codes = sorted(
        code.code for code in prefetched(commune, "hsds_postal_codes", CommunePostalCode)
    )
    return _compact(
        {
            "id": hsds_id("address", location.pk),
            "location_id": hsds_id("location", location.pk),
            "address_1": location.address,
            "city": commune.name,
            "region": department.region_name,
            "state_province": department.name,
            "postal_code": location.postal_code or (postal_codes[0] if postal_codes else ""),
            "country": COUNTRY,
            "address_type": "physical",
        },
        # Required by the standard even when we only know the commune.
        keep=("address_1", "postal_code"),
    )


def accessibility_rows(location: Location) -> list[dict]:
    if not location.accessibility:
        return []
    return [
        {
            "id": hsds_id("accessibility", location.pk),
            "location_id": hsds_id("location", location.pk),
            "description": location.accessibility,
        }
    ]


def location_schedule_rows(location: Location) -> list[dict]:
    # Opening hours are free text ("lundi au vendredi, 9 h – 17 h, sur rendez-vous"):
    # HSDS keeps such text in `description` rather than in the RRULE fields.
    if not location.opening_hours:
        return []
    return [
        {
            "id": hsds_id("schedule", "location", location.pk),
            "location_id": hsds_id("location", location.pk),
            "description": location.opening_hours,
        }
    ]


def location_contact_rows(location: Location) -> list[dict]:
    if not location.email:
        return []
    return [
        {
            "id": hsds_id("contact", "location", location.pk),
            "location_id": hsds_id("location", location.pk),
            "email": location.email,
        }
    ]


def location_phone_rows(location: Location) -> list[dict]:
    return _phone_rows("location", location.pk, location.phone)


def location_full(location: Location, organization: Organization) -> dict:
    return _compact(
        {
            **location_row(location, organization),
            "addresses": [address_row(location)],
            "accessibility": accessibility_rows(location),
            "schedules": location_schedule_rows(location),
            "phones": location_phone_rows(location),
            "contacts": location_contact_rows(location),
        }
    )


# --- service ----------------------------------------------------------------------


def _fees_description(service: Service) -> str:
    label = Cost(service.cost).label
    if service.cost == Cost.REMAINING_COST and service.remaining_cost_amount is not None:
        label = f"{label} : {_euros(service.remaining_cost_amount)}"
    return f"{label} — {service.cost_details}" if service.cost_details else label


def _eligibility_description(service: Service) -> str:
    audience = [
        label
        for wanted, label in (
            (service.for_patients, "personnes atteintes de cancer"),
            (service.for_relatives, "proches et aidants"),
        )
        if wanted
    ]
    phases = [
        label
        for wanted, label in (
            (service.phase_diagnosis, "phase diagnostique"),
            (service.phase_treatment, "pendant le traitement"),
            (service.phase_after_treatment, "après le traitement"),
        )
        if wanted
    ]
    parts = []
    if audience:
        parts.append(f"Public : {', '.join(audience)}.")
    if phases:
        parts.append(f"Phases du parcours : {', '.join(phases)}.")
    return " ".join(parts)


def service_last_modified(service: Service) -> datetime:
    """When the service or what it shows (its organisation, its places) last changed."""
    annotated = getattr(service, "hsds_last_modified", None)
    return annotated or max(service.updated_at, service.organization.updated_at)


def service_row(service: Service) -> dict:
    organization = service.organization
    return _compact(
        {
            "id": hsds_id("service", service.pk),
            "organization_id": hsds_id("organization", organization.pk),
            "name": service.name,
            "description": service.description,
            "url": service.url,
            "email": service.email,
            "status": service.status,
            "application_process": Access(service.access).label,
            "fees_description": _fees_description(service),
            "accreditations": "; ".join(
                label.name for label in prefetched(service, "hsds_labels", Label)
            ),
            "eligibility_description": _eligibility_description(service),
            "assured_date": service.last_verified_on.isoformat()
            if service.last_verified_on
            else None,
            "alert": FICTITIOUS_ALERT if organization.is_fictitious else None,
            "last_modified": _timestamp(service_last_modified(service)),
        },
        keep=("description",),
    )


def service_minimal(service: Service) -> dict:
    """`minimal=true`: what a client needs to know what changed (and the schema requires)."""
    return {
        "id": hsds_id("service", service.pk),
        "name": service.name,
        "status": service.status,
        "last_modified": _timestamp(service_last_modified(service)),
    }


def service_brief(service: Service) -> dict:
    """A list item: the service's own fields and its organisation, no arrays."""
    return {**service_row(service), "organization": organization_row(service.organization)}


def cost_option_rows(service: Service) -> list[dict]:
    amount: float | None = None
    if service.cost == Cost.FREE:
        amount = 0
    elif service.cost == Cost.REMAINING_COST and service.remaining_cost_amount is not None:
        amount = float(service.remaining_cost_amount)
    return [
        _compact(
            {
                "id": hsds_id("cost_option", service.pk),
                "service_id": hsds_id("service", service.pk),
                "option": Cost(service.cost).label,
                "currency": CURRENCY if amount is not None else None,
                "amount": amount,
                "amount_description": service.cost_details,
            }
        )
    ]


def service_area_rows(service: Service) -> list[dict]:
    """A home service's communes, one area each, named and coded (INSEE)."""
    if not service.is_home_service:
        return []
    return [
        {
            "id": hsds_id("service_area", service.pk, commune.pk),
            "service_id": hsds_id("service", service.pk),
            "name": commune.name,
            "description": f"À domicile : {commune.name} (code INSEE {commune.insee_code}).",
        }
        for commune in prefetched(service, "hsds_communes_served", Commune)
    ]


def service_phone_rows(service: Service) -> list[dict]:
    return _phone_rows("service", service.pk, service.phone)


def attribute_rows(service: Service, taxonomy: CareTaxonomy, *, nested: bool) -> list[dict]:
    """One attribute per care type; nested ones embed the term, as the API shows it."""
    rows = []
    for care_type in prefetched(service, "hsds_care_types", CareType):
        term = taxonomy.term(care_type)
        row = {
            "id": hsds_id("attribute", service.pk, care_type.pk),
            "link_id": hsds_id("service", service.pk),
            "link_type": LINK_TYPE,
            "link_entity": "service",
            "taxonomy_term_id": term["id"],
        }
        if nested:
            row["taxonomy_term"] = term
        rows.append(row)
    return rows


def service_at_location_row(link) -> dict:
    return {
        "id": hsds_id("service_at_location", link.pk),
        "service_id": hsds_id("service", link.service_id),
        "location_id": hsds_id("location", link.location_id),
    }


def service_full(
    service: Service,
    taxonomy: CareTaxonomy,
    *,
    with_organization: bool = True,
    with_locations: bool = True,
) -> dict:
    """The fully nested service (`/services/{id}`, `full=true`)."""
    record = {
        **service_row(service),
        "phones": service_phone_rows(service),
        "service_areas": service_area_rows(service),
        "cost_options": cost_option_rows(service),
        "attributes": attribute_rows(service, taxonomy, nested=True),
    }
    if with_locations:
        record["service_at_locations"] = [
            {
                **service_at_location_row(link),
                "location": location_full(link.location, service.organization),
            }
            for link in prefetched(service, "hsds_links", ServiceAtLocation)
        ]
    if with_organization:
        record["organization"] = organization_row(service.organization)
    return _compact(record, keep=("description",))


# --- service_at_location ----------------------------------------------------------


def service_at_location_brief(link) -> dict:
    """A list item: the link with its location and service, one-to-one fields only."""
    return {
        **service_at_location_row(link),
        "location": location_row(link.location, link.service.organization),
        "service": service_brief(link.service),
    }


def service_at_location_full(link, taxonomy: CareTaxonomy) -> dict:
    return {
        **service_at_location_row(link),
        "location": location_full(link.location, link.service.organization),
        "service": service_full(link.service, taxonomy, with_locations=False),
    }
