import pytest

from oncolien.territories.lookups import (
    AmbiguousCommuneName,
    CommuneNotFound,
    commune_by_insee,
    commune_by_name,
    communes_by_name,
    communes_by_postal_code,
    normalize_department_code,
    normalize_name,
)
from oncolien.territories.models import Commune


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("Saint-Gaudens", "saint gaudens"),
        ("  saint   gaudens ", "saint gaudens"),
        ("ST-GAUDENS", "saint gaudens"),
        ("Ste Croix", "sainte croix"),
        ("Sénergues", "senergues"),
        ("Agen-d'Aveyron", "agen d aveyron"),
        ("Agen-d’Aveyron", "agen d aveyron"),
        ("Cœur de Garonne", "coeur de garonne"),
        ("Estaing", "estaing"),
        ("", ""),
    ],
)
def test_normalize_name(text, normalised):
    assert normalize_name(text) == normalised


def test_normalize_department_code():
    assert normalize_department_code("9") == "09"
    assert normalize_department_code(" 2a ") == "2A"
    assert normalize_department_code("974") == "974"


@pytest.mark.django_db
class TestByInsee:
    def test_finds_castres(self):
        assert commune_by_insee("81065").name == "Castres"

    def test_same_commune_and_department_as_the_orm(self, django_assert_num_queries):
        expected = Commune.objects.select_related("department").get(insee_code="81065")
        with django_assert_num_queries(1):
            commune = commune_by_insee("81065")
            department = commune.department  # read with the commune, no second query
        fields = [f.attname for f in Commune._meta.concrete_fields]
        assert [getattr(commune, f) for f in fields] == [getattr(expected, f) for f in fields]
        assert isinstance(commune.latitude, float) and isinstance(commune.population, int)
        assert (department.pk, department.code, department.name) == (
            expected.department.pk,
            expected.department.code,
            expected.department.name,
        )
        assert commune == expected and not commune._state.adding

    def test_unknown_code_has_a_french_message(self):
        with pytest.raises(CommuneNotFound, match="Aucune commune ne porte le code INSEE 99999."):
            commune_by_insee("99999")

    def test_malformed_code_is_not_found(self):
        with pytest.raises(CommuneNotFound, match="n'est pas un code INSEE"):
            commune_by_insee("81 065")

    def test_not_found_is_a_does_not_exist(self):
        with pytest.raises(Commune.DoesNotExist):
            commune_by_insee("00000")


@pytest.mark.django_db
class TestByName:
    def test_accents_and_case_do_not_matter(self):
        assert list(communes_by_name("saint gaudens")) == list(communes_by_name("Saint-Gaudens"))
        assert communes_by_name("SAINT GAUDENS")[0].insee_code == "31483"

    def test_senergues_without_accent(self):
        assert communes_by_name("senergues")[0].name == "Sénergues"

    def test_abbreviated_saint(self):
        assert commune_by_name("St-Gaudens").insee_code == "31483"

    def test_exact_match_comes_first(self):
        results = list(communes_by_name("Castres"))

        assert results[0].insee_code == "81065"
        assert results[0].match_rank == 0

    def test_prefix_and_word_matches_follow(self):
        results = list(communes_by_name("gaudens"))

        assert "31483" in [c.insee_code for c in results]
        assert all(c.match_rank == 2 for c in results)

    def test_empty_name_finds_nothing(self):
        assert not communes_by_name("  -  ").exists()

    def test_ambiguous_name_asks_for_the_department(self):
        with pytest.raises(AmbiguousCommuneName, match="précisez le département") as error:
            commune_by_name("Saint-Juéry")

        assert {c.insee_code for c in error.value.candidates} == {"12233", "81257"}
        assert "12, 81" in str(error.value)

    def test_department_disambiguates(self):
        assert commune_by_name("saint juery", department="81").insee_code == "81257"
        assert commune_by_name("Saint-Juéry", department="12").insee_code == "12233"

    def test_unknown_name_is_not_found(self):
        with pytest.raises(CommuneNotFound, match="Aucune commune ne s'appelle « Atlantis »"):
            commune_by_name("Atlantis")


@pytest.mark.django_db
class TestByPostalCode:
    def test_81100_is_castres(self):
        communes = list(communes_by_postal_code("81100"))

        assert communes[0].name == "Castres"
        assert {c.insee_code for c in communes} >= {"81065"}

    def test_invalid_postal_code_finds_nothing(self):
        assert not communes_by_postal_code("8110").exists()
