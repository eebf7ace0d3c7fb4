"""Suggestions for a need: active services of the care type, those of the
pathway's CPTS first, then the others, each group nearest first."""

from oncolien.directory.tests.factories import make_service
from oncolien.referrals.suggestions import suggestions_for

ESPALION, MUR_DE_BARREZ, RODEZ, DECAZEVILLE = "12096", "12164", "12202", "12089"


def _service(name, commune, cpts, **values):
    return make_service(
        cpts=cpts,
        name=name,
        care_types=values.pop("care_types", ["nutrition"]),
        commune=commune,
        **values,
    )


def test_services_inside_the_cpts_come_first_then_by_distance(pathway, nutrition):
    far_inside = _service("Diététique Mur-de-Barrez", MUR_DE_BARREZ, "cpts-nord-aveyron")
    near_inside = _service("Diététique Espalion", ESPALION, "cpts-nord-aveyron")
    near_outside = _service("Diététique Rodez", RODEZ, "cpts-sud-tarn")
    far_outside = _service("Diététique Decazeville", DECAZEVILLE, "cpts-sud-tarn")

    found = suggestions_for(pathway=pathway, care_type=nutrition)

    assert [s.service.pk for s in found] == [
        s.pk for s in (near_inside, far_inside, near_outside, far_outside)
    ]
    assert [s.inside_cpts for s in found] == [True, True, False, False]
    # Outside the CPTS, the nearest comes first even though it is nearer than an inside one.
    assert found[2].distance_km < found[1].distance_km
    assert found[0].distance_km < 1


def test_only_active_services_of_that_care(pathway, nutrition):
    wanted = _service("Diététique Espalion", ESPALION, "cpts-nord-aveyron")
    _service("Psychologue Espalion", ESPALION, "cpts-nord-aveyron", care_types=["psychological"])
    _service("Ancienne diététique", ESPALION, "cpts-nord-aveyron", status="inactive")

    found = suggestions_for(pathway=pathway, care_type=nutrition)
    assert [s.service.pk for s in found] == [wanted.pk]


def test_cost_and_coverage_are_described(pathway, nutrition):
    _service(
        "Diététique libérale",
        ESPALION,
        "cpts-nord-aveyron",
        cost="remaining_cost",
        remaining_cost_amount="30.00",
    )
    (suggestion,) = suggestions_for(pathway=pathway, care_type=nutrition)
    assert suggestion.cost_label == "Reste à charge (30.00 €)"
