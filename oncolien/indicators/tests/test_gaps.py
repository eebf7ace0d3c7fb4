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


def test_the_page_states_straight_line_distances(login, coordinator, nord_aveyron):
    page = login(coordinator).get("/indicateurs/cpts-nord-aveyron/couverture/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "à vol d'oiseau" in text and "par la route ne sont pas disponibles" in text
    assert "au-delà de 45 km" in text and "habitants" in text


def test_other_cpts_coordinators_get_a_404(login, outsider, base_data):
    assert login(outsider).get("/indicateurs/cpts-nord-aveyron/couverture/").status_code == 404
