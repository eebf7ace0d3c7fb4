import json

import pytest

from oncolien.territories import demo
from oncolien.territories.models import Cpts
from oncolien.territories.selectors import cpts_summaries

pytestmark = pytest.mark.django_db


def summary_of(slug):
    return next(s for s in cpts_summaries() if s.cpts.slug == slug)


def test_sud_tarn_is_size_class_3():
    summary = summary_of("cpts-sud-tarn")

    assert summary.size_class == 3
    assert summary.commune_count == 95
    assert {d.code for d in summary.departments} == {"81"}


def test_nord_aveyron_is_size_class_1():
    summary = summary_of("cpts-nord-aveyron")

    assert summary.size_class == 1
    assert summary.commune_count == 41
    assert {d.code for d in summary.departments} == {"12"}


def test_volvestre_coeur_de_garonne_is_size_class_2():
    summary = summary_of("cpts-volvestre-coeur-de-garonne")

    assert summary.size_class == 2
    assert summary.commune_count == 55
    assert summary.cpts.name == "CPTS Volvestre – Cœur de Garonne"
    assert {d.code for d in summary.departments} == {"31"}


def test_demo_cpts_classes_match_the_document():
    for item in demo.demo_spec():
        summary = summary_of(item["slug"])
        assert summary.size_class == item["document"]["size_class"]
        assert summary.commune_count == item["document"]["communes"]


def test_model_properties_agree_with_the_selector():
    cpts = Cpts.objects.get(slug="cpts-sud-tarn")

    assert cpts.population == summary_of("cpts-sud-tarn").population
    assert cpts.size_class == 3


def test_demo_cpts_carry_the_document_facts():
    sud_tarn = Cpts.objects.get(slug="cpts-sud-tarn")
    volvestre = Cpts.objects.get(slug="cpts-volvestre-coeur-de-garonne")

    assert sud_tarn.is_demo
    assert sud_tarn.contact_email == "cpts.sud@gmail.com"
    assert (sud_tarn.aci_signed_on.year, sud_tarn.aci_signed_on.month) == (2021, 11)
    assert volvestre.contact_email == "cptsvolvestregaronne@gmail.com"
    assert (volvestre.aci_signed_on.year, volvestre.aci_signed_on.month) == (2024, 5)


def test_loading_the_demo_territory_twice_changes_nothing():
    before = {
        c.slug: set(c.communes.values_list("insee_code", flat=True)) for c in Cpts.objects.all()
    }

    loaded = demo.load_demo_territory()

    assert [c.slug for c in loaded] == [item["slug"] for item in demo.demo_spec()]
    after = {
        c.slug: set(c.communes.values_list("insee_code", flat=True)) for c in Cpts.objects.all()
    }
    assert after == before
    assert Cpts.objects.filter(is_demo=True).count() == 3


def test_loading_the_demo_territory_restores_its_communes():
    cpts = Cpts.objects.get(slug="cpts-nord-aveyron")
    cpts.communes.clear()

    demo.load_demo_territory()

    assert cpts.communes.count() == 41


def test_missing_communes_give_an_error_naming_the_command(tmp_path, monkeypatch):
    spec = json.loads(demo.DEMO_FILE.read_text(encoding="utf-8"))
    # Paris is not among the communes loaded for the tests.
    spec["cpts"][0]["communes"].append({"insee_code": "75056", "name": "Paris"})
    data_file = tmp_path / "demo_cpts.json"
    data_file.write_text(json.dumps(spec), encoding="utf-8")
    monkeypatch.setattr(demo, "DEMO_FILE", data_file)

    with pytest.raises(demo.DemoTerritoryError, match="load_communes") as error:
        demo.load_demo_territory()

    assert "75056 Paris" in str(error.value)
    assert Cpts.objects.get(slug="cpts-sud-tarn").communes.count() == 95
