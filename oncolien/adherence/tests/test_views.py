"""The follow-up on the pathway page: the panel, the plan form, recording a contact."""

import html
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.html import strip_tags

from oncolien.adherence.models import AdherenceContact, AdherencePlan
from oncolien.adherence.tests.helpers import make_plan
from oncolien.audit.models import AuditEntry
from oncolien.pathways.models import Alert
from oncolien.pathways.tests.factories import make_pathway

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return " ".join(html.unescape(strip_tags(response.content.decode())).split())


@pytest.fixture
def pathway(coordinating_nurse):
    return make_pathway(actor=coordinating_nurse, last_name="Durand", first_name="Agnès")


def _contact_post(**values):
    return {
        "planned": "",
        "done_at": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "mode": "call",
        "stopped": "no",
        "missed_doses": "none",
        **values,
    }


def test_the_plan_is_set_from_the_page_and_the_panel_shows_the_next_contact(
    login, pathway, coordinating_nurse
):
    client = login(coordinating_nurse)
    page = client.get(f"/parcours/{pathway.pk}/")
    assert "Pas de suivi de l'hormonothérapie pour ce patient." in _text(page)
    url = f"/suivi-hormonotherapie/parcours/{pathway.pk}/plan/"
    form = {
        "drug": "letrozole",
        "started_on": (timezone.localdate() - timedelta(days=10)).isoformat(),
        "duration_years": "5",
        "contact_mode": "visit",
        "first_year_interval_months": "3",
        "interval_months": "6",
        "nurse": str(coordinating_nurse.pk),
    }
    bad = client.post(url, {**form, "nurse": "", "duration_years": "12"})
    assert bad.status_code == 400
    assert "rien n'a été enregistré" in _text(bad)
    assert not AdherencePlan.objects.exists()
    done = client.post(url, form)
    assert done.status_code == 302 and done.url.endswith("#observance")
    text = _text(client.get(f"/parcours/{pathway.pk}/"))
    first = timezone.localdate() - timedelta(days=10)
    assert "Létrozole, depuis le " + first.strftime("%d/%m/%Y") in text
    assert "Visite, tous les 3 mois la première année puis tous les 6 mois" in text
    planned = AdherenceContact.objects.order_by("planned_on").first()
    assert f"{planned.planned_on:%d/%m/%Y}" in text.split("Prochain contact", 1)[1][:20]


def test_a_contact_with_bad_input_is_refused_in_french_and_a_good_one_is_shown(
    login, pathway, coordinating_nurse
):
    make_plan(actor=coordinating_nurse, pathway=pathway)
    client = login(coordinating_nurse)
    url = f"/suivi-hormonotherapie/parcours/{pathway.pk}/contact/"
    bad = client.post(url, _contact_post(stopped="yes", missed_doses=""))
    assert bad.status_code == 400
    text = _text(bad)
    assert "Indiquez depuis quand le traitement est arrêté." in text
    assert "Précisez qui a décidé l'arrêt." in text
    assert not AdherenceContact.objects.filter(done_at__isnull=False).exists()
    assert not Alert.objects.exists()
    good = client.post(
        url,
        _contact_post(
            missed_doses="occasional",
            effet_hot_flushes="moderate",
            effet_sleep="mild",
            notes="Bouffées la nuit.",
        ),
    )
    assert good.status_code == 302
    text = _text(client.get(good.url))
    assert "Contact de suivi de l'hormonothérapie enregistré." in text
    assert "Oublis occasionnels" in text
    assert "Bouffées de chaleur (modérée), Troubles du sommeil (légère)" in text


def test_a_stop_recorded_on_the_page_says_the_alert_and_shows_it_on_the_worklist(
    login, pathway, coordinating_nurse
):
    make_plan(actor=coordinating_nurse, pathway=pathway)
    client = login(coordinating_nurse)
    since = (timezone.localdate() - timedelta(days=5)).isoformat()
    response = client.post(
        f"/suivi-hormonotherapie/parcours/{pathway.pk}/contact/",
        _contact_post(
            stopped="yes", missed_doses="", stopped_since=since, stop_decided_by="patient"
        ),
        follow=True,
    )
    text = _text(response)
    assert "Alerte levée et signalée à l'équipe : Hormonothérapie (Tamoxifène) arrêtée" in text
    worklist = _text(client.get("/parcours/"))
    assert "Hormonothérapie (Tamoxifène) arrêtée depuis le" in worklist


def test_another_cpts_gets_404_on_every_page_and_each_refusal_is_audited(
    login, pathway, coordinating_nurse, outsider
):
    make_plan(actor=coordinating_nurse, pathway=pathway)
    client = login(outsider)
    for url in (
        f"/suivi-hormonotherapie/parcours/{pathway.pk}/plan/",
        f"/suivi-hormonotherapie/parcours/{pathway.pk}/contact/",
    ):
        assert client.get(url).status_code == 404
        assert client.post(url, _contact_post()).status_code == 404
    assert AuditEntry.objects.filter(action="access.denied", actor=outsider).count() == 4
    assert not AdherenceContact.objects.filter(done_at__isnull=False).exists()


def test_reading_the_follow_up_pages_is_audited(login, pathway, coordinating_nurse):
    make_plan(actor=coordinating_nurse, pathway=pathway)
    client = login(coordinating_nurse)
    assert client.get(f"/suivi-hormonotherapie/parcours/{pathway.pk}/contact/").status_code == 200
    assert AuditEntry.objects.filter(action="adherence.read", target_id=str(pathway.pk)).exists()
