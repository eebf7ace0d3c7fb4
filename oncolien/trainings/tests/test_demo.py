from decimal import Decimal

import pytest

from oncolien.accounts.demo import load_demo_accounts
from oncolien.sectors.demo import load_demo_sectors
from oncolien.sectors.selectors import communes_without_sector, proposed_nurses
from oncolien.territories.models import Commune, Cpts
from oncolien.trainings.models import Event, Training
from oncolien.trainings.selectors import roster_of, training_hours

pytestmark = pytest.mark.django_db


def test_the_demo_loads_sectors_the_9_trained_nurses_and_upcoming_events_twice_alike(
    base_data,
):
    from oncolien.trainings.demo import load_demo_trainings

    load_demo_accounts()
    for _ in range(2):
        sectors = load_demo_sectors()
        trained, upcoming = load_demo_trainings()
    cpts = Cpts.objects.get(slug="cpts-nord-aveyron")
    assert [s.name for s in sectors] == ["Vallée du Lot", "Aubrac", "Carladez"]
    assert communes_without_sector(cpts).filter(name="Entraygues-sur-Truyère").exists()
    laguiole = Commune.objects.get(name="Laguiole", department__code="12")
    assert proposed_nurses(cpts, laguiole)[0].user.username == "idec2.nord-aveyron"
    assert trained == 9 and len(roster_of(cpts).lines) == 9
    training = Training.objects.get(cpts=cpts)
    assert training_hours(training) == Decimal("14")
    assert upcoming == 3
    jeudi = Event.objects.get(title__startswith="Jeudi Onco-Occitanie")
    assert jeudi.is_public and jeudi.cpts is None and jeudi.region_code == "76"
