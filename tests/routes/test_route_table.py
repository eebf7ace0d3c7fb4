"""The route table stays complete and true: every route is public or swept, and the
table names no route that no longer exists."""

from tests.routes.routes import (
    api_operations_from_routers,
    api_operations_from_schema,
    api_template,
    django_routes,
    is_api_key,
    label,
)
from tests.routes.table import PUBLIC, PUBLIC_NAMESPACES, SCOPED, SWEPT

COVERED = {**PUBLIC, **SWEPT, **SCOPED}


def _top_namespace(route) -> str:
    return route.namespace.split(":")[0]


def test_every_django_route_is_public_or_swept():
    missing = sorted(
        route.key
        for route in django_routes()
        if not route.is_api
        and _top_namespace(route) not in PUBLIC_NAMESPACES
        and route.key not in COVERED
    )
    assert not missing, (
        "Routes declared neither PUBLIC (with a reason) nor swept in tests/routes/table.py: "
        + ", ".join(missing)
    )


def test_every_api_operation_is_public_or_swept():
    missing = sorted(label(op) for op in api_operations_from_schema() if op not in COVERED)
    assert not missing, (
        "API operations declared neither PUBLIC nor swept in tests/routes/table.py: "
        + ", ".join(missing)
    )


def test_the_routers_and_the_schema_list_the_same_api_operations():
    assert api_operations_from_routers() == api_operations_from_schema()


def test_every_api_url_pattern_is_an_operation_of_the_schema():
    patterns = {api_template(route.route) for route in django_routes() if route.is_api}
    schema_paths = {path for _, path in api_operations_from_schema()}
    assert patterns == schema_paths


def test_the_table_names_only_routes_that_exist():
    django_keys = {route.key for route in django_routes() if not route.is_api}
    operations = api_operations_from_schema()
    stale = sorted(
        label(key)
        for key in COVERED
        if (key not in operations if is_api_key(key) else key not in django_keys)
    )
    namespaces = {_top_namespace(route) for route in django_routes()}
    stale += sorted(f"namespace {name}" for name in PUBLIC_NAMESPACES if name not in namespaces)
    assert not stale, "tests/routes/table.py names routes that no longer exist: " + ", ".join(stale)


def test_no_route_is_both_public_and_swept():
    both = sorted(label(key) for key in PUBLIC if key in SWEPT or key in SCOPED)
    assert not both


def test_every_public_route_says_why():
    assert all(reason.strip() for reason in [*PUBLIC.values(), *PUBLIC_NAMESPACES.values()])


def test_the_django_admin_is_the_only_route_of_its_namespace():
    # A namespace declared public at once must hold only the admin's own patterns.
    admin = [route for route in django_routes() if _top_namespace(route) == "admin"]
    assert admin and all(route.route.startswith("admin/") for route in admin)
