"""The whole public directory as one HSDS document, in the standard's tabular shape.

HSDS 3.0 defines no envelope for many nested records outside the paged API;
its tabular serialisation (schema/compiled/tabular.json) does: one object whose
keys are the table names (`organization`, `service`, `location`…), each an
array of flat records that point at each other by `id` (`service.organization_id`,
`attribute.link_id`…). That is the shape of the Tabular Data Package CSV files,
in JSON, so a client can load it into the standard's tables directly.
"""

from oncolien.directory.hsds import mapping
from oncolien.directory.hsds.queries import (
    public_organizations,
    public_services,
    published_care_types,
    with_full_services,
    with_locations,
)
from oncolien.directory.hsds.taxonomy import CareTaxonomy
from oncolien.directory.models import Location, ServiceAtLocation

# In the order of tabular.json.
TABLES = (
    "organization",
    "service",
    "attribute",
    "service_at_location",
    "location",
    "phone",
    "contact",
    "address",
    "schedule",
    "service_area",
    "accessibility",
    "taxonomy_term",
    "cost_option",
    "organization_identifier",
    "taxonomy",
)


def _strip_nested(term: dict) -> dict:
    return {key: value for key, value in term.items() if key != "taxonomy_detail"}


def directory_package(taxonomy: CareTaxonomy) -> dict:
    """Every public organisation, service, place and term, in a fixed number of queries."""
    tables: dict[str, list[dict]] = {name: [] for name in TABLES}
    organizations = with_locations(public_organizations())
    services = with_full_services(public_services(), locations=False)
    for organization in organizations:
        tables["organization"].append(mapping.organization_row(organization))
        tables["organization_identifier"] += mapping.organization_identifier_rows(organization)
        tables["phone"] += mapping.organization_phone_rows(organization)
        for location in mapping.prefetched(organization, "hsds_locations", Location):
            tables["location"].append(mapping.location_row(location, organization))
            tables["address"].append(mapping.address_row(location))
            tables["accessibility"] += mapping.accessibility_rows(location)
            tables["schedule"] += mapping.location_schedule_rows(location)
            tables["phone"] += mapping.location_phone_rows(location)
            tables["contact"] += mapping.location_contact_rows(location)
    for service in services:
        tables["service"].append(mapping.service_row(service))
        tables["attribute"] += mapping.attribute_rows(service, taxonomy, nested=False)
        tables["phone"] += mapping.service_phone_rows(service)
        tables["service_area"] += mapping.service_area_rows(service)
        tables["cost_option"] += mapping.cost_option_rows(service)
        link: ServiceAtLocation
        for link in mapping.prefetched(service, "hsds_links", ServiceAtLocation):
            tables["service_at_location"].append(mapping.service_at_location_row(link))
    tables["taxonomy_term"] = [
        _strip_nested(term) for term in taxonomy.terms(published_care_types())
    ]
    tables["taxonomy"] = [taxonomy.taxonomy]
    return tables
