"""Open Referral HSDS 3.0 read API, mounted at /hsds/.

The paths are those of the standard's openapi.json (without a trailing slash;
one is tolerated). `/hsds/package.json` is the whole public directory in the
standard's tabular JSON shape (see `hsds.package`).
"""

from django.urls import re_path

from oncolien.directory.hsds import views

app_name = "hsds"


def _route(name: str, view, *, with_id: bool = False):
    pattern = rf"^{name}/(?P<id>[^/]+)/?$" if with_id else rf"^{name}/?$"
    suffix = "_detail" if with_id else ""
    return re_path(pattern, view, name=f"{name}{suffix}")


urlpatterns = [
    re_path(r"^$", views.api_info, name="api_info"),
    _route("services", views.services),
    _route("services", views.service_detail, with_id=True),
    _route("organizations", views.organizations),
    _route("organizations", views.organization_detail, with_id=True),
    _route("service_at_locations", views.service_at_locations),
    _route("service_at_locations", views.service_at_location_detail, with_id=True),
    _route("taxonomies", views.taxonomies),
    _route("taxonomies", views.taxonomy_detail, with_id=True),
    _route("taxonomy_terms", views.taxonomy_terms),
    _route("taxonomy_terms", views.taxonomy_term_detail, with_id=True),
    re_path(r"^package\.json$", views.package, name="package"),
    # Anything else under /hsds/ answers in JSON too, as API clients expect.
    re_path(r"^(?P<path>.+)$", views.unknown, name="unknown"),
]
