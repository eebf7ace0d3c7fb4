import pytest
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from oncolien.audit.models import AuditEntry
from oncolien.territories.models import Cpts
from oncolien.territories.services import cpts_create

pytestmark = pytest.mark.django_db


def test_a_cpts_is_created_from_insee_codes_with_computed_size(call):
    out, _ = call("create_cpts", "CPTS Rodez Test", "--commune", "12202", "--aci", "2023-05-01")
    cpts = Cpts.objects.get(name="CPTS Rodez Test")
    assert cpts.communes.get().name == "Rodez"
    assert f"{cpts.population} habitants, taille 1" in out
    assert AuditEntry.objects.filter(action="cpts.create", target_id=str(cpts.pk)).exists()


def test_a_cpts_with_no_commune_is_refused_and_nothing_is_created():
    before = Cpts.objects.count()
    with pytest.raises(ValidationError) as error:
        cpts_create(name="CPTS Vide", commune_codes=[])
    assert error.value.messages == ["Une CPTS doit compter au moins une commune."]
    assert Cpts.objects.count() == before


def test_an_unknown_commune_is_named_and_nothing_is_created():
    before = Cpts.objects.count()
    with pytest.raises(ValidationError) as error:
        cpts_create(name="CPTS Test", commune_codes=["12202", "99999"])
    assert error.value.messages == ["Code(s) INSEE inconnu(s) : 99999."]
    assert Cpts.objects.count() == before


def test_every_problem_is_reported_at_once(call):
    with pytest.raises(CommandError) as error:
        call("create_cpts", "CPTS Nord Aveyron", "--email", "pas-un-courriel")
    message = str(error.value)
    assert "Une CPTS s'appelle déjà « CPTS Nord Aveyron »." in message
    assert "Une CPTS doit compter au moins une commune." in message
    assert "Adresse de courriel invalide" in message


def test_a_bad_aci_date_is_refused(call):
    with pytest.raises(CommandError, match="Date d'ACI invalide"):
        call("create_cpts", "CPTS Test", "--commune", "12202", "--aci", "31/12/2023")
