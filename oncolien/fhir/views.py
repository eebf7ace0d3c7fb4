"""FHIR endpoints: each translates HTTP to a search or a read, and back.

All of them serve public data (`public_resource`); the patient-data resources are
in `views_referrals` and `views_assessments`.

The search semantics live in `search_directory`, the resource shapes in
`resources_directory`, the Bundle in `bundle`, the plumbing in `responses`.
"""

from django.http import HttpRequest, HttpResponse

from oncolien.fhir.bundle import fhir_base_url, searchset_bundle
from oncolien.fhir.capability import RESOURCES, capability_statement
from oncolien.fhir.codesystems import CODE_SYSTEMS, code_system_resource
from oncolien.fhir.resources_directory import (
    any_location_resource,
    healthcare_service_resource,
    organization_resource,
)
from oncolien.fhir.responses import (
    FhirError,
    fhir_response,
    fhir_view,
    not_found,
    public_resource,
)
from oncolien.fhir.search_directory import (
    healthcare_service_by_id,
    healthcare_services_page,
    included_for_services,
    location_by_id,
    locations_page,
    organization_by_id,
    organizations_page,
)
from oncolien.fhir.search_params import parse_search
from oncolien.fhir.search_specs_directory import (
    HEALTHCARE_SERVICE_SEARCH,
    LOCATION_SEARCH,
    ORGANIZATION_SEARCH,
)


@public_resource
@fhir_view
def metadata(request: HttpRequest) -> HttpResponse:
    return fhir_response(capability_statement(base_url=fhir_base_url(request)), request=request)


@public_resource
@fhir_view
def healthcare_service_search(request: HttpRequest) -> HttpResponse:
    search = parse_search(request, HEALTHCARE_SERVICE_SEARCH)
    page = healthcare_services_page(search)
    bundle = searchset_bundle(
        request=request,
        search=search,
        total=page.total,
        matches=[healthcare_service_resource(service) for service in page.items],
        included=included_for_services(page.items, search.includes),
    )
    return fhir_response(bundle, request=request)


@public_resource
@fhir_view
def healthcare_service_read(request: HttpRequest, resource_id: str) -> HttpResponse:
    service = healthcare_service_by_id(resource_id)
    if service is None:
        raise not_found("HealthcareService", resource_id)
    return fhir_response(healthcare_service_resource(service), request=request)


@public_resource
@fhir_view
def organization_search(request: HttpRequest) -> HttpResponse:
    search = parse_search(request, ORGANIZATION_SEARCH)
    page = organizations_page(search)
    bundle = searchset_bundle(
        request=request,
        search=search,
        total=page.total,
        matches=[organization_resource(organization) for organization in page.items],
    )
    return fhir_response(bundle, request=request)


@public_resource
@fhir_view
def organization_read(request: HttpRequest, resource_id: str) -> HttpResponse:
    organization = organization_by_id(resource_id)
    if organization is None:
        raise not_found("Organization", resource_id)
    return fhir_response(organization_resource(organization), request=request)


@public_resource
@fhir_view
def location_search(request: HttpRequest) -> HttpResponse:
    search = parse_search(request, LOCATION_SEARCH)
    page = locations_page(search)
    bundle = searchset_bundle(
        request=request,
        search=search,
        total=page.total,
        matches=[any_location_resource(place) for place in page.items],
    )
    return fhir_response(bundle, request=request)


@public_resource
@fhir_view
def location_read(request: HttpRequest, resource_id: str) -> HttpResponse:
    place = location_by_id(resource_id)
    if place is None:
        raise not_found("Location", resource_id)
    return fhir_response(any_location_resource(place), request=request)


@public_resource
@fhir_view
def code_system_read(request: HttpRequest, resource_id: str) -> HttpResponse:
    system = CODE_SYSTEMS.get(resource_id)
    if system is None:
        raise not_found("CodeSystem", resource_id)
    return fhir_response(code_system_resource(system), request=request)


@public_resource
@fhir_view
def unknown_resource(request: HttpRequest, path: str = "") -> HttpResponse:
    served = ", ".join(resource.type for resource in RESOURCES)
    resource_type = path.strip("/").split("/")[0]
    raise FhirError(
        404,
        "not-supported",
        f"Le type de ressource « {resource_type} » n'est pas servi ici. Types disponibles : "
        f"{served} (et la déclaration de capacités sur /metadata).",
    )
