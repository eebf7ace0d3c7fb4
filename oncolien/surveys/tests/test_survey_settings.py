"""A survey's settings page: the register it is sent to and compared with, reminders,
sharing; a register is not swapped once personal links went to its CPTS."""

import pytest

from oncolien.audit.models import AuditEntry
from oncolien.surveys import services
from oncolien.surveys.models import CptsRegister, CptsRegisterEntry, Invitation

pytestmark = pytest.mark.django_db


def post(client, survey, **fields):
    data = {"title": survey.title, "reminder_days": "", "max_reminders": ""} | fields
    return client.post(f"/enquetes/{survey.pk}/parametres/", data)


def test_the_register_reminders_and_sharing_are_set_and_audited(login, regional):
    survey = services.survey_create(actor=regional, code="s", title="Enquête")
    register = CptsRegister.objects.create(title="Registre 2026", region="Occitanie")
    client = login(regional)
    response = post(
        client,
        survey,
        register=register.pk,
        reminder_days="10",
        max_reminders="1",
        results_shared="on",
    )
    assert response.status_code == 302
    survey.refresh_from_db()
    assert (survey.register, survey.reminder_days, survey.max_reminders, survey.results_shared) == (
        register,
        10,
        1,
        True,
    )
    entry = AuditEntry.objects.filter(action="survey.update").latest("pk")
    assert entry.details["after"]["register"] == register.pk
    detail = client.get(f"/enquetes/{survey.pk}/").content.decode()
    assert "Registre 2026" in detail
    assert "Diffusion : liens personnels" in detail


def test_the_register_stays_once_links_went_to_its_cpts(login, regional):
    survey = services.survey_create(actor=regional, code="s", title="Enquête")
    first = CptsRegister.objects.create(title="Registre A", region="Occitanie")
    second = CptsRegister.objects.create(title="Registre B", region="Occitanie")
    survey.register = first
    survey.save()
    entry = CptsRegisterEntry.objects.create(register=first, name="CPTS X", department="12")
    Invitation.objects.create(survey=survey, entry=entry, email="a@b.test", token_hash="1" * 64)
    response = post(login(regional), survey, register=second.pk)
    assert response.status_code == 200
    assert "il ne peut plus changer" in response.content.decode()
    survey.refresh_from_db()
    assert survey.register == first
