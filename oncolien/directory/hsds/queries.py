"""What the HSDS API publishes, fetched in a fixed number of queries per page.

Only active services are public, and an organisation only through them: an
organisation whose services are all inactive is not published. Every queryset
here is ordered on a unique key so that pages never overlap or skip.
"""

import math
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import (
    Exists,
    F,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import ACos, Coalesce, Cos, Greatest, Least, Radians, Sin

from oncolien.directory.hsds.ids import PrimaryKeyResolver
from oncolien.directory.hsds.taxonomy import TAXONOMY_ID, care_types_for_terms
from oncolien.directory.models import (
    Location,
    Organization,
    Service,
    ServiceAtLocation,
    ServiceStatus,
)
from oncolien.directory.search import backend as search_backend
from oncolien.directory.search import text as search_text
from oncolien.directory.search.criteria import Match
from oncolien.reference.models import CareType
from oncolien.territories.lookups import communes_by_postal_code
from oncolien.territories.models import Commune

EARTH_RADIUS_M = 6_371_000

services_by_id = PrimaryKeyResolver("service", Service)
organizations_by_id = PrimaryKeyResolver("organization", Organization)
service_at_locations_by_id = PrimaryKeyResolver("service_at_location", ServiceAtLocation)


@dataclass(frozen=True)
class ServiceFilters:
    """The standard's filters on services, already checked (see `hsds.params`)."""

    search: str = ""
    taxonomy_term_id: str | None = None
    taxonomy_id: str | None = None
    organization_id: str | None = None
    modified_after: datetime | None = None


@dataclass(frozen=True)
class Coverage:
    """Places serving a postal code, or within `proximity_m` metres of it."""

    postcode: str
    proximity_m: float | None = None


# --- building blocks ------------------------------------------------------------------


def _last_modified():
    """The latest change of a service, its organisation or one of its places.

    Places have no timestamp of their own; their history (django-simple-history)
    dates every change.
    """
    place_changes = (
        Location.history.model.objects.filter(
            id__in=ServiceAtLocation.objects.filter(service_id=OuterRef(OuterRef("pk"))).values(
                "location_id"
            )
        )
        .order_by("-history_date")
        .values("history_date")[:1]
    )
    return Greatest(
        F("updated_at"),
        F("organization__updated_at"),
        # SQLite's MAX() is NULL as soon as one argument is (a service without places).
        Coalesce(Subquery(place_changes), F("updated_at")),
    )


def _locations_full() -> QuerySet[Location]:
    return Location.objects.select_related("commune__department").prefetch_related(
        Prefetch("commune__postal_codes", to_attr="hsds_postal_codes")
    )


def public_services() -> QuerySet[Service]:
    """Active services, with what a list item shows."""
    return (
        Service.objects.filter(status=ServiceStatus.ACTIVE)
        .select_related("organization")
        .prefetch_related(Prefetch("labels", to_attr="hsds_labels"))
        .annotate(hsds_last_modified=_last_modified())
        .order_by("name", "pk")
    )


def with_full_services(services: QuerySet[Service], *, locations: bool = True):
    """Add what a fully nested service shows: its care types, the communes it serves
    and its links to places (with the places themselves unless `locations` is false)."""
    links = ServiceAtLocation.objects.order_by("pk")
    if locations:
        links = links.prefetch_related(Prefetch("location", queryset=_locations_full()))
    return services.prefetch_related(
        Prefetch("care_types", to_attr="hsds_care_types"),
        Prefetch("communes_served", to_attr="hsds_communes_served"),
        Prefetch("service_at_locations", queryset=links, to_attr="hsds_links"),
    )


def public_organizations() -> QuerySet[Organization]:
    return Organization.objects.filter(
        Exists(Service.objects.filter(organization=OuterRef("pk"), status=ServiceStatus.ACTIVE))
    ).order_by("name", "pk")


def with_locations(organizations: QuerySet[Organization]) -> QuerySet[Organization]:
    return organizations.prefetch_related(
        Prefetch(
            "locations", queryset=_locations_full().order_by("name", "pk"), to_attr="hsds_locations"
        )
    )


def with_full_organizations(
    organizations: QuerySet[Organization], *, full_services: bool
) -> QuerySet[Organization]:
    services = public_services()
    if full_services:
        services = with_full_services(services)
    return with_locations(organizations).prefetch_related(
        Prefetch("services", queryset=services, to_attr="public_services")
    )


def public_service_at_locations() -> QuerySet[ServiceAtLocation]:
    return ServiceAtLocation.objects.filter(service__status=ServiceStatus.ACTIVE).order_by(
        "service__name", "service_id", "pk"
    )


def with_brief_service_at_locations(
    links: QuerySet[ServiceAtLocation],
) -> QuerySet[ServiceAtLocation]:
    return links.select_related("location__commune").prefetch_related(
        Prefetch("service", queryset=public_services())
    )


def with_full_service_at_locations(
    links: QuerySet[ServiceAtLocation],
) -> QuerySet[ServiceAtLocation]:
    return links.prefetch_related(
        Prefetch("location", queryset=_locations_full()),
        Prefetch("service", queryset=with_full_services(public_services(), locations=False)),
    )


def published_care_types() -> QuerySet[CareType]:
    """The terms of the taxonomy: the reference's care types, and any retired one a
    public service still carries (its attributes must point at a published term)."""
    in_use = Service.care_types.through.objects.filter(
        caretype_id=OuterRef("pk"), service__status=ServiceStatus.ACTIVE
    )
    return CareType.objects.filter(Q(active=True) | Q(Exists(in_use))).order_by("position", "code")


# --- filters --------------------------------------------------------------------------


def _search(services: QuerySet[Service], words: str) -> QuerySet[Service]:
    """Services whose search document holds every word: the directory's one word search
    (accent- and case-insensitive, the same on SQLite and PostgreSQL; see `search`)."""
    terms, last_is_prefix = search_text.query_terms(words)
    if not terms:
        return services
    match = Match(terms=terms, last_is_prefix=last_is_prefix)
    sql, values = search_backend.for_connection(connection).matching_ids(match)
    return services.filter(pk__in=RawSQL(sql, values))  # noqa: S611 - values are parameters


def filter_services(services: QuerySet[Service], filters: ServiceFilters) -> QuerySet[Service]:
    """Apply the standard's filters; they add up (AND), as the API reference requires."""
    if filters.search:
        services = _search(services, filters.search)
    if filters.taxonomy_id is not None and filters.taxonomy_id != TAXONOMY_ID:
        return services.none()
    if filters.taxonomy_term_id is not None:
        care_types = care_types_for_terms(CareType.objects.all(), filters.taxonomy_term_id)
        services = services.filter(
            Exists(
                Service.care_types.through.objects.filter(
                    service_id=OuterRef("pk"), caretype__in=care_types
                )
            )
        )
    if filters.organization_id is not None:
        pk = organizations_by_id.pk_for(filters.organization_id)
        services = services.filter(organization_id=pk) if pk else services.none()
    if filters.modified_after is not None:
        # `services` comes annotated by public_services(), which QuerySet[Service] cannot say.
        services = services.filter(hsds_last_modified__gte=filters.modified_after)  # type: ignore[misc]
    return services


def filter_organizations(
    organizations: QuerySet[Organization], *, filters: ServiceFilters
) -> QuerySet[Organization]:
    """Organisations delivering a public service that matches the words, term or taxonomy
    (a service's search document holds its organisation's name)."""
    if filters != ServiceFilters():
        services = filter_services(public_services(), filters)
        organizations = organizations.filter(
            Exists(services.filter(organization=OuterRef("pk")).values("pk"))
        )
    return organizations


def filter_service_at_locations(
    links: QuerySet[ServiceAtLocation], filters: ServiceFilters, coverage: Coverage | None
) -> QuerySet[ServiceAtLocation]:
    """The service filters, plus the coverage of a postal code, as the standard says.

    A place is in when it lies in a commune of the postal code (or within
    `proximity_m` of the centroid of its main commune), or when its service comes
    to the home in one of those communes (its service area).
    """
    if filters != ServiceFilters():
        services = filter_services(public_services(), filters).values("pk")
        links = links.filter(service_id__in=services)
    if coverage is None:
        return links
    communes = communes_by_postal_code(coverage.postcode)
    comes_home = Q(service__is_home_service=True) & Q(
        Exists(
            Service.communes_served.through.objects.filter(
                service_id=OuterRef("service_id"), commune__in=communes
            )
        )
    )
    centre = communes.first() if coverage.proximity_m is not None else None
    if centre is None:
        return links.filter(Q(location__commune__in=communes) | comes_home)
    links = links.annotate(hsds_distance=_distance_m(centre))
    return links.filter(Q(hsds_distance__lte=coverage.proximity_m) | comes_home)


def _distance_m(centre: Commune):
    """Great-circle distance (spherical law of cosines) from `centre` to the place."""
    lat, lon = math.radians(centre.latitude), math.radians(centre.longitude)
    cosine = Value(math.sin(lat)) * Sin(Radians(F("location__latitude"))) + Value(
        math.cos(lat)
    ) * Cos(Radians(F("location__latitude"))) * Cos(Radians(F("location__longitude")) - lon)
    # Rounding can push the cosine just past 1 for the centre itself.
    return ACos(Least(cosine, Value(1.0)), output_field=FloatField()) * EARTH_RADIUS_M
