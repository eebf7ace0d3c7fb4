"""The retention rule: pathways closed longer than ONCOLIEN_RETENTION_YEARS are
anonymised by the daily task (or the command), each run reported in counts; recent
or open pathways are left alone, and the audit chain still verifies."""

from datetime import date, timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from oncolien.audit.chain import verify_chain
from oncolien.pathways.models import Pathway, Visit
from oncolien.pathways.services import visit_add
from oncolien.pathways.tests.factories import make_pathway
from oncolien.privacy.models import Anonymisation, RetentionRun
from oncolien.privacy.tasks import apply_retention
from oncolien.privacy.tests.conftest import close

pytestmark = pytest.mark.django_db


def _closed_pathway(nurse, coordinator, *, last_name: str, closed_years_ago: int):
    pathway = make_pathway(actor=nurse, last_name=last_name, phone="0611223344")
    visit_add(actor=nurse, pathway=pathway, kind="home", occurred_at=timezone.now())
    pathway = close(pathway, coordinator)
    long_ago = date.today() - timedelta(days=365 * closed_years_ago + 10)
    Pathway.objects.filter(pk=pathway.pk).update(closed_on=long_ago, first_contact_on=long_ago)
    Visit.objects.filter(pathway=pathway).update(
        occurred_at=timezone.now() - timedelta(days=365 * closed_years_ago + 20)
    )
    return pathway


def test_the_daily_task_anonymises_only_what_is_past_retention(
    coordinating_nurse, coordinator, call
):
    old = _closed_pathway(
        coordinating_nurse, coordinator, last_name="Ancienne", closed_years_ago=21
    )
    recent = _closed_pathway(
        coordinating_nurse, coordinator, last_name="Recente", closed_years_ago=3
    )
    still_open = make_pathway(actor=coordinating_nurse, last_name="Ouverte")

    with override_settings(ONCOLIEN_RETENTION_YEARS=20):
        apply_retention.call_local()

    run = RetentionRun.objects.get()
    assert (run.patients, run.pathways, run.retention_years) == (1, 1, 20)
    assert run.by_cpts == {"cpts-nord-aveyron": 1}
    assert run.counts["visits"] == 1
    assert run.audit_entries > 0
    assert Anonymisation.objects.get().patient_id == old.patient_id
    old.patient.refresh_from_db()
    assert (old.patient.last_name, old.patient.phone) == ("Anonyme", "")
    for kept in (recent, still_open):
        kept.patient.refresh_from_db()
        assert kept.patient.last_name != "Anonyme"
    assert verify_chain().is_intact

    # The command, a second time: nothing more is due; the run is reported all the same.
    with override_settings(ONCOLIEN_RETENTION_YEARS=2):
        out, _ = call("apply_retention", "--simulation")
    assert "Règle de conservation (2 ans" in out
    assert "1 patient(s), 1 parcours seraient anonymisés" in out
    recent.patient.refresh_from_db()
    assert recent.patient.last_name == "Recente"  # a simulation erases nothing
    assert RetentionRun.objects.count() == 2


def test_the_runs_are_shown_to_coordinators_and_administrators(
    coordinator, administrator, outsider, regional, login
):
    RetentionRun.objects.create(
        started_at=timezone.now(),
        trigger="tâche",
        retention_years=20,
        cutoff=date(2006, 12, 2),
        patients=3,
        pathways=4,
        by_cpts={"cpts-nord-aveyron": 4},
    )
    for someone in (coordinator, administrator, outsider):
        page = login(someone).get("/confidentialite/conservation/")
        assert page.status_code == 200
        assert "cpts-nord-aveyron : 4" in page.content.decode()
    assert login(regional).get("/confidentialite/conservation/").status_code == 404
