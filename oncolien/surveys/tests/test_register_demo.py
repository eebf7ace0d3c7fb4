"""The fictitious register of Occitanie's CPTS shipped for the demo."""

from collections import Counter

import pytest

from oncolien.surveys.demo_register import DEMO_TITLE, load_demo_register
from oncolien.surveys.models import CptsRegister, CptsRegisterEntry, PopulationSource

pytestmark = pytest.mark.django_db

OCCITANIE = {"09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82"}


def test_the_demo_register_loads_once_and_is_marked_fictitious(base_data):
    register = load_demo_register()
    again = load_demo_register()
    assert again.pk == register.pk
    assert CptsRegister.objects.count() == 1
    assert register.title == DEMO_TITLE and register.is_fictitious
    entries = CptsRegisterEntry.objects.filter(register=register)
    assert entries.count() == 86
    assert set(entries.values_list("department", flat=True)) == OCCITANIE
    assert set(entries.values_list("population_source", flat=True)) == {PopulationSource.DECLARED}
    sizes = Counter(entries.values_list("size_class", flat=True))
    # Document 004: 31 / 40 / 28 / 1 % of the region's CPTS by size class.
    assert [round(sizes[size] * 100 / 86) for size in (1, 2, 3, 4)] == [31, 40, 28, 1]
    departments = Counter(entries.values_list("department", flat=True))
    # Document 004: Haute-Garonne 18,6 %, Gard and Hérault 13,9 %, Ariège 3,5 % …
    assert (departments["31"], departments["30"], departments["34"], departments["09"]) == (
        16,
        12,
        12,
        3,
    )
    invented = entries.filter(name__startswith="CPTS fictive ")
    assert invented.count() == 83
    dates = entries.values_list("aci_signed_on", flat=True)
    assert all(2019 <= signed.year <= 2025 for signed in dates)
    # The demo CPTS of OncoLien are in the register under their own names.
    assert set(entries.filter(cpts__isnull=False).values_list("cpts__slug", flat=True)) == {
        "cpts-nord-aveyron",
        "cpts-sud-tarn",
        "cpts-volvestre-coeur-de-garonne",
    }
