"""Coded fields list their codes in the document and in the refusal; a filter value or a
query parameter the API does not know is refused rather than answered with an empty list."""

import pytest

from oncolien.pathways.models import MonitoringRecord
from oncolien.pathways.tests.factories import make_pathway

pytestmark = pytest.mark.django_db

JSON = "application/json"


def _schema(document, name):
    return document["components"]["schemas"][name]["properties"]


def test_the_document_lists_the_codes_of_coded_fields(client):
    document = client.get("/api/v1/openapi.json").json()
    record = _schema(document, "RecordIn")
    assert record["vomiting"]["enum"] == ["none", "present", "refractory"]
    assert record["venous_access"]["enum"] == ["none", "picc", "port", "other"]
    assert "" in record["transit"]["enum"]
    assert "phone_line" in _schema(document, "IntakeIn")["intake_channel"]["enum"]
    assert "closed" in _schema(document, "StatusIn")["to_status"]["enum"]


def test_an_unknown_code_is_refused_with_the_codes_allowed(login, coordinating_nurse):
    pathway = make_pathway(actor=coordinating_nurse)
    response = login(coordinating_nurse).post(
        f"/api/v1/pathways/{pathway.pk}/records",
        {"vomiting": "souvent", "venous_access": "port"},
        content_type=JSON,
    )
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["field"] == "vomiting"
    assert error["message"] == (
        "Cette valeur ne fait pas partie des choix possibles : none, present ou refractory."
    )
    assert not MonitoringRecord.objects.exists()


def test_a_bogus_status_filter_is_refused(login, coordinator, coordinating_nurse):
    make_pathway(actor=coordinating_nurse)
    response = login(coordinator).get("/api/v1/pathways/", {"status": "bogus"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "status"
    assert "first_contact" in response.json()["errors"][0]["message"]


def test_an_unknown_query_parameter_is_refused(login, coordinator, client):
    response = login(coordinator).get("/api/v1/pathways/", {"statut": "closed"})
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["field"] == "statut"
    assert error["message"].startswith("Paramètre inconnu. Paramètres possibles : ")
    assert "status" in error["message"]
    public = client.get("/api/v1/reference/care-types", {"lang": "en"})
    assert public.status_code == 422
    assert (
        public.json()["errors"][0]["message"]
        == "Paramètre inconnu. Paramètres possibles : page, page_size."
    )
