import pytest

from oncolien.directory.hsds.ids import hsds_id
from oncolien.directory.hsds.taxonomy import (
    COMPLEMENTARY,
    CORE,
    OUTSIDE,
    TAXONOMY_ID,
    care_type_term_id,
    group_id,
)
from oncolien.directory.tests.hsds.conformance import assert_page, assert_valid
from oncolien.reference.models import CareType

pytestmark = pytest.mark.django_db


def test_care_types_are_published_as_one_taxonomy(hsds, base_data):
    status, body = hsds("taxonomies")
    assert status == 200
    assert_page(body, "/taxonomies")
    (taxonomy,) = body["contents"]
    assert taxonomy["id"] == TAXONOMY_ID
    assert taxonomy["name"] == "OncoLien — soins oncologiques de support"
    assert taxonomy["uri"] == "http://testserver/soins-de-support/"
    assert taxonomy["version"]
    status, single = hsds(f"taxonomies/{TAXONOMY_ID}")
    assert status == 200
    assert_valid(single, "taxonomy.json")
    assert single == taxonomy


def test_every_care_type_is_a_term_under_its_basket_group(hsds, base_data):
    _, body = hsds("taxonomy_terms", per_page=100)
    assert_page(body, "/taxonomy_terms")
    terms = {term["code"]: term for term in body["contents"]}
    assert set(terms) == {"inca_core", "inca_complementary", "outside_basket"} | set(
        CareType.objects.filter(active=True).values_list("code", flat=True)
    )
    assert terms["pain"]["parent_id"] == group_id(CORE)
    assert terms["fertility"]["parent_id"] == group_id(COMPLEMENTARY)
    assert terms["sophrology"]["parent_id"] == group_id(OUTSIDE)
    assert terms["pain"]["description"].endswith("(panier INCa, soin socle)")
    assert terms["pain"]["taxonomy_id"] == TAXONOMY_ID
    assert "parent_id" not in terms["inca_core"]


def test_a_term_is_served_alone_and_valid(hsds, base_data):
    pain = CareType.objects.get(code="pain")
    status, body = hsds(f"taxonomy_terms/{care_type_term_id(pain.pk)}")
    assert status == 200
    assert_valid(body, "taxonomy_term.json")
    assert (body["code"], body["name"]) == ("pain", pain.name)
    assert body["taxonomy_detail"]["id"] == TAXONOMY_ID


def test_terms_filter_by_parent_top_level_and_accent_free_words(hsds, base_data):
    _, core = hsds("taxonomy_terms", parent_id=group_id(CORE))
    assert sorted(term["code"] for term in core["contents"]) == [
        "nutrition",
        "pain",
        "psychological",
        "social",
    ]
    _, top = hsds("taxonomy_terms", top_only="true")
    assert [term["code"] for term in top["contents"]] == [
        "inca_core",
        "inca_complementary",
        "outside_basket",
    ]
    _, found = hsds("taxonomy_terms", search="SOCIO-esthetique")
    assert [term["code"] for term in found["contents"]] == ["socio_aesthetics"]
    _, other = hsds("taxonomy_terms", taxonomy_id="0b6c63c0-7a1c-4e43-9d43-6f3c8a4a4a4a")
    assert other["total_items"] == 0


def test_unknown_taxonomy_and_term_are_json_404(hsds, base_data):
    assert hsds("taxonomies/0b6c63c0-7a1c-4e43-9d43-6f3c8a4a4a4a")[0] == 404
    status, body = hsds(f"taxonomy_terms/{hsds_id('taxonomy_term', 10**6)}")
    assert status == 404
    assert "Aucun terme" in body["detail"]


def test_a_service_points_at_its_terms_through_attributes(hsds, directory):
    _, body = hsds(f"services/{hsds_id('service', directory.nutrition.pk)}")
    attributes = body["attributes"]
    assert {attribute["taxonomy_term"]["code"] for attribute in attributes} == {
        "nutrition",
        "healthy_lifestyle",
    }
    for attribute in attributes:
        assert attribute["link_id"] == body["id"]
        assert attribute["link_entity"] == "service"
        assert attribute["link_type"] == "service_type"
        assert attribute["taxonomy_term_id"] == attribute["taxonomy_term"]["id"]
        status, term = hsds(f"taxonomy_terms/{attribute['taxonomy_term_id']}")
        assert status == 200 and term == attribute["taxonomy_term"]


def test_a_retired_care_type_still_carried_by_a_service_stays_a_term(hsds, directory):
    CareType.objects.filter(code="healthy_lifestyle").update(active=False)
    _, body = hsds("taxonomy_terms", per_page=100)
    assert "healthy_lifestyle" in {term["code"] for term in body["contents"]}
    CareType.objects.filter(code="fertility").update(active=False)
    _, body = hsds("taxonomy_terms", per_page=100)
    assert "fertility" not in {term["code"] for term in body["contents"]}
