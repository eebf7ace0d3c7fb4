import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oncolien.directory.hsds.ids import hsds_id
from oncolien.directory.tests.factories import make_service
from oncolien.directory.tests.hsds.conformance import assert_valid

pytestmark = pytest.mark.django_db

# Each foreign key of the tabular shape and the table it points into.
FOREIGN_KEYS = {
    ("service", "organization_id"): "organization",
    ("attribute", "link_id"): "service",
    ("attribute", "taxonomy_term_id"): "taxonomy_term",
    ("service_at_location", "service_id"): "service",
    ("service_at_location", "location_id"): "location",
    ("location", "organization_id"): "organization",
    ("phone", "organization_id"): "organization",
    ("phone", "service_id"): "service",
    ("phone", "location_id"): "location",
    ("contact", "location_id"): "location",
    ("address", "location_id"): "location",
    ("schedule", "location_id"): "location",
    ("service_area", "service_id"): "service",
    ("accessibility", "location_id"): "location",
    ("taxonomy_term", "parent_id"): "taxonomy_term",
    ("taxonomy_term", "taxonomy_id"): "taxonomy",
    ("cost_option", "service_id"): "service",
    ("organization_identifier", "organization_id"): "organization",
}


def _download(client):
    response = client.get("/hsds/package.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    return json.loads(response.content)


def test_the_whole_directory_downloads_in_the_standard_tabular_shape(client, directory):
    package = _download(client)
    assert_valid(package, "compiled/tabular.json")
    assert [row["name"] for row in package["service"]] == [
        "Consultations diététiques",
        "Socio-esthétique à domicile",
        "Soutien psychologique",
    ]
    assert len(package["organization"]) == 3
    assert len(package["attribute"]) == 4
    assert len(package["taxonomy"]) == 1


def test_every_reference_in_the_package_points_at_a_published_row(client, directory):
    package = _download(client)
    ids = {table: {row["id"] for row in rows} for table, rows in package.items()}
    for (table, column), target in FOREIGN_KEYS.items():
        for row in package[table]:
            if column in row:
                assert row[column] in ids[target], f"{table}.{column} → {target}"
    for rows in package.values():
        assert len({row["id"] for row in rows}) == len(rows)


def test_the_package_rows_are_the_api_objects_without_their_arrays(client, hsds, directory):
    package = _download(client)
    _, service = hsds(f"services/{hsds_id('service', directory.psychology.pk)}")
    (row,) = [row for row in package["service"] if row["id"] == service["id"]]
    assert row == {
        key: value for key, value in service.items() if not isinstance(value, list | dict)
    }


def test_nothing_withdrawn_is_in_the_package(client, directory):
    text = json.dumps(_download(client), ensure_ascii=False)
    assert "Atelier fermé" not in text
    assert "Association en sommeil" not in text
    assert hsds_id("service", directory.withdrawn.pk) not in text


def test_the_package_costs_the_same_number_of_queries_whatever_the_directory_size(
    client, directory
):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            _download(client)
        return len(captured)

    few = queries()
    for number in range(8):
        make_service(
            cpts="cpts-volvestre-coeur-de-garonne",
            name=f"Atelier de sophrologie {number}",
            organization=f"Association Sophro {number}",
            care_types=["sophrology"],
            commune="31107",
            cost="association_funded",
        )
    assert queries() == few
