"""The provider's page as a provider uses it on her phone: tappable phones, an
appointment with its time, « Soin réalisé » only once the appointment has come, and
undoable."""

from datetime import date, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from oncolien.fhir.resources_referrals import task_resource
from oncolien.referrals import provider_links, services
from oncolien.referrals.models import Referral
from oncolien.referrals.services import Answer

pytestmark = pytest.mark.django_db


def _html(response) -> str:
    return response.content.decode()


@pytest.fixture
def accepted(make_referral, coordinating_nurse):
    coordinating_nurse.phone = "05 65 44 00 11"
    coordinating_nurse.save(update_fields=["phone"])
    return make_referral("accepted")


def _set_appointment(client, referral, day: date, at: str = "14:30"):
    return client.post(
        provider_links.link_for(referral),
        {"to_status": "appointment_set", "appointment_on": day.isoformat(), "appointment_time": at},
    )


def test_the_patient_and_referrer_phones_are_tappable(client, accepted):
    page = _html(client.get(provider_links.link_for(accepted)))
    assert 'href="tel:0612345678"' in page
    assert 'href="tel:0565440011"' in page
    assert "05 65 44 00 11" in page


def test_the_appointment_has_a_time_shown_everywhere(client, accepted, coordinating_nurse, login):
    day = timezone.localdate() + timedelta(days=14)
    assert _set_appointment(client, accepted, day).status_code == 302
    accepted.refresh_from_db()
    assert accepted.appointment_time == time(14, 30)
    shown = f"{day:%d/%m/%Y} à 14h30"
    assert shown in _html(client.get(provider_links.link_for(accepted)))
    team = login(coordinating_nurse)
    detail = reverse("referrals:referral_detail", kwargs={"pk": accepted.pk})
    assert shown in _html(team.get(detail))
    pathway_page = reverse("pathways:pathway_detail", kwargs={"pk": accepted.pathway_id})
    assert shown in _html(team.get(pathway_page))
    event = accepted.events.get(to_status="appointment_set")
    assert event.detail == f"Rendez-vous le {shown}"


def test_an_appointment_without_time_is_refused(client, accepted):
    day = timezone.localdate() + timedelta(days=14)
    response = _set_appointment(client, accepted, day, at="")
    assert response.status_code == 400
    assert "Indiquez l&#x27;heure du rendez-vous." in _html(response)
    assert Referral.objects.get(pk=accepted.pk).status == "accepted"


def test_fhir_gives_the_appointment_with_its_paris_offset(client, accepted):
    _set_appointment(client, accepted, date(2027, 1, 15), at="09:15")
    accepted.refresh_from_db()
    assert task_resource(accepted)["restriction"] == {
        "period": {"start": "2027-01-15T09:15:00+01:00"}
    }


def test_care_cannot_be_done_before_the_appointment_day(client, accepted):
    day = timezone.localdate() + timedelta(days=7)
    _set_appointment(client, accepted, day)
    page = _html(client.get(provider_links.link_for(accepted)))
    assert f"pourra être indiqué à partir du jour du rendez-vous ({day:%d/%m/%Y})" in page
    assert 'value="done"' not in page
    response = client.post(provider_links.link_for(accepted), {"to_status": "done"})
    assert response.status_code == 400
    assert (
        f"Le soin ne peut pas être déclaré réalisé avant le rendez-vous du {day:%d/%m/%Y}"
        in _html(response).replace("&#x27;", "'")
    )
    assert Referral.objects.get(pk=accepted.pk).status == "appointment_set"


def test_the_provider_undoes_care_done_and_the_history_says_so(client, accepted):
    today = timezone.localdate()
    _set_appointment(client, accepted, today, at="08:00")
    url = provider_links.link_for(accepted)
    assert client.post(url, {"to_status": "done"}).status_code == 302
    page = _html(client.get(url))
    assert "Annuler « Soin réalisé »" in page
    assert client.post(url, {"to_status": "appointment_set"}).status_code == 302
    accepted.refresh_from_db()
    assert accepted.status == "appointment_set"
    assert accepted.appointment_on == today and accepted.appointment_time == time(8, 0)
    last = accepted.events.last()
    assert (last.from_status, last.to_status) == ("done", "appointment_set")
    assert last.detail == "« Soin réalisé » annulé"
    assert last.via_provider_link is True


def test_the_coordination_undoes_care_done(accepted, coordinating_nurse):
    services.referral_transition(
        actor=coordinating_nurse,
        referral=accepted,
        answer=Answer(
            "appointment_set",
            appointment_on=timezone.localdate() - timedelta(days=1),
            appointment_time=time(10, 0),
        ),
    )
    services.referral_transition(actor=coordinating_nurse, referral=accepted, answer=Answer("done"))
    services.referral_transition(
        actor=coordinating_nurse, referral=accepted, answer=Answer("appointment_set")
    )
    assert Referral.objects.get(pk=accepted.pk).status == "appointment_set"
    assert accepted.events.last().by == coordinating_nurse
