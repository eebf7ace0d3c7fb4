"""The second factor guards every route that serves patient data, FHIR included.

Before: with the second factor optional (ONCOLIEN_REQUIRE_2FA=0), a user who had
set up an authenticator could log in with the password alone, skip the code page
and still read /fhir/ServiceRequest, /fhir/Task and /fhir/QuestionnaireResponse,
because the gate exempted all of /fhir/. The public directory resources stay open.
"""

import pytest
from django.test import override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from oncolien.apitokens.services import token_create
from oncolien.assessments.services import assessment_start
from oncolien.assessments.tests import conftest as assessment_data
from oncolien.referrals.tests import conftest as referral_data

pytestmark = pytest.mark.django_db

pathway = referral_data.pathway
nutrition = referral_data.nutrition
dietitian = referral_data.dietitian
make_referral = referral_data.make_referral
instruments = assessment_data.instruments

PASSWORD = "mot-de-passe-de-test-42"
PATIENT_ROUTES = ("ServiceRequest", "Task", "QuestionnaireResponse")
PUBLIC_ROUTES = (
    "/fhir/metadata",
    "/fhir/HealthcareService",
    "/fhir/Organization",
    "/fhir/Location",
    "/fhir/Questionnaire/esas-r-2011.fr1",
    "/fhir/CodeSystem/soins-de-support",
)


@pytest.fixture
def urls(make_referral, pathway, coordinating_nurse, instruments):
    referral = make_referral("sent")
    assessment = assessment_start(
        actor=coordinating_nurse, pathway=pathway, instrument_code="esas-r", respondent="patient"
    )
    return {
        "ServiceRequest": f"/fhir/ServiceRequest/{referral.pk}",
        "Task": f"/fhir/Task/{referral.pk}",
        "QuestionnaireResponse": f"/fhir/QuestionnaireResponse/{assessment.pk}",
    }


def _device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Téléphone", confirmed=True)


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _password_only(client, user):
    response = client.post("/compte/connexion/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _assert_refused(response) -> None:
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/fhir+json")
    outcome = response.json()
    assert outcome["resourceType"] == "OperationOutcome"
    assert outcome["issue"][0]["code"] == "security"
    assert "deux étapes" in outcome["issue"][0]["diagnostics"]
    assert "Durand" not in response.content.decode()


@pytest.mark.parametrize("required", [True, False], ids=["2fa-requise", "2fa-facultative"])
@pytest.mark.parametrize("resource", PATIENT_ROUTES)
def test_a_user_with_an_authenticator_must_enter_the_code_before_reading_fhir(
    client, coordinating_nurse, urls, required, resource
):
    device = _device(coordinating_nurse)
    with override_settings(ONCOLIEN_REQUIRE_2FA=required):
        _password_only(client, coordinating_nurse)
        _assert_refused(client.get(urls[resource]))
        # The same rule as the pages and the API.
        assert client.get("/").status_code == 302
        assert client.get("/api/v1/accounts/me").status_code == 403

        assert client.post("/compte/verification/", {"token": _code(device)}).status_code == 302
        response = client.get(urls[resource])
        assert response.status_code == 200
        assert response.json()["resourceType"] == resource


@pytest.mark.parametrize("resource", PATIENT_ROUTES)
def test_a_required_second_factor_not_yet_set_up_blocks_fhir(
    client, coordinating_nurse, urls, resource
):
    with override_settings(ONCOLIEN_REQUIRE_2FA=True):
        _password_only(client, coordinating_nurse)
        _assert_refused(client.get(urls[resource]))


@pytest.mark.parametrize("resource", PATIENT_ROUTES)
def test_without_authenticator_and_with_the_factor_optional_fhir_reads_as_the_pages(
    client, coordinating_nurse, urls, resource
):
    """No second factor is asked of this user anywhere, so none is asked here either."""
    with override_settings(ONCOLIEN_REQUIRE_2FA=False):
        _password_only(client, coordinating_nurse)
        assert client.get("/").status_code == 200
        assert client.get(urls[resource]).status_code == 200


@pytest.mark.parametrize("url", PUBLIC_ROUTES)
def test_the_public_fhir_resources_stay_open_before_the_code(
    client, coordinating_nurse, instruments, url
):
    _device(coordinating_nurse)
    with override_settings(ONCOLIEN_REQUIRE_2FA=False):
        _password_only(client, coordinating_nurse)
        response = client.get(url)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/fhir+json")


def test_an_unknown_fhir_address_still_answers_its_own_outcome(client, coordinating_nurse):
    _device(coordinating_nurse)
    _password_only(client, coordinating_nurse)
    response = client.get("/fhir/Patient/1")
    assert response.status_code == 404
    assert response.json()["resourceType"] == "OperationOutcome"


def test_an_api_token_does_not_open_fhir_patient_data(
    client, coordinating_nurse, nord_aveyron, urls
):
    """Tokens are for /api/v1/ (they stand for a verified session there); FHIR reads
    patient data with the verified session only, so a token gets the anonymous 404."""
    secret = token_create(
        user=coordinating_nurse,
        name="Logiciel",
        scope="read",
        cpts=nord_aveyron,
        lifetime_days=30,
    ).secret
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    assert client.get("/api/v1/accounts/me", **headers).status_code == 200
    for resource in PATIENT_ROUTES:
        response = client.get(urls[resource], **headers)
        assert response.status_code == 404
        assert "Durand" not in response.content.decode()
