"""Every list of the API answers one envelope (count, next, previous, results, page_size) and
refuses a page that does not exist; the patient list takes the filters a worklist needs."""

from datetime import date

import pytest

from oncolien.pathways.models import Pathway
from oncolien.pathways.services import monitoring_record_add
from oncolien.pathways.tests.factories import make_pathway

pytestmark = pytest.mark.django_db

API = "/api/v1/pathways/"


@pytest.fixture
def two_pathways(coordinating_nurse):
    martin = make_pathway(actor=coordinating_nurse)
    bonnet = make_pathway(actor=coordinating_nurse, last_name="Bonnet", first_name="Marc")
    Pathway.objects.filter(pk=martin.pk).update(first_contact_on=date(2026, 3, 1))
    Pathway.objects.filter(pk=bonnet.pk).update(first_contact_on=date(2026, 9, 1))
    return martin, bonnet


def test_the_patient_list_pages_in_the_envelope(login, coordinator, two_pathways):
    client = login(coordinator)
    first = client.get(API, {"page_size": 1}).json()
    second = client.get(API, {"page_size": 1, "page": 2}).json()
    assert set(first) == {"count", "next", "previous", "results", "page_size"}
    assert (first["count"], first["page_size"], first["previous"]) == (2, 1, None)
    assert first["next"].endswith("?page_size=1&page=2")
    assert [p["patient"]["last_name"] for p in first["results"] + second["results"]] == [
        "Bonnet",
        "Martin",
    ]
    assert second["next"] is None


@pytest.mark.parametrize(
    ("query", "field"),
    [({"page": 3}, "page"), ({"page": 0}, "page"), ({"page_size": 101}, "page_size")],
)
def test_a_page_that_does_not_exist_is_refused_in_french(
    login, coordinator, two_pathways, query, field
):
    response = login(coordinator).get(API, query)
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["field"] == field
    if query == {"page": 3}:
        assert error["message"] == "La page 3 n'existe pas : la liste tient sur une seule page."


def test_the_sheets_refuse_page_999_instead_of_showing_the_last(
    login, coordinating_nurse, two_pathways
):
    martin, _ = two_pathways
    response = login(coordinating_nurse).get(f"{API}{martin.pk}/records", {"page": 999})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "page"


def test_the_patient_list_filters_by_cpts_dates_and_alert_severity(
    login, coordinator, coordinating_nurse, two_pathways
):
    martin, bonnet = two_pathways
    monitoring_record_add(
        actor=coordinating_nurse, pathway=martin, values={"temperature_c": "38.6"}
    )
    client = login(coordinator)

    def names(**query):
        response = client.get(API, query)
        assert response.status_code == 200, response.content
        return [p["patient"]["last_name"] for p in response.json()["results"]]

    assert names(cpts="cpts-nord-aveyron") == ["Bonnet", "Martin"]
    assert names(cpts="cpts-sud-tarn") == []
    assert names(first_contact_from="2026-06-01") == ["Bonnet"]
    assert names(first_contact_to="2026-06-01") == ["Martin"]
    severity = martin.alerts.get().severity
    assert names(alert_severity=severity) == ["Martin"]
    refused = client.get(
        API, {"first_contact_from": "2026-06-01", "first_contact_to": "2026-01-01"}
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "first_contact_to"


def test_the_patient_list_filters_by_phase_as_the_pathway_shows_it(
    login, coordinator, coordinating_nurse
):
    from django.utils import timezone

    from oncolien.pathways.services import treatment_add

    today = timezone.localdate()
    make_pathway(actor=coordinating_nurse, last_name="Diagnostic")
    treated = make_pathway(actor=coordinating_nurse, last_name="Traitement")
    treatment_add(actor=coordinating_nurse, pathway=treated, kind="chemotherapy", started_on=today)
    after = make_pathway(actor=coordinating_nurse, last_name="Apres")
    Pathway.objects.filter(pk=after.pk).update(end_of_active_treatment_on=today)
    chosen = make_pathway(actor=coordinating_nurse, last_name="Choisie")
    Pathway.objects.filter(pk=chosen.pk).update(phase_override="after_treatment")
    client = login(coordinator)

    def names(phase):
        response = client.get(API, {"phase": phase})
        assert response.status_code == 200, response.content
        results = response.json()["results"]
        for summary in results:
            shown = client.get(f"{API}{summary['id']}").json()
            assert shown["phase"]["code"] == phase
        return [p["patient"]["last_name"] for p in results]

    assert names("diagnosis") == ["Diagnostic"]
    assert names("treatment") == ["Traitement"]
    assert names("after_treatment") == ["Apres", "Choisie"]
    refused = client.get(API, {"phase": "remission"})
    assert refused.status_code == 422
    (error,) = refused.json()["errors"]
    assert error["field"] == "phase"
    assert error["message"] == (
        "Cette valeur ne fait pas partie des choix possibles : "
        "diagnosis, treatment ou after_treatment."
    )
