"""Security headers (issue 13): CSP without inline script, Permissions-Policy,
Cache-Control: no-store on everything that may show a patient, API docs served here."""

import re

import pytest
from django.urls import reverse

from oncolien.assessments.services import link_issue
from oncolien.pathways.tests.factories import make_pathway
from oncolien.referrals.tests import conftest as referral_data

pytestmark = pytest.mark.django_db

pathway = referral_data.pathway
nutrition = referral_data.nutrition
dietitian = referral_data.dietitian
make_referral = referral_data.make_referral


def _csp(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {
        part.split()[0]: " ".join(part.split()[1:])
        for part in (item.strip() for item in header.split(";"))
        if part
    }


def test_every_page_has_a_csp_that_forbids_inline_script(client, base_data):
    policy = _csp(client.get("/annuaire/"))
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert policy["img-src"] == "'self' data:"
    assert "unsafe-inline" not in policy["script-src"] and "unsafe-eval" not in str(policy)


def test_no_template_holds_an_inline_script_or_event_handler():
    """What the browser would refuse under script-src 'self' (the browser test checks
    the pages themselves)."""
    from pathlib import Path

    import oncolien

    offenders = []
    for path in Path(oncolien.__file__).parent.rglob("*.html"):
        text = path.read_text()
        for match in re.finditer(r"<script\b([^>]*)>", text):
            attributes = match.group(1)
            if "src=" not in attributes and "application/json" not in attributes:
                offenders.append(f"{path}: {match.group(0)}")
        offenders += [f"{path}: {m.group(0)}" for m in re.finditer(r"\son[a-z]+\s*=", text)]
    assert offenders == []


def test_permissions_policy_refuses_camera_microphone_location_payment(client, base_data):
    header = client.get("/")["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in header


def test_a_pathway_page_is_never_stored(login, coordinating_nurse, base_data):
    pathway = make_pathway(actor=coordinating_nurse)
    response = login(coordinating_nurse).get(
        reverse("pathways:pathway_detail", kwargs={"pk": pathway.pk})
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_an_api_patient_answer_is_never_stored(login, coordinating_nurse, base_data):
    pathway = make_pathway(actor=coordinating_nurse)
    response = login(coordinating_nurse).get(f"/api/v1/pathways/{pathway.pk}")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_a_fhir_patient_resource_is_never_stored(make_referral, login, coordinating_nurse):
    referral = make_referral("sent")
    response = login(coordinating_nurse).get(f"/fhir/ServiceRequest/{referral.pk}")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_a_patient_self_assessment_link_page_is_never_stored(client, coordinating_nurse, base_data):
    pathway = make_pathway(actor=coordinating_nurse)
    issued = link_issue(
        actor=coordinating_nurse,
        pathway=pathway,
        instrument_code="distress-thermometer",
        channel="print",
        build_url=lambda token: f"https://oncolien.test/evaluations/lien/{token}/",
    )
    client.logout()
    response = client.get(reverse("assessments:patient_fill", kwargs={"token": issued.token}))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_an_anonymous_read_of_the_public_directory_may_be_kept(client, base_data):
    response = client.get("/annuaire/")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_the_public_directory_read_by_a_signed_in_user_is_not_kept(
    login, coordinating_nurse, base_data
):
    response = login(coordinating_nurse).get("/annuaire/")
    assert "no-store" in response["Cache-Control"]


def test_the_api_docs_load_nothing_from_another_site(client, base_data):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert re.findall(r"""(?:src|href)=["']?(?:https?:)?//""", html) == []
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "<script>" not in html
    assert '"validatorUrl": null' in html  # no badge fetched from an outside service
