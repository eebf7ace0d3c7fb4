"""FHIR searches over the directory: the queries behind each parameter.

What each resource accepts is declared in `search_specs_directory`.

Every page costs a constant number of queries whatever its size: one count,
one page of rows (with their organisation joined), and one query per
prefetched relation. Multi-valued filters are `pk IN (subquery)` so that no
row is repeated and no DISTINCT is needed.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from oncolien.directory.models import (
    Label,
    Location,
    Organization,
    Service,
    ServiceAtLocation,
    ServiceStatus,
)
from oncolien.fhir import codesystems as cs
from oncolien.fhir.identifiers import FIELD_BY_SYSTEM
from oncolien.fhir.resources_directory import (
    commune_location_resource,
    insee_code_of,
    location_resource,
    organization_resource,
)
from oncolien.fhir.responses import FhirError
from oncolien.fhir.search_params import (
    Criterion,
    ParsedSearch,
    Token,
    parse_boolean,
    parse_reference,
    parse_token,
    unescape,
)
from oncolien.fhir.text_folding import folding_pattern
from oncolien.numbers import DB_INT_MAX, as_id, is_number
from oncolien.reference.models import CareType, Profession
from oncolien.territories.lookups import INSEE_CODE_RE
from oncolien.territories.models import Commune

NOTHING = Q(pk__in=[])


@dataclass
class Page:
    total: int
    items: list


# --- Shared helpers.


def _codes(tokens: list[Token], system_url: str) -> tuple[set[str], bool]:
    """Codes asked for in `system_url`, and whether any code of it matches."""
    codes, any_code = set(), False
    for token in tokens:
        if token.system not in (None, system_url):
            continue
        if token.code is None:
            any_code = True
        else:
            codes.add(token.code)
    return codes, any_code


def _tokens(criterion: Criterion) -> list[Token]:
    return [parse_token(value) for value in criterion.values]


def _numeric_ids(ids: list[str]) -> list[int]:
    """Our ids among `ids`; other words match nothing (they name no resource here),
    but a number beyond any database id is refused: it can only be a client's error,
    and it would fail in the query (see `oncolien.numbers`)."""
    return [_bounded_id(value) for value in ids if is_number(value)]


def _bounded_id(value: str) -> int:
    number = as_id(value)
    if number is None and int(value) > DB_INT_MAX:
        raise FhirError(
            400,
            "invalid",
            f"L'identifiant « {value} » est un nombre trop grand : aucune ressource ne le "
            f"porte (au plus {DB_INT_MAX}).",
        )
    return number or 0


def _references(criterion: Criterion, resource_type: str) -> list[str]:
    return [parse_reference(criterion.name, value, resource_type) for value in criterion.values]


def _id_filter(criterion: Criterion) -> Q:
    return Q(pk__in=_numeric_ids([unescape(value).strip() for value in criterion.values]))


def _name_filter(criterion: Criterion) -> Q:
    if criterion.modifier == "exact":
        return Q(name__in=[unescape(value) for value in criterion.values])
    anchored = criterion.modifier != "contains"
    condition = NOTHING
    for value in criterion.values:
        condition |= Q(name__regex=folding_pattern(unescape(value), anchored=anchored))
    return condition


def _paged(queryset: QuerySet, search: ParsedSearch) -> Page:
    total = queryset.count()
    if search.page_size == 0:
        return Page(total, [])
    return Page(total, list(queryset[search.offset : search.offset + search.page_size]))


# --- HealthcareService.


def _services_with(**lookup) -> Q:
    return Q(pk__in=Service.objects.filter(**lookup).values("pk"))


def _coded_services(criterion: Criterion, system_url: str, relation: str) -> Q:
    codes, any_code = _codes(_tokens(criterion), system_url)
    condition = NOTHING
    if any_code:
        condition |= _services_with(**{f"{relation}__isnull": False})
    if codes:
        condition |= _services_with(**{f"{relation}__code__in": codes})
    return condition


def _coverage_filter(criterion: Criterion) -> Q:
    insee_codes, site_ids = set(), set()
    for value in criterion.values:
        text = unescape(value).strip()
        location_id = parse_reference(criterion.name, value, "Location") if "/" in text else text
        commune_code = insee_code_of(location_id)
        if commune_code:
            insee_codes.add(commune_code)
        elif "/" not in text and INSEE_CODE_RE.match(text.upper()):
            insee_codes.add(text.upper())
        elif is_number(location_id):
            site_ids.add(_bounded_id(location_id))
    communes = Commune.objects.filter(
        Q(insee_code__in=insee_codes)
        | Q(pk__in=Location.objects.filter(pk__in=site_ids).values("commune_id"))
    ).values("pk")
    served = Service.objects.filter(communes_served__in=communes).values("pk")
    delivered = ServiceAtLocation.objects.filter(location__commune__in=communes).values(
        "service_id"
    )
    return Q(pk__in=served) | Q(pk__in=delivered)


def _active_filter(criterion: Criterion) -> Q:
    statuses = {
        ServiceStatus.ACTIVE if parse_boolean(criterion.name, value) else ServiceStatus.INACTIVE
        for value in criterion.values
    }
    return Q(status__in=statuses)


def _service_condition(criterion: Criterion) -> Q:
    name = criterion.name
    if name == "_id":
        return _id_filter(criterion)
    if name == "name":
        return _name_filter(criterion)
    if name in ("service-category", "service-type"):
        return _coded_services(criterion, cs.CARE_TYPES.url, "care_types")
    if name == "specialty":
        return _coded_services(criterion, cs.PROFESSIONS.url, "professions")
    if name == "program":
        return _coded_services(criterion, cs.LABELS.url, "labels")
    if name == "characteristic":
        codes, any_code = _codes(_tokens(criterion), cs.FEATURES.url)
        return Q(is_home_service=True) if any_code or "home_service" in codes else NOTHING
    if name == "organization":
        return Q(organization_id__in=_numeric_ids(_references(criterion, "Organization")))
    if name == "location":
        sites = _numeric_ids(_references(criterion, "Location"))
        return Q(
            pk__in=ServiceAtLocation.objects.filter(location_id__in=sites).values("service_id")
        )
    if name == "coverage-area":
        return _coverage_filter(criterion)
    if name == "active":
        return _active_filter(criterion)
    raise AssertionError(f"HealthcareService parameter without a filter: {name}")


def healthcare_services_matching(search: ParsedSearch) -> QuerySet[Service]:
    """Services matching every criterion (AND), in name order; active ones by default."""
    queryset = Service.objects.all()
    if not search.of("active"):
        queryset = queryset.filter(status=ServiceStatus.ACTIVE)
    for criterion in search.criteria:
        queryset = queryset.filter(_service_condition(criterion))
    return queryset.order_by("name", "pk")


def with_service_details(queryset: QuerySet[Service]) -> QuerySet[Service]:
    """Everything `healthcare_service_resource` and the includes read, prefetched."""
    return queryset.select_related("organization").prefetch_related(
        Prefetch("care_types", queryset=CareType.objects.order_by("position", "code")),
        Prefetch("professions", queryset=Profession.objects.order_by("name", "code")),
        Prefetch("labels", queryset=Label.objects.order_by("name", "code")),
        Prefetch("communes_served", queryset=Commune.objects.order_by("name", "insee_code")),
        Prefetch(
            "locations",
            queryset=Location.objects.select_related("commune", "organization").order_by(
                "name", "pk"
            ),
        ),
    )


def healthcare_services_page(search: ParsedSearch) -> Page:
    return _paged(with_service_details(healthcare_services_matching(search)), search)


def healthcare_service_by_id(resource_id: str) -> Service | None:
    if as_id(resource_id) is None:
        return None
    return with_service_details(Service.objects.filter(pk=as_id(resource_id) or 0)).first()


def included_for_services(services: list[Service], includes: list[str]) -> list[dict]:
    """Resources asked for by `_include`, from what the page already loaded."""
    included = []
    if "HealthcareService:organization" in includes:
        organizations = {service.organization.pk: service.organization for service in services}
        included += [organization_resource(org) for org in organizations.values()]
    if "HealthcareService:location" in includes:
        locations = {
            location.pk: location for service in services for location in service.locations.all()
        }
        included += [location_resource(location) for location in locations.values()]
    if "HealthcareService:coverage-area" in includes:
        communes = {}
        for service in services:
            for commune in service.communes_served.all():
                communes[commune.pk] = commune
            for location in service.locations.all():
                communes[location.commune.pk] = location.commune
        included += [commune_location_resource(commune) for commune in communes.values()]
    return included


# --- Organization.


def _identifier_filter(criterion: Criterion) -> Q:
    condition = NOTHING
    for token in _tokens(criterion):
        if token.code is None:
            continue
        value = token.code.replace(" ", "")
        fields: Iterable[str]
        if token.system is None:
            fields = FIELD_BY_SYSTEM.values()
        elif token.system in FIELD_BY_SYSTEM:
            fields = [FIELD_BY_SYSTEM[token.system]]
        else:
            fields = []
        for field in fields:
            condition |= Q(**{field: value})
    return condition


def _organization_condition(criterion: Criterion) -> Q:
    if criterion.name == "_id":
        return _id_filter(criterion)
    if criterion.name == "name":
        return _name_filter(criterion)
    if criterion.name == "identifier":
        return _identifier_filter(criterion)
    if criterion.name == "type":
        codes, any_code = _codes(_tokens(criterion), cs.ORGANIZATION_KINDS.url)
        return Q() if any_code else Q(kind__in=codes)
    raise AssertionError(f"Organization parameter without a filter: {criterion.name}")


def organizations_page(search: ParsedSearch) -> Page:
    queryset = Organization.objects.all()
    for criterion in search.criteria:
        queryset = queryset.filter(_organization_condition(criterion))
    return _paged(queryset.order_by("name", "pk"), search)


def organization_by_id(resource_id: str) -> Organization | None:
    if as_id(resource_id) is None:
        return None
    return Organization.objects.filter(pk=as_id(resource_id) or 0).first()


# --- Location: the places of the directory, and communes when asked by id.


def locations_page(search: ParsedSearch) -> Page:
    """Places first (by organisation and name), then the communes asked for by `_id`.

    Items are `Location` and `Commune` rows; `any_location_resource` renders both.
    """
    sites = Location.objects.select_related("commune", "organization")
    asked_communes: set[str] | None = None
    for criterion in search.criteria:
        if criterion.name == "_id":
            ids = [unescape(value).strip() for value in criterion.values]
            sites = sites.filter(pk__in=_numeric_ids(ids))
            codes = {code for code in map(insee_code_of, ids) if code}
            asked_communes = codes if asked_communes is None else asked_communes & codes
        elif criterion.name == "organization":
            organizations = _numeric_ids(_references(criterion, "Organization"))
            sites = sites.filter(organization_id__in=organizations)
            asked_communes = set()
    communes = Commune.objects.filter(insee_code__in=asked_communes or ()).order_by(
        "name", "insee_code"
    )
    sites = sites.order_by("organization__name", "name", "pk")
    site_total, commune_total = sites.count(), communes.count()
    total = site_total + commune_total
    size, start = search.page_size, search.offset
    if size == 0:
        return Page(total, [])
    items: list = list(sites[start : start + size])
    if len(items) < size and commune_total:
        first = max(start - site_total, 0)
        items += list(communes[first : first + size - len(items)])
    return Page(total, items)


def location_by_id(resource_id: str) -> Location | Commune | None:
    """A place (numeric id) or a commune (`commune-[INSEE code]`), or None."""
    insee_code = insee_code_of(resource_id)
    if insee_code:
        return Commune.objects.filter(insee_code=insee_code).first()
    if as_id(resource_id) is None:
        return None
    return (
        Location.objects.select_related("commune", "organization")
        .filter(pk=as_id(resource_id) or 0)
        .first()
    )
