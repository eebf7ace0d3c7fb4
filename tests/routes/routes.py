"""The routes as Django and django-ninja know them, and how a test reaches one."""

import json
import re
from dataclasses import dataclass

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from oncolien.api import api

API_PREFIX = "/api/v1"


@dataclass(frozen=True)
class DjangoRoute:
    key: str  # "namespace:name", or the route itself when the pattern has no name
    namespace: str
    route: str  # the full pattern, e.g. "parcours/<int:pk>/"
    is_api: bool  # one of the patterns django-ninja generates for its operations


def django_routes() -> list[DjangoRoute]:
    """Every URL pattern, walked recursively from the root URLconf."""
    found: list[DjangoRoute] = []

    def walk(resolver: URLResolver, prefix: str, namespaces: list[str]) -> None:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = [*namespaces, pattern.namespace] if pattern.namespace else namespaces
                walk(pattern, prefix + str(pattern.pattern), inner)
                continue
            assert isinstance(pattern, URLPattern)
            route = prefix + str(pattern.pattern)
            namespace = ":".join(namespaces)
            key = f"{namespace}:{pattern.name}" if namespace and pattern.name else route
            is_api = getattr(pattern.callback, "__module__", "") == "ninja.operation"
            found.append(DjangoRoute(key, namespace, route, is_api))

    walk(get_resolver(), "", [])
    return found


def api_template(route: str) -> str:
    """ "api/v1/pathways/<int:pathway_id>" -> "/api/v1/pathways/{pathway_id}"."""
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def api_operations_from_schema() -> set[tuple[str, str]]:
    paths = api.get_openapi_schema()["paths"]
    return {(method.upper(), path) for path, operations in paths.items() for method in operations}


def api_operations_from_routers() -> set[tuple[str, str]]:
    """The same operations read from the routers' path operations (a cross-check)."""
    found = set()
    routers = [("", api.default_router), *api._routers]
    for prefix, router in routers:
        for path, path_view in router.path_operations.items():
            full = (API_PREFIX + "/" + prefix.strip("/") + path).replace("//", "/")
            full = re.sub(r"\{(?:\w+:)?(\w+)\}", r"{\1}", full)
            for operation in path_view.operations:
                found.update((method.upper(), full) for method in operation.methods)
    return found


def is_api_key(key) -> bool:
    return isinstance(key, tuple)


def url_of(key, kwargs: dict) -> str:
    if is_api_key(key):
        return key[1].format(**kwargs)
    return reverse(key, kwargs=kwargs or None)


def send(client, method: str, url: str, *, api_call: bool, body: dict, query: dict):
    if method == "GET":
        return client.get(url, query)
    if api_call:
        return client.generic(method, url, json.dumps(body), content_type="application/json")
    return client.post(url, body)


# What a refused request must leave untouched: every row of the apps holding
# patient and directory data, and the deliveries of messages.
WATCHED_APPS = ("pathways", "assessments", "referrals", "aftercare", "directory", "notifications")


def data_snapshot() -> dict[str, list[dict]]:
    snapshot = {}
    for label in WATCHED_APPS:
        for model in apps.get_app_config(label).get_models():
            if model._meta.managed and not model._meta.proxy:
                snapshot[model._meta.label] = list(model.objects.order_by("pk").values())
    return snapshot


def label(key) -> str:
    """A readable test id: "pathways:pathway_detail" or "POST /api/v1/pathways/"."""
    return f"{key[0]} {key[1]}" if is_api_key(key) else key
