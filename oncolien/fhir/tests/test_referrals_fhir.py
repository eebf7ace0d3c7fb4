"""Referrals as FHIR ServiceRequest and Task, validated with the fhir.resources R4B
models; only for users who may see the pathway (404 OperationOutcome otherwise).
"""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from oncolien.audit.models import AuditEntry
from oncolien.fhir.tests.conftest import validated
from oncolien.referrals.tests import conftest as referral_data

# The referral fixtures (a Nord Aveyron pathway, a dietitian, referrals at any status).
pathway = referral_data.pathway
nutrition = referral_data.nutrition
dietitian = referral_data.dietitian
make_referral = referral_data.make_referral


EXPECTED_TASK_STATUS = {
    "proposed": "draft",
    "sent": "requested",
    "accepted": "accepted",
    "declined": "rejected",
    "appointment_set": "in-progress",
    "done": "completed",
    "not_honoured": "failed",
    "cancelled": "cancelled",
}


@pytest.mark.parametrize(("status", "task_status"), EXPECTED_TASK_STATUS.items())
def test_task_status_follows_the_referral(
    status, task_status, make_referral, login, coordinating_nurse
):
    referral = make_referral(status)
    client = login(coordinating_nurse)
    response = client.get(f"/fhir/Task/{referral.pk}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
    task = validated(response.json())
    assert task.status == task_status
    assert task.businessStatus.coding[0].code == status
    assert task.focus.reference == f"ServiceRequest/{referral.pk}"
    if status in ("declined", "not_honoured", "cancelled"):
        assert task.statusReason.text == "motif de test"
    if status in ("appointment_set", "done"):
        start = datetime.combine(referral.appointment_on, time(14, 30), ZoneInfo("Europe/Paris"))
        assert response.json()["restriction"]["period"]["start"] == start.isoformat()


def test_service_request_names_the_care_and_the_service(make_referral, login, coordinating_nurse):
    referral = make_referral("sent")
    request = validated(login(coordinating_nurse).get(f"/fhir/ServiceRequest/{referral.pk}").json())
    assert request.status == "active" and request.intent == "order"
    assert request.code.coding[0].code == "nutrition"
    assert request.performer[0].reference == f"HealthcareService/{referral.service_id}"
    assert "Durand" not in str(request.model_dump())


@pytest.mark.parametrize("resource", ["ServiceRequest", "Task"])
def test_outsiders_and_anonymous_get_404(resource, make_referral, login, outsider, client):
    referral = make_referral("sent")
    anonymous = client.get(f"/fhir/{resource}/{referral.pk}")
    assert anonymous.status_code == 404
    validated(anonymous.json())
    response = login(outsider).get(f"/fhir/{resource}/{referral.pk}")
    assert response.status_code == 404
    assert validated(response.json()).issue[0].code == "not-found"
    assert AuditEntry.objects.filter(actor_id=outsider.pk, action="access.denied").exists()
    missing = login(outsider).get(f"/fhir/{resource}/999999")
    assert missing.status_code == 404
