"""Public pages: search by theme and territory, the page, the PDF, the comparison,
the regional resources and the demo practices."""

import pytest

from oncolien.practices.demo import load_demo_practices
from oncolien.practices.models import Practice, Status
from oncolien.practices.tests.factories import make_practice
from tests.pdf import flat_pdf_text

pytestmark = pytest.mark.django_db


def test_the_list_finds_published_practices_by_theme_and_territory(client, nord_aveyron, sud_tarn):
    make_practice(
        nord_aveyron,
        title="Infirmières à domicile",
        status=Status.PUBLISHED,
        care_types=("psychological",),
    )
    make_practice(
        sud_tarn, title="Annuaire ville-hôpital", status=Status.PUBLISHED, care_types=("nutrition",)
    )
    make_practice(nord_aveyron, title="Brouillon secret", care_types=("psychological",))

    page = client.get("/pratiques/", {"theme": "psychological"}).content.decode()
    assert "Infirmières à domicile" in page
    assert "Annuaire ville-hôpital" not in page and "Brouillon secret" not in page

    page = client.get("/pratiques/", {"departement": "81"}).content.decode()
    assert "Annuaire ville-hôpital" in page and "Infirmières à domicile" not in page

    page = client.get("/pratiques/", {"region": "76"}).content.decode()
    assert "Annuaire ville-hôpital" in page and "Infirmières à domicile" in page
    assert "Brouillon secret" not in page


def test_the_pdf_holds_the_practice_and_its_radar(client, nord_aveyron):
    practice = make_practice(
        nord_aveyron,
        title="Coordination en cancérologie",
        status=Status.PUBLISHED,
        radar={"delai": 4, "couts": None},
        key_figures=[{"value": "35", "label": "patients accompagnés"}],
        partners="La Ligue contre le cancer <img src='http://example.invalid/x.png'>",
    )
    response = client.get(f"/pratiques/{practice.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = flat_pdf_text(response.content)
    assert "Coordination en cancérologie" in text
    assert "CPTS Nord Aveyron" in text
    assert "35 patients accompagnés" in text
    assert "Radar de l'action" in text
    assert "4 sur 5" in text and "non évalué" in text


def test_the_comparison_draws_two_to_four_published_radars(client, nord_aveyron, sud_tarn):
    first = make_practice(nord_aveyron, title="A", status=Status.PUBLISHED, radar={"delai": 2})
    second = make_practice(sud_tarn, title="B", status=Status.PUBLISHED, radar={"delai": 5})
    draft = make_practice(sud_tarn, title="Brouillon")
    page = client.get("/pratiques/comparer/", {"practices": [first.pk, second.pk]}).content.decode()
    assert "Radars des actions comparées" in page
    assert "2 sur 5" in page and "5 sur 5" in page
    page = client.get("/pratiques/comparer/", {"practices": [first.pk]}).content.decode()
    assert "Choisissez de 2 à 4 actions" in page
    page = client.get("/pratiques/comparer/", {"practices": [first.pk, draft.pk]}).content.decode()
    assert "Radars des actions comparées" not in page


def test_the_regional_resources_say_their_conditions(client):
    page = client.get("/pratiques/ressources-regionales/").content.decode()
    assert "PR3O" in page and "cancers ORL" in page
    assert "Dossier communicant de cancérologie" in page
    assert "Expertises et coordination des parcours en cancérologie" in page


def test_the_demo_loads_the_three_practices_of_cpts_en_pratique(client, base_data):
    load_demo_practices()
    load_demo_practices()  # idempotent
    practices = Practice.objects.filter(status=Status.PUBLISHED, is_demo=True)
    assert sorted(p.cpts.slug for p in practices) == [
        "cpts-nord-aveyron",
        "cpts-sud-tarn",
        "cpts-volvestre-coeur-de-garonne",
    ]
    nord = practices.get(cpts__slug="cpts-nord-aveyron")
    assert {
        "value": "35",
        "label": "patients accompagnés dans le cadre du parcours",
    } in nord.key_figures
    assert all(value is None for value in nord.radar.values()) and len(nord.radar) == 5
    page = client.get(f"/pratiques/{nord.pk}/").content.decode()
    assert "Radar non évalué" in page
    assert "sans en donner les valeurs" in page
    assert page.count("non évalué") >= 5
