"""Anonymisation at a coordinator's request: nothing identifying remains in any table
(history tables included), the audit chain still verifies, the indicators' counts
do not move, and the action is audited."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from oncolien.accounts.authorization import AccessDenied
from oncolien.audit.chain import verify_chain
from oncolien.audit.models import AuditEntry
from oncolien.indicators import periods
from oncolien.indicators.dashboard import dashboard_for
from oncolien.privacy.models import Anonymisation
from oncolien.privacy.services import patient_anonymise
from oncolien.privacy.tests.conftest import PATIENT_IP, close

pytestmark = pytest.mark.django_db


def _text(value) -> str:
    if isinstance(value, bytes | memoryview):
        return bytes(value).decode("utf-8", "replace")
    return str(value)


def _rows_containing(needles: list[str]) -> list[tuple[str, str]]:
    """(table, needle) of every row of every table of the database (history tables,
    the audit trail and the messages included) whose text holds one of `needles`."""
    found: list[tuple[str, str]] = []
    lowered = [n.lower() for n in needles]
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                text = " ".join(_text(value) for value in row).lower()
                found.extend((table, n) for n in lowered if n in text)
    return found


def _figures(cpts):
    today = date.today()
    period = periods.custom(today.replace(year=today.year - 3), today.replace(year=today.year + 1))
    board = dashboard_for(cpts, period)
    lines = [(line.indicator.code, line.value_text) for line in board.lines]
    # The profiles too (age band, cancer site, treatments…), cell by cell.
    tables = [
        (table.breakdown.code, row.label, [repr(cell.figure) for cell in row.cells])
        for table in board.breakdowns
        for row in table.rows
    ]
    assert lines and tables
    return lines, tables


def test_nothing_identifying_remains_and_the_chain_verifies(patient, coordinator, call):
    p = patient
    identifying = [p.last_name, p.phone, p.phone.replace(" ", ""), p.email, PATIENT_IP, "Paul Roux"]
    held = {needle for _, needle in _rows_containing(identifying)}
    assert held == {n.lower() for n in identifying} - {"0698765432"}, "held before, each one"
    pathway = close(p.pathway, coordinator)
    before = _figures(p.world.cpts)

    anonymisation = patient_anonymise(
        actor=coordinator, pathway=pathway, reason="request", note="Demande écrite reçue"
    )

    assert _rows_containing(identifying) == []
    assert _rows_containing([p.first_name]) == []
    pathway.patient.refresh_from_db()
    assert str(pathway.patient) == f"ANONYME n° {pathway.patient.pk}"
    assert pathway.patient.birth_date == date(1958, 4, 1)
    assert anonymisation.counts["visits"] == 1
    assert anonymisation.counts["pathways"] == 1
    # Counts kept: every indicator reads the same as before.
    assert _figures(p.world.cpts) == before
    report = verify_chain()
    assert report.is_intact, report.breaks
    assert report.redacted > 5
    out, _ = call("audit_verify")
    assert "Journal d'audit intègre" in out
    entry = AuditEntry.objects.get(action="patient.anonymise")
    assert entry.actor_id == coordinator.pk
    assert entry.details["reason"] == "request"
    assert entry.details["audit_entries"] == report.redacted


def test_an_open_pathway_is_not_anonymised(patient, coordinator):
    with pytest.raises(ValidationError, match="Clôturez d'abord le parcours"):
        patient_anonymise(actor=coordinator, pathway=patient.pathway, reason="request")
    assert not Anonymisation.objects.exists()
    patient.pathway.patient.refresh_from_db()
    assert patient.pathway.patient.last_name == patient.last_name


def test_only_a_coordinator_of_the_cpts_may_anonymise(
    patient, coordinator, outsider, coordinating_nurse
):
    pathway = close(patient.pathway, coordinator)
    for someone in (outsider, coordinating_nurse):
        with pytest.raises(AccessDenied):
            patient_anonymise(actor=someone, pathway=pathway, reason="request")
    assert (
        AuditEntry.objects.filter(
            action="access.denied", details__permission="patient.erase"
        ).count()
        == 2
    )
    assert not Anonymisation.objects.exists()


def test_the_page_asks_for_a_confirmation_and_a_reason(patient, coordinator, login):
    pathway = close(patient.pathway, coordinator)
    client = login(coordinator)
    page = client.get(f"/confidentialite/parcours/{pathway.pk}/anonymisation/")
    assert page.status_code == 200
    assert "Anonymiser définitivement" in page.content.decode()
    refused = client.post(
        f"/confidentialite/parcours/{pathway.pk}/anonymisation/", {"reason": "request"}
    )
    assert refused.status_code == 400
    assert "Cochez la confirmation pour anonymiser." in refused.content.decode()
    assert not Anonymisation.objects.exists()
    other = client.post(
        f"/confidentialite/parcours/{pathway.pk}/anonymisation/",
        {"reason": "other", "confirm": "on"},
    )
    assert "Précisez le motif de l&#x27;anonymisation." in other.content.decode()
    assert not Anonymisation.objects.exists()
    done = client.post(
        f"/confidentialite/parcours/{pathway.pk}/anonymisation/",
        {"reason": "deceased", "confirm": "on"},
    )
    assert done.status_code == 302
    assert Anonymisation.objects.get().reason == "deceased"
    detail = client.get(f"/parcours/{pathway.pk}/").content.decode()
    assert patient.last_name not in detail
    assert "ont été anonymisées le" in detail
