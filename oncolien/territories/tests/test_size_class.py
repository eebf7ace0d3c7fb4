import pytest

from oncolien.territories.models import Cpts, size_class_for
from oncolien.territories.selectors import cpts_summary, size_class_ranges


@pytest.mark.parametrize(
    ("population", "size_class"),
    [
        (0, 1),
        (39_999, 1),
        (40_000, 2),
        (79_999, 2),
        (80_000, 3),
        (174_999, 3),
        # "Taille 4: more than 175,000": 175,000 itself is still taille 3.
        (175_000, 3),
        (175_001, 4),
        (2_000_000, 4),
    ],
)
def test_size_class_edges(population, size_class):
    assert size_class_for(population) == size_class


def test_size_class_ranges_agree_with_size_class_for():
    for size_range in size_class_ranges():
        assert size_class_for(size_range.minimum) == size_range.size_class
        if size_range.maximum is not None:
            assert size_class_for(size_range.maximum) == size_range.size_class
            assert size_class_for(size_range.maximum + 1) == size_range.size_class + 1


@pytest.mark.django_db
def test_cpts_without_commune_has_population_0_and_taille_1():
    cpts = Cpts.objects.create(name="CPTS Vide", slug="cpts-vide")

    assert cpts.population == 0
    assert cpts.size_class == 1
    summary = cpts_summary(cpts=cpts)
    assert (summary.population, summary.size_class, summary.commune_count) == (0, 1, 0)
    assert summary.departments == ()
