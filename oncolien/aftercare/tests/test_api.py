"""The post-cancer programme API, through HTTP and the real services."""

from datetime import timedelta

import pytest
from django.utils import timezone

from oncolien.aftercare.models import PostCancerProgramme
from oncolien.aftercare.tests.factories import (
    make_eligible_pathway,
    make_labelled_service,
    prescribe,
)
from oncolien.audit.models import AuditEntry
from oncolien.directory.tests.factories import make_service

pytestmark = pytest.mark.django_db

API = "/api/v1/aftercare/pathways"
JSON = "application/json"
TODAY = timezone.localdate()


@pytest.fixture
def service(base_data):
    return make_labelled_service()


@pytest.fixture
def pathway(coordinating_nurse):
    return make_eligible_pathway(
        actor=coordinating_nurse, end_of_treatment=TODAY - timedelta(days=90)
    )


@pytest.fixture
def programme(coordinating_nurse, pathway, service):
    return prescribe(
        actor=coordinating_nurse,
        pathway=pathway,
        service=service,
        prescribed_on=TODAY - timedelta(days=60),
        dietary_assessment=True,
        dietary_follow_ups=2,
    )


def body(service, **changes):
    return {
        "prescriber_role": "oncologist",
        "prescriber_name": "Dr Claire Vidal",
        "prescribed_on": (TODAY - timedelta(days=5)).isoformat(),
        "service_id": service.pk,
        "psychological_assessment": True,
        "psychological_follow_ups": 4,
        **changes,
    }


def test_prescribing_returns_the_programme_and_its_full_allowance(
    login, coordinating_nurse, pathway, service
):
    client = login(coordinating_nurse)
    assert client.get(f"{API}/{pathway.pk}/programme").status_code == 404
    response = client.post(f"{API}/{pathway.pk}/programme", body(service), content_type=JSON)
    assert response.status_code == 201
    data = response.json()
    assert [act["kind"] for act in data["acts"]].count("psychological_follow_up") == 4
    assert data["allowance"]["remaining"] == "180.00"
    assert data["allowance"]["rules_version"] == "2020-12"


def test_an_ineligible_or_unlabelled_prescription_is_a_422_with_each_reason(
    login, coordinating_nurse, pathway, base_data
):
    unlabelled = make_service(
        cpts="cpts-nord-aveyron", name="Psychologue", care_types=["psychological"], commune="12096"
    )
    response = login(coordinating_nurse).post(
        f"{API}/{pathway.pk}/programme",
        body(unlabelled, prescriber_role="other_physician"),
        content_type=JSON,
    )
    assert response.status_code == 422
    messages = [error["message"] for error in response.json()["errors"]]
    assert any("Seuls ces médecins" in m for m in messages)
    assert any("n'est pas une structure labellisée" in m for m in messages)
    assert not PostCancerProgramme.objects.exists()


def test_recording_acts_and_reading_the_remaining_allowance(
    login, coordinating_nurse, pathway, programme
):
    client = login(coordinating_nurse)
    assessment = programme.acts.get(kind="dietary_assessment")
    follow_ups = list(programme.acts.filter(kind="dietary_follow_up"))
    refused = client.post(
        f"{API}/{pathway.pk}/programme/acts/{follow_ups[0].pk}/done",
        {"done_on": (TODAY - timedelta(days=40)).isoformat()},
        content_type=JSON,
    )
    assert refused.status_code == 422
    assert "vient après un bilan" in refused.json()["errors"][0]["message"]
    done = client.post(
        f"{API}/{pathway.pk}/programme/acts/{assessment.pk}/done",
        {"done_on": (TODAY - timedelta(days=40)).isoformat()},
        content_type=JSON,
    )
    assert done.status_code == 200
    allowance = client.get(f"{API}/{pathway.pk}/programme/allowance").json()
    assert (allowance["used"], allowance["remaining"]) == ("45.00", "135.00")
    assert allowance["follow_ups_remaining"] == 6


def _endpoints(pathway, programme, service):
    act = programme.acts.first()
    return [
        ("get", f"{API}/{pathway.pk}/programme", None),
        ("get", f"{API}/{pathway.pk}/programme/allowance", None),
        ("post", f"{API}/{pathway.pk}/programme", body(service)),
        (
            "post",
            f"{API}/{pathway.pk}/programme/acts/{act.pk}/done",
            {"done_on": TODAY.isoformat()},
        ),
    ]


@pytest.mark.parametrize("persona", ["outsider", "regional"])
@pytest.mark.parametrize("index", range(4), ids=["programme", "allowance", "prescribe", "done"])
def test_outsiders_get_a_404_audited_and_change_nothing(
    request, persona, index, login, pathway, programme, service
):
    user = request.getfixturevalue(persona)
    method, url, data = _endpoints(pathway, programme, service)[index]
    client = login(user)
    response = client.get(url) if method == "get" else client.post(url, data, content_type=JSON)
    assert response.status_code == 404
    assert "Martin" not in response.content.decode()
    assert AuditEntry.objects.filter(
        action="access.denied", actor_id=user.pk, target_id=str(pathway.pk)
    ).exists()
    assert not programme.acts.filter(done_on__isnull=False).exists()
