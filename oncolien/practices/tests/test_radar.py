"""The radar questionnaire: the scale as versioned data, values off it refused."""

import copy
import json

import pytest
from django.core.exceptions import ValidationError

from oncolien.audit.models import AuditEntry
from oncolien.practices import radar, services
from oncolien.practices.tests.factories import make_practice


def _document():
    return json.loads(radar.RADAR_FILE.read_text(encoding="utf-8"))


def test_the_shipped_radar_has_the_five_axes_of_cpts_en_pratique():
    definition = radar.definition()
    assert [axis.label for axis in definition.axes] == [
        "Délai",
        "Coûts",
        "Ressources humaines",
        "Ingénierie",
        "Formation",
    ]
    assert definition.maximum == 5 and definition.version


def test_a_broken_radar_document_is_refused_whole_with_french_errors():
    document = copy.deepcopy(_document())
    document["scale"][2]["value"] = 7
    del document["axes"][4]
    document["axes"][0]["question"] = ""
    with pytest.raises(radar.RadarDefinitionError) as error:
        radar.parse_definition(document)
    errors = error.value.errors
    assert any("sans trou ni doublon" in e for e in errors)
    assert any("« question » manque" in e for e in errors)
    assert any("dans cet ordre" in e for e in errors)


@pytest.mark.django_db
def test_ratings_are_saved_and_unrated_axes_stay_none(coordinator, nord_aveyron):
    practice = make_practice(nord_aveyron)
    services.radar_save(actor=coordinator, practice=practice, ratings={"delai": "4", "couts": "2"})
    practice.refresh_from_db()
    assert practice.radar == {
        "delai": 4,
        "couts": 2,
        "ressources_humaines": None,
        "ingenierie": None,
        "formation": None,
    }
    assert practice.radar_version == radar.definition().version


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["0", "6", "3.5", "beaucoup", -1])
def test_a_value_off_the_scale_is_refused_and_nothing_is_saved(coordinator, nord_aveyron, value):
    practice = make_practice(nord_aveyron, radar={"delai": 2})
    with pytest.raises(ValidationError) as error:
        services.radar_save(
            actor=coordinator, practice=practice, ratings={"delai": "3", "formation": value}
        )
    assert "n'est pas sur l'échelle du radar (de 1 à 5, ou non évalué)" in str(error.value)
    practice.refresh_from_db()
    assert practice.radar == {"delai": 2}
    assert not AuditEntry.objects.filter(action="practices.radar_rated").exists()


@pytest.mark.django_db
def test_the_radar_page_refuses_an_off_scale_value_in_french(login, coordinator, nord_aveyron):
    practice = make_practice(nord_aveyron)
    client = login(coordinator)
    response = client.post(f"/pratiques/gestion/{practice.pk}/radar/", {"delai": "9"})
    assert response.status_code == 400
    assert "n&#x27;est pas sur l&#x27;échelle du radar" in response.content.decode()
    practice.refresh_from_db()
    assert practice.radar == {}


def test_an_unrated_axis_reads_non_evalue_in_the_chart():
    chart = radar.radar_chart({"CPTS": {"delai": 3}})
    assert chart.rows[0] == ["Délai", "3 sur 5"]
    assert chart.rows[1] == ["Coûts", "non évalué"]
