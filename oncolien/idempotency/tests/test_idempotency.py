"""A write retried with the same Idempotency-Key is answered once: the first answer
is replayed and nothing is created twice."""

from datetime import timedelta

import pytest
from django.utils import timezone

from oncolien.idempotency.models import IdempotentRequest
from oncolien.idempotency.services import purge_expired
from oncolien.pathways.models import Alert, MonitoringRecord
from oncolien.pathways.tests.factories import make_pathway

pytestmark = pytest.mark.django_db

API = "/api/v1/pathways"
JSON = "application/json"
FEVER = {"temperature_c": 38.9}


@pytest.fixture
def pathway(coordinating_nurse):
    return make_pathway(actor=coordinating_nurse)


def post_sheet(client, pathway, body, key="fiche-2026-12-01-a"):
    return client.post(
        f"{API}/{pathway.pk}/records", body, content_type=JSON, headers={"Idempotency-Key": key}
    )


def test_a_sheet_retried_with_the_same_key_is_stored_once(login, coordinating_nurse, pathway):
    client = login(coordinating_nurse)

    first = post_sheet(client, pathway, FEVER)
    retry = post_sheet(client, pathway, FEVER)

    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert MonitoringRecord.objects.filter(pathway=pathway).count() == 1
    assert Alert.objects.filter(pathway=pathway).count() == 1


def test_without_a_key_two_posts_are_two_sheets(login, coordinating_nurse, pathway):
    client = login(coordinating_nurse)

    client.post(f"{API}/{pathway.pk}/records", FEVER, content_type=JSON)
    client.post(f"{API}/{pathway.pk}/records", FEVER, content_type=JSON)

    assert MonitoringRecord.objects.filter(pathway=pathway).count() == 2


def test_the_same_key_with_another_body_is_refused_in_french(login, coordinating_nurse, pathway):
    client = login(coordinating_nurse)
    post_sheet(client, pathway, FEVER)

    other = post_sheet(client, pathway, {"temperature_c": 37.0})

    assert other.status_code == 422
    assert other.json()["errors"][0]["field"] == "Idempotency-Key"
    assert other.json()["errors"][0]["message"] == (
        "Cette clé d'idempotence a déjà servi pour une autre requête : "
        "choisissez une nouvelle clé pour une nouvelle écriture."
    )
    assert MonitoringRecord.objects.filter(pathway=pathway).count() == 1


def test_a_key_is_per_user(login, coordinating_nurse, coordinator, pathway):
    post_sheet(login(coordinating_nurse), pathway, FEVER)
    second = post_sheet(login(coordinator), pathway, FEVER)

    assert second.status_code == 201
    assert "Idempotent-Replayed" not in second.headers
    assert MonitoringRecord.objects.filter(pathway=pathway).count() == 2


def test_a_refused_write_keeps_no_key_so_the_corrected_retry_goes_through(
    login, coordinating_nurse, pathway
):
    client = login(coordinating_nurse)

    refused = post_sheet(client, pathway, {"temperature_c": 55})
    corrected = post_sheet(client, pathway, FEVER)

    assert refused.status_code == 422
    assert corrected.status_code == 201
    assert MonitoringRecord.objects.filter(pathway=pathway).count() == 1


def test_a_key_too_long_is_refused(login, coordinating_nurse, pathway):
    response = post_sheet(login(coordinating_nurse), pathway, FEVER, key="x" * 300)

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"
    assert not MonitoringRecord.objects.exists()


def test_an_expired_key_is_forgotten_and_purged(login, coordinating_nurse, pathway):
    client = login(coordinating_nurse)
    post_sheet(client, pathway, FEVER)
    IdempotentRequest.objects.update(expires_at=timezone.now() - timedelta(minutes=1))

    again = post_sheet(client, pathway, FEVER)
    IdempotentRequest.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    purged = purge_expired()

    assert again.status_code == 201
    assert MonitoringRecord.objects.filter(pathway=pathway).count() == 2
    assert purged == 1
    assert not IdempotentRequest.objects.exists()


def test_a_pathway_created_twice_by_a_retry_is_created_once(login, coordinating_nurse):
    from oncolien.pathways.models import Pathway
    from oncolien.pathways.tests.test_api import intake_body

    client = login(coordinating_nurse)
    headers = {"Idempotency-Key": "inclusion-fabre"}
    first = client.post(f"{API}/", intake_body(), content_type=JSON, headers=headers)
    retry = client.post(f"{API}/", intake_body(), content_type=JSON, headers=headers)

    assert first.status_code == retry.status_code == 201
    assert retry.json()["id"] == first.json()["id"]
    assert Pathway.objects.filter(patient__last_name="Fabre").count() == 1


def test_the_openapi_document_offers_the_header_on_every_post(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    posts = [op for item in paths.values() for method, op in item.items() if method == "post"]
    assert posts
    for operation in posts:
        names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
        assert "Idempotency-Key" in names, operation["operationId"]


def test_the_consumer_purges_expired_keys_every_hour(login, coordinating_nurse, pathway):
    from huey.contrib.djhuey import HUEY

    from oncolien.idempotency.tasks import purge_expired_keys

    post_sheet(login(coordinating_nurse), pathway, FEVER)
    IdempotentRequest.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    # Registered as a periodic task of the consumer (no cron), hourly at minute 17.
    hourly = [
        task for task in HUEY._registry.periodic_tasks if task.name == purge_expired_keys.name
    ]
    at = timezone.now().replace(minute=17, second=0, microsecond=0)
    assert hourly and hourly[0].validate_datetime(at)
    assert not hourly[0].validate_datetime(at.replace(minute=18))
    purge_expired_keys.call_local()
    assert not IdempotentRequest.objects.exists()
