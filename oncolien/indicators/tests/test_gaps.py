"""The offer's gaps: communes far from each kind of care, by straight-line distance."""

import pytest

from oncolien.directory.search import geo
from oncolien.directory.tests.factories import make_service
from oncolien.indicators.gaps import offer_gaps
from oncolien.territories.models import Commune

pytestmark = pytest.mark.django_db
ESPALION = "12096"


def test_communes_beyond_each_radius_with_their_population(nord_aveyron, sud_tarn):
    # A dietitian in Espalion, listed by another CPTS: a patient crosses the boundary.
    make_service(cpts=sud_tarn, name="Diététique", care_types=["nutrition"], commune=ESPALION)
    report = offer_gaps(nord_aveyron)
    communes = list(nord_aveyron.communes.all())
    assert report.commune_count == len(communes) > 10
    espalion = Commune.objects.get(insee_code=ESPALION)
    distance = {
        c.insee_code: geo.haversine_km(
            c.latitude, c.longitude, espalion.latitude, espalion.longitude
        )
        for c in communes
    }
    gaps = {g.care_type.code: g for g in report.care_types}
    nutrition = gaps["nutrition"]
    for radius in report.radii:
        beyond = [c for c in communes if distance[c.insee_code] > radius]
        assert nutrition.beyond[radius] == (len(beyond), sum(c.population for c in beyond))
    listed = {c.insee_code: c.nearest_km for c in nutrition.communes}
    assert set(listed) == {code for code, km in distance.items() if km > 20}
    assert all(
        (km is None and distance[code] > 45) or km == pytest.approx(distance[code])
        for code, km in listed.items()
    )
    assert ESPALION not in listed
    # Nothing at all for sophrology: every commune, every radius, farthest unknown.
    sophrology = gaps["sophrology"]
    assert sophrology.beyond[45] == (report.commune_count, report.population)
    assert all(c.nearest_km is None for c in sophrology.communes)


def test_the_map_colours_each_commune_by_its_distance_band(nord_aveyron, sud_tarn):
    make_service(cpts=sud_tarn, name="Diététique", care_types=["nutrition"], commune=ESPALION)
    report = offer_gaps(nord_aveyron)
    espalion = Commune.objects.get(insee_code=ESPALION)
    nutrition = next(g for g in report.care_types if g.care_type.code == "nutrition")
    expected = {}
    for commune in nord_aveyron.communes.all():
        km = geo.haversine_km(
            commune.latitude, commune.longitude, espalion.latitude, espalion.longitude
        )
        expected[commune.insee_code] = 0 if km <= 20 else 1 if km <= 30 else 2 if km <= 45 else 3
    assert nutrition.bands == expected
    # One dot per commune, titled with its commune and band, in the band's colour.
    assert len(nutrition.dots) == report.commune_count
    dot = next(d for d in nutrition.dots if d.label.startswith("Espalion (12096)"))
    assert dot.label == "Espalion (12096) : offre à moins de 20 km" and dot.colour == "#d9ead3"
    # The legend counts the communes of each band; they add up to the CPTS.
    counts = [list(expected.values()).count(band) for band in range(4)]
    assert [entry.communes for entry in nutrition.legend] == counts
    assert sum(counts) == report.commune_count


def test_the_page_states_straight_line_distances(login, coordinator, nord_aveyron):
    page = login(coordinator).get("/indicateurs/cpts-nord-aveyron/couverture/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "à vol d'oiseau" in text and "par la route ne sont pas disponibles" in text
    assert "au-delà de 45 km" in text and "habitants" in text
    # A map per care type, named, with its legend.
    assert "Distance à l'offre de " in text and 'class="map-legend"' in text


def test_other_cpts_coordinators_get_a_404(login, outsider, base_data):
    assert login(outsider).get("/indicateurs/cpts-nord-aveyron/couverture/").status_code == 404
