"""Search Bundles (type `searchset`) with their paging links.

Paging is by offset: `_offset` (0-based, default 0) and `_count` (page size).
The links repeat every search parameter that was applied, so that following
`next` until it is absent walks the whole result once, in a stable order.
"""

from collections.abc import Sequence
from urllib.parse import urlencode

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from oncolien.fhir.responses import operation_outcome
from oncolien.fhir.search_params import COUNT, OFFSET, ParsedSearch


def fhir_base_url(request: HttpRequest) -> str:
    """Absolute URL of the FHIR base (no trailing slash), e.g. https://host/fhir."""
    metadata = request.build_absolute_uri(reverse("fhir:metadata"))
    return metadata.removesuffix("/metadata")


def full_url(base: str, resource: dict) -> str:
    return f"{base}/{resource['resourceType']}/{resource['id']}"


def paging_links(*, request: HttpRequest, search: ParsedSearch, total: int) -> list[dict]:
    """self, first, previous, next and last links of a page."""
    url = request.build_absolute_uri(request.path)
    size = search.page_size

    def link(relation: str, offset: int) -> dict:
        params = [*search.link_params, (COUNT, str(search.count)), (OFFSET, str(offset))]
        if search.summary_count:
            params = search.link_params
        # Readable links: the characters FHIR values use stay as they are.
        query = urlencode(params, safe=":,/")
        return {"relation": relation, "url": f"{url}?{query}" if query else url}

    links = [link("self", search.offset)]
    if size == 0:
        return links
    last = max(total - 1, 0) // size * size
    links.append(link("first", 0))
    if search.offset > 0:
        links.append(link("previous", max(min(search.offset - size, last), 0)))
    if search.offset + size < total:
        links.append(link("next", search.offset + size))
    links.append(link("last", last))
    return links


def searchset_bundle(
    *,
    request: HttpRequest,
    search: ParsedSearch,
    total: int,
    matches: list[dict],
    included: Sequence[dict] = (),
) -> dict:
    """A searchset Bundle: the page's matches, then included resources (each once)."""
    base = fhir_base_url(request)
    entries = [
        {"fullUrl": full_url(base, resource), "resource": resource, "search": {"mode": "match"}}
        for resource in matches
    ]
    seen = {entry["fullUrl"] for entry in entries}
    for resource in included:
        url = full_url(base, resource)
        if url not in seen:
            seen.add(url)
            entries.append({"fullUrl": url, "resource": resource, "search": {"mode": "include"}})
    if search.ignored:
        ignored = ", ".join(sorted(set(search.ignored)))
        outcome = operation_outcome(
            [("warning", "not-supported", f"Paramètres ignorés (handling=lenient) : {ignored}.")]
        )
        entries.append({"resource": outcome, "search": {"mode": "outcome"}})
    bundle = {
        "resourceType": "Bundle",
        "meta": {"lastUpdated": timezone.now().isoformat(timespec="seconds")},
        "type": "searchset",
        "total": total,
        "link": paging_links(request=request, search=search, total=total),
    }
    if entries:
        bundle["entry"] = entries
    return bundle
