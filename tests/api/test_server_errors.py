"""Requests that used to crash the API (500) now get a French refusal and change nothing."""

import time
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from oncolien.aftercare.models import PostCancerProgramme, ProgrammeAct
from oncolien.aftercare.tests.factories import make_eligible_pathway, make_labelled_service
from oncolien.pathways.models import Pathway
from oncolien.pathways.tests.factories import make_pathway

pytestmark = pytest.mark.django_db

JSON = "application/json"
TODAY = timezone.localdate()


@pytest.fixture
def pathway(coordinating_nurse):
    return make_pathway(actor=coordinating_nurse)


@pytest.mark.parametrize(
    "field", ["referrer", "cancer_site", "pps_reference", "ppac_reference", "dcc_reference"]
)
def test_patching_a_text_field_to_null_clears_it(login, coordinator, pathway, field):
    Pathway.objects.filter(pk=pathway.pk).update(
        **{field: "lung" if field == "cancer_site" else "x"}
    )
    response = login(coordinator).patch(
        f"/api/v1/pathways/{pathway.pk}", {field: None}, content_type=JSON
    )
    assert response.status_code == 200, response.content
    assert getattr(Pathway.objects.get(pk=pathway.pk), field) == ""


def test_patching_the_chosen_phase_to_null_goes_back_to_the_computed_phase(
    login, coordinator, pathway
):
    Pathway.objects.filter(pk=pathway.pk).update(phase_override="treatment")
    response = login(coordinator).patch(
        f"/api/v1/pathways/{pathway.pk}", {"phase_override": None}, content_type=JSON
    )
    assert response.status_code == 200, response.content
    assert response.json()["phase_overridden"] is False


def test_patching_the_ald_to_null_is_refused_in_french(login, coordinator, pathway):
    response = login(coordinator).patch(
        f"/api/v1/pathways/{pathway.pk}", {"cancer_ald": None}, content_type=JSON
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "cancer_ald"
    assert response.json()["errors"][0]["message"] == "Une valeur oui/non est attendue."


def test_a_multipart_post_without_boundary_is_a_400_in_french(coordinator, login):
    client = Client(enforce_csrf_checks=True)
    client.cookies = login(coordinator).cookies
    # With a CSRF cookie, the check reads the form body to look for the token.
    client.cookies["csrftoken"] = "a" * 32
    response = client.post("/api/v1/pathways/", data=b"x", content_type="multipart/form-data")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json()["detail"] == "Le corps de la requête ne peut pas être lu."


@pytest.fixture
def eligible(coordinating_nurse):
    return make_eligible_pathway(
        actor=coordinating_nurse, end_of_treatment=TODAY - timedelta(days=90)
    )


def prescription(service, **changes):
    return {
        "prescriber_role": "oncologist",
        "prescriber_name": "Dr Claire Vidal",
        "prescribed_on": (TODAY - timedelta(days=5)).isoformat(),
        "service_id": service.pk,
        "dietary_assessment": True,
        **changes,
    }


@pytest.mark.parametrize(
    "changes",
    [
        {"dietary_follow_ups": -100000000000000000000},
        {"dietary_follow_ups": 100000000000000000000},
        {"psychological_follow_ups": 2_000_000_000},
        {"dietary_follow_ups": -1},
    ],
)
def test_an_absurd_number_of_follow_ups_is_refused_at_once(
    login, coordinating_nurse, eligible, base_data, changes
):
    service = make_labelled_service()
    started = time.perf_counter()
    response = login(coordinating_nurse).post(
        f"/api/v1/aftercare/pathways/{eligible.pk}/programme",
        prescription(service, **changes),
        content_type=JSON,
    )
    assert time.perf_counter() - started < 1
    assert response.status_code == 422, response.content
    (error,) = response.json()["errors"]
    assert error["field"] == next(iter(changes))
    assert not PostCancerProgramme.objects.exists()
    assert not ProgrammeAct.objects.exists()


def test_a_few_follow_ups_too_many_are_refused_before_the_acts_are_built(
    login, coordinating_nurse, eligible, base_data
):
    service = make_labelled_service()
    started = time.perf_counter()
    response = login(coordinating_nurse).post(
        f"/api/v1/aftercare/pathways/{eligible.pk}/programme",
        prescription(service, psychological_follow_ups=1_000_000 // 2),
        content_type=JSON,
    )
    assert time.perf_counter() - started < 1
    assert response.status_code == 422
    assert not PostCancerProgramme.objects.exists()
