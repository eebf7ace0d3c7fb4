"""The read profile of the Open Referral HSDS 3.0 API, public, GET only.

Each view checks its parameters (`hsds.params`), picks the published rows with
their prefetches (`hsds.queries`), and maps them (`hsds.mapping`). Errors are
JSON with a French `detail`: 400 for a parameter we cannot use, 404 for an
identifier that names nothing published.
"""

import json
from collections.abc import Callable, Iterable, Iterator
from functools import wraps
from typing import Any

from django.http import JsonResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.views.decorators.http import require_safe

from oncolien.directory.hsds import mapping, paging, params, queries
from oncolien.directory.hsds.ids import canonical_uuid
from oncolien.directory.hsds.package import directory_package
from oncolien.directory.hsds.taxonomy import (
    TAXONOMY_ID,
    CareTaxonomy,
    care_taxonomy,
    select_taxonomies,
    select_terms,
)

HSDS_VERSION = "3.0"
# No HSDS profile of ours: the API follows the base specification, branch 3.0.
PROFILE_URL = "https://github.com/openreferral/specification/tree/3.0/schema"
OPENAPI_URL = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json"
PACKAGE_FILENAME = "oncolien-annuaire-hsds.json"
NDJSON_BATCH = 500


def _json(data, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    # Open data: any web page may read it (no cookie is ever involved).
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _not_found(message: str) -> JsonResponse:
    return _json({"detail": message}, status=404)


def _checked(view):
    """GET/HEAD only; a `BadParameter` becomes a 400 with its French message."""

    @require_safe
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except params.BadParameter as error:
            return _json({"detail": str(error)}, status=400)

    return wrapper


def _taxonomy(request) -> CareTaxonomy:
    return care_taxonomy(uri=request.build_absolute_uri(reverse("reference:care_types")))


# The serializers take a row of their own listing: a model instance, or a dict for the
# taxonomy listings, hence `Any` as in `paging.page`.
def _ndjson_lines(items, serialize: Callable[[Any], dict]) -> Iterator[str]:
    """Every item, one JSON per line, fetched by batches (each with its prefetches).

    The ordered keys are read once, then each batch by its keys: no OFFSET, whose
    cost grows with every batch. A batch keeps the queryset's order, its keys
    being a consecutive run of that order.
    """
    batches: Iterable[Any]
    if isinstance(items, list):
        batches = [items]
    else:
        keys = list(items.values_list("pk", flat=True))
        batches = (
            items.filter(pk__in=keys[start : start + NDJSON_BATCH])
            for start in range(0, len(keys), NDJSON_BATCH)
        )
    for batch in batches:
        for row in batch:
            yield json.dumps(serialize(row), ensure_ascii=False) + "\n"


def _listing(
    request,
    items,
    serialize: Callable[[Any], dict],
    *,
    per_page: int = paging.DEFAULT_PER_PAGE,
    max_per_page: int = paging.MAX_PER_PAGE,
) -> HttpResponseBase:
    """A paged list, or with `format=ndjson` every item streamed without pages."""
    if params.output_format(request.GET) == "ndjson":
        response = StreamingHttpResponse(
            _ndjson_lines(items, serialize), content_type="application/x-ndjson; charset=utf-8"
        )
        response["Access-Control-Allow-Origin"] = "*"
        return response
    wanted = paging.page_request(request.GET, default=per_page, maximum=max_per_page)
    return _json(paging.page(items, wanted, serialize))


@_checked
def api_info(request):
    return _json({"version": HSDS_VERSION, "profile": PROFILE_URL, "openapi_url": OPENAPI_URL})


# --- services ---------------------------------------------------------------------------


@_checked
def services(request):
    filters = params.service_filters(request.GET)
    items = queries.filter_services(queries.public_services(), filters)
    if params.boolean(request.GET, "minimal"):
        size = paging.MINIMAL_PER_PAGE
        return _listing(request, items, mapping.service_minimal, per_page=size, max_per_page=size)
    if params.boolean(request.GET, "full"):
        taxonomy = _taxonomy(request)
        return _listing(
            request,
            queries.with_full_services(items),
            lambda service: mapping.service_full(service, taxonomy),
        )
    return _listing(request, items, mapping.service_brief)


@_checked
def service_detail(request, id):
    pk = queries.services_by_id.pk_for(id)
    service = pk and queries.with_full_services(queries.public_services()).filter(pk=pk).first()
    if not service:
        return _not_found(f"Aucune offre publiée ne porte l'identifiant « {id} ».")
    return _json(mapping.service_full(service, _taxonomy(request)))


# --- organizations ----------------------------------------------------------------------


def _organization_full(organization, taxonomy: CareTaxonomy | None) -> dict:
    """`taxonomy` given: the services fully nested (`full_service`), else their own fields."""
    services = [
        mapping.service_full(service, taxonomy, with_organization=False)
        if taxonomy
        else mapping.service_row(service)
        for service in organization.public_services
    ]
    return mapping.organization_full(
        organization, locations=organization.hsds_locations, services=services
    )


@_checked
def organizations(request):
    filters = queries.ServiceFilters(
        search=params.text(request.GET, "search"),
        taxonomy_term_id=params.uuid(request.GET, "taxonomy_term_id"),
        taxonomy_id=params.uuid(request.GET, "taxonomy_id"),
    )
    items = queries.filter_organizations(queries.public_organizations(), filters=filters)
    full_service = params.boolean(request.GET, "full_service")
    if not (params.boolean(request.GET, "full") or full_service):
        return _listing(request, items, mapping.organization_row)
    taxonomy = _taxonomy(request) if full_service else None
    return _listing(
        request,
        queries.with_full_organizations(items, full_services=full_service),
        lambda organization: _organization_full(organization, taxonomy),
    )


@_checked
def organization_detail(request, id):
    full_service = params.boolean(request.GET, "full_service")
    pk = queries.organizations_by_id.pk_for(id)
    organization = pk and (
        queries.with_full_organizations(queries.public_organizations(), full_services=full_service)
        .filter(pk=pk)
        .first()
    )
    if not organization:
        return _not_found(f"Aucune structure publiée ne porte l'identifiant « {id} ».")
    return _json(_organization_full(organization, _taxonomy(request) if full_service else None))


# --- service_at_locations ---------------------------------------------------------------


@_checked
def service_at_locations(request):
    items = queries.filter_service_at_locations(
        queries.public_service_at_locations(),
        params.service_filters(request.GET),
        params.coverage(request.GET),
    )
    if params.boolean(request.GET, "full"):
        taxonomy = _taxonomy(request)
        return _listing(
            request,
            queries.with_full_service_at_locations(items),
            lambda link: mapping.service_at_location_full(link, taxonomy),
        )
    return _listing(
        request,
        queries.with_brief_service_at_locations(items),
        mapping.service_at_location_brief,
    )


@_checked
def service_at_location_detail(request, id):
    pk = queries.service_at_locations_by_id.pk_for(id)
    link = pk and (
        queries.with_full_service_at_locations(queries.public_service_at_locations())
        .filter(pk=pk)
        .first()
    )
    if not link:
        return _not_found(f"Aucune offre en un lieu publiée ne porte l'identifiant « {id} ».")
    return _json(mapping.service_at_location_full(link, _taxonomy(request)))


# --- taxonomies -------------------------------------------------------------------------


@_checked
def taxonomies(request):
    found = select_taxonomies(
        [_taxonomy(request).taxonomy], search=params.text(request.GET, "search")
    )
    return _listing(request, found, lambda taxonomy: taxonomy)


@_checked
def taxonomy_detail(request, id):
    if canonical_uuid(id) != TAXONOMY_ID:
        return _not_found(f"Aucune taxonomie ne porte l'identifiant « {id} ».")
    return _json(_taxonomy(request).taxonomy)


def _terms(request) -> list[dict]:
    return _taxonomy(request).terms(queries.published_care_types())


@_checked
def taxonomy_terms(request):
    found = select_terms(
        _terms(request),
        search=params.text(request.GET, "search"),
        taxonomy_id=params.uuid(request.GET, "taxonomy_id"),
        parent_id=params.uuid(request.GET, "parent_id"),
        top_only=params.boolean(request.GET, "top_only"),
    )
    return _listing(request, found, lambda term: term)


@_checked
def taxonomy_term_detail(request, id):
    wanted = canonical_uuid(id)
    term = next((term for term in _terms(request) if term["id"] == wanted), None)
    if term is None:
        return _not_found(f"Aucun terme de taxonomie ne porte l'identifiant « {id} ».")
    return _json(term)


# --- the whole directory ----------------------------------------------------------------


@_checked
def package(request):
    response = _json(directory_package(_taxonomy(request)))
    response["Content-Disposition"] = f'attachment; filename="{PACKAGE_FILENAME}"'
    return response


@_checked
def unknown(request, path=""):
    return _not_found(f"Le chemin « /hsds/{path} » n'existe pas dans l'API HSDS.")
