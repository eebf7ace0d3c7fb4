"""GET /fhir/Organization and /fhir/Location: by id lists and the few parameters offered."""

import pytest

from oncolien.fhir.codesystems import ORGANIZATION_KINDS
from oncolien.fhir.identifiers import FINESS_SYSTEM, RPPS_SYSTEM, SIRENE_SYSTEM
from oncolien.fhir.tests.conftest import ESPALION, LAGUIOLE, ids, names

pytestmark = pytest.mark.django_db


def test_organizations_by_id_list(fhir, directory):
    hospital = directory.hospital_diet.organization
    teacher = directory.home_apa.organization
    bundle = fhir(f"/fhir/Organization?_id={hospital.pk},{teacher.pk},999999").json
    assert bundle["total"] == 2
    assert ids(bundle) == [str(teacher.pk), str(hospital.pk)]  # name order


def test_organizations_by_name_and_type(fhir, directory):
    assert names(fhir("/fhir/Organization?name=centre hospitalier").json) == [
        "Centre hospitalier de Rodez"
    ]
    assert names(fhir("/fhir/Organization?name:contains=LIGUE").json) == ["Espace Ligue Castres"]
    bundle = fhir(f"/fhir/Organization?type={ORGANIZATION_KINDS.url}|self_employed").json
    assert names(bundle) == ["Cabinet de Mme Martin, enseignante APA"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (f"{SIRENE_SYSTEM}|73282932000074", ["Centre hospitalier de Rodez"]),
        (f"{FINESS_SYSTEM}|120780044", ["Centre hospitalier de Rodez"]),
        (f"{RPPS_SYSTEM}|10101010104", ["Cabinet de Mme Martin, enseignante APA"]),
        ("120780044", ["Centre hospitalier de Rodez"]),
        (f"{RPPS_SYSTEM}|120780044", []),
        ("http://autre.example|120780044", []),
    ],
)
def test_organizations_by_french_identifier(fhir, directory, value, expected):
    assert names(fhir("/fhir/Organization", {"identifier": value}).json) == expected


def test_locations_by_id_list_mix_places_and_communes(fhir, directory):
    site = directory.relatives_support.locations.get()
    bundle = fhir(f"/fhir/Location?_id={site.pk},commune-{LAGUIOLE},commune-{ESPALION}").json
    assert bundle["total"] == 3
    # Places first, then communes by name.
    assert ids(bundle) == [str(site.pk), f"commune-{ESPALION}", f"commune-{LAGUIOLE}"]


def test_locations_of_an_organization(fhir, directory):
    organization = directory.ligue_castres.organization
    bundle = fhir(f"/fhir/Location?organization=Organization/{organization.pk}").json
    assert ids(bundle) == [str(directory.ligue_castres.locations.get().pk)]


def test_location_pages_run_from_places_into_communes(fhir, directory):
    sites = sorted(
        str(service.locations.get().pk)
        for service in (directory.relatives_support, directory.ligue_castres)
    )
    query = f"/fhir/Location?_id={','.join(sites)},commune-{LAGUIOLE},commune-{ESPALION}"
    seen, url = [], f"{query}&_count=3"
    while url:
        bundle = fhir(url).json
        assert bundle["total"] == 4
        seen += ids(bundle)
        url = next((link["url"] for link in bundle["link"] if link["relation"] == "next"), None)
    assert sorted(seen[:2]) == sites
    assert seen[2:] == [f"commune-{ESPALION}", f"commune-{LAGUIOLE}"]
