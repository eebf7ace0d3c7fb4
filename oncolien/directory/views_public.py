"""Public pages of the directory, no log-in: search, service page, CPTS directory."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from oncolien.directory.search.forms import ServiceSearchForm
from oncolien.directory.search.places import label as place_label
from oncolien.directory.search.query import (
    InvalidSearch,
    ServiceQuery,
    search_services,
    search_with_fallback,
)
from oncolien.directory.selectors import services_by_care_type, services_public
from oncolien.reference.models import Phase
from oncolien.territories.models import Cpts


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    form = ServiceSearchForm(request.GET or None)
    results = None
    if not form.is_bound:
        # The whole directory, by name, until the person narrows it.
        results = search_services(ServiceQuery())
    elif form.is_valid():
        try:
            results = search_with_fallback(form.to_query())
        except InvalidSearch as error:
            field = error.field if error.field in form.fields else None
            form.add_error(field, str(error))
    context = {
        "form": form,
        "results": results,
        "place": form.place,
        "place_text": place_label(form.place.commune) if form.place.commune else "",
        "paging_query": _paging_query(request, form),
        "suggestion_links": [
            (words, _suggestion_url(request, words)) for words in results.suggestions
        ]
        if results
        else [],
        "candidate_links": [
            (commune, _candidate_url(request, commune)) for commune in form.place.candidates
        ],
    }
    return render(request, "directory/search.html", context)


def _suggestion_url(request: HttpRequest, words: str) -> str:
    """The same search with the words the vocabulary suggests."""
    params = request.GET.copy()
    params.pop("page", None)
    params["q"] = words
    return f"{reverse('directory:search')}?{params.urlencode()}"


def _candidate_url(request: HttpRequest, commune) -> str:
    """The same search, around one of the communes an ambiguous name could mean."""
    params = request.GET.copy()
    params.pop("page", None)
    params["insee"] = commune.insee_code
    params["commune"] = place_label(commune)
    return f"{reverse('directory:search')}?{params.urlencode()}"


def _paging_query(request: HttpRequest, form: ServiceSearchForm) -> str:
    """The current GET parameters without the page, for the pagination links."""
    params = request.GET.copy()
    params.pop("page", None)
    if form.place.commune and not params.get("insee"):
        # The pages after the first search the commune already found.
        params["insee"] = form.place.commune.insee_code
    return params.urlencode()


@require_safe
def service_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # Only active services are public; an inactive one answers 404.
    service = get_object_or_404(services_public().prefetch_related("communes_served"), pk=pk)
    context = {
        "service": service,
        "organization": service.organization,
        "phases": [label for value, label in Phase.choices if getattr(service, f"phase_{value}")],
        "locations": sorted(service.locations.all(), key=lambda place: (place.name, place.pk)),
        "communes_served": sorted(service.communes_served.all(), key=lambda c: c.name),
    }
    return render(request, "directory/service_detail.html", context)


@require_safe
def cpts_directory(request: HttpRequest, slug: str) -> HttpResponse:
    cpts = get_object_or_404(Cpts, slug=slug)
    sections = services_by_care_type(cpts=cpts)
    services = {service.pk: service for section in sections for service in section.services}
    context = {
        "cpts": cpts,
        "sections": sections,
        "service_count": len(services),
        "has_fictitious": any(s.organization.is_fictitious for s in services.values()),
    }
    return render(request, "directory/cpts_directory.html", context)
