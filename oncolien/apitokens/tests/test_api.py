"""`Authorization: Bearer` on the JSON API: a token stands for its owner, within its
CPTS, read-only or not, until it expires or is revoked, and every use is audited."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from oncolien.accounts.models import Membership
from oncolien.apitokens.models import ApiToken
from oncolien.audit.models import AuditEntry
from oncolien.pathways.models import Pathway
from oncolien.pathways.tests.factories import add_to_team, make_pathway

pytestmark = pytest.mark.django_db

JSON = "application/json"


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def intake_body():
    return {
        "cpts": "cpts-nord-aveyron",
        "patient": {
            "last_name": "Fabre",
            "first_name": "Lucie",
            "birth_date": "1961-06-03",
            "sex": "F",
            "commune": "12096",
        },
        "intake_channel": "phone_line",
        "first_contact_on": "2026-11-02",
        "informed_on": "2026-11-02",
    }


@pytest.fixture
def pathway(coordinating_nurse):
    return make_pathway(actor=coordinating_nurse)


def test_a_token_authenticates_as_its_owner_without_a_session(
    client, coordinator, nord_aveyron, make_token
):
    _, secret = make_token(coordinator, nord_aveyron)
    response = client.get("/api/v1/accounts/me", **bearer(secret))
    assert response.status_code == 200, response.content
    assert response.json()["username"] == coordinator.username
    assert "sessionid" not in response.cookies


def test_a_token_reads_its_cpts_pathways_as_the_session_would(
    client, coordinating_nurse, nord_aveyron, pathway, make_token
):
    _, secret = make_token(coordinating_nurse, nord_aveyron)
    detail = client.get(f"/api/v1/pathways/{pathway.pk}", **bearer(secret))
    assert detail.status_code == 200, detail.content
    listed = client.get("/api/v1/pathways/", **bearer(secret)).json()["results"]
    assert pathway.pk in [p["id"] for p in listed]


def test_a_token_of_another_cpts_does_not_reach_this_pathway(
    client, login, coordinating_nurse, sud_tarn, pathway, make_token
):
    """The same nurse, also a member in Sud Tarn: her Sud Tarn token answers 404 for a
    Nord Aveyron pathway, as the outsider's session does, while her session reads it."""
    Membership.objects.create(user=coordinating_nurse, role="coordinating_nurse", cpts=sud_tarn)
    _, secret = make_token(coordinating_nurse, sud_tarn)
    response = Client().get(f"/api/v1/pathways/{pathway.pk}", **bearer(secret))
    assert response.status_code == 404
    assert response.json()["detail"] == "Ressource introuvable."
    listed = Client().get("/api/v1/pathways/", **bearer(secret)).json()["results"]
    assert pathway.pk not in [p["id"] for p in listed]
    denied = AuditEntry.objects.filter(action="access.denied", actor_id=coordinating_nurse.pk)
    assert denied.count() == 1
    assert login(coordinating_nurse).get(f"/api/v1/pathways/{pathway.pk}").status_code == 200


def test_a_care_team_grant_does_not_cross_the_tokens_cpts(
    client, coordinating_nurse, community_nurse, sud_tarn, pathway, make_token
):
    """On the care team of a Nord Aveyron pathway, a community nurse also working in Sud
    Tarn does not reach it with a Sud Tarn token: the token's CPTS bounds the grant too."""
    add_to_team(
        actor=coordinating_nurse, pathway=pathway, user=community_nurse, role="community_nurse"
    )
    Membership.objects.create(user=community_nurse, role="community_nurse", cpts=sud_tarn)
    _, sud_secret = make_token(community_nurse, sud_tarn)
    assert client.get(f"/api/v1/pathways/{pathway.pk}", **bearer(sud_secret)).status_code == 404
    listed = client.get("/api/v1/pathways/", **bearer(sud_secret)).json()["results"]
    assert pathway.pk not in [p["id"] for p in listed]
    _, nord_secret = make_token(community_nurse, pathway.cpts)
    assert client.get(f"/api/v1/pathways/{pathway.pk}", **bearer(nord_secret)).status_code == 200


def test_a_read_only_token_refuses_writes_in_french(
    client, coordinating_nurse, nord_aveyron, make_token
):
    _, secret = make_token(coordinating_nurse, nord_aveyron, scope="read")
    before = Pathway.objects.count()
    response = client.post("/api/v1/pathways/", intake_body(), content_type=JSON, **bearer(secret))
    assert response.status_code == 403
    assert "lecture seule" in response.json()["detail"]
    assert Pathway.objects.count() == before


def test_a_read_write_token_writes_with_no_csrf_token_but_the_session_still_needs_one(
    coordinating_nurse, nord_aveyron, make_token, login
):
    _, secret = make_token(coordinating_nurse, nord_aveyron, scope="write")
    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/api/v1/pathways/", intake_body(), content_type=JSON, **bearer(secret))
    assert response.status_code == 201, response.content
    created = Pathway.objects.get(pk=response.json()["id"])
    assert created.cpts == nord_aveyron

    # The same write by the session cookie, with no CSRF token, is refused.
    session = login(coordinating_nurse)
    strict.cookies = session.cookies
    refused = strict.post("/api/v1/pathways/", intake_body(), content_type=JSON)
    assert refused.status_code == 403


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        ({"expires_at": timezone.now() - timedelta(minutes=1)}, "Ce jeton d'accès a expiré."),
        ({"revoked_at": timezone.now()}, "Ce jeton d'accès a été révoqué."),
    ],
)
def test_an_expired_or_revoked_token_is_refused_401_in_french(
    client, coordinator, nord_aveyron, make_token, spoil, message
):
    token, secret = make_token(coordinator, nord_aveyron)
    ApiToken.objects.filter(pk=token.pk).update(**spoil)
    response = client.get("/api/v1/accounts/me", **bearer(secret))
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"].startswith(message)
    refused = AuditEntry.objects.get(action="api_token.refused")
    assert refused.details["prefix"] == token.prefix


def test_an_unknown_token_is_refused_even_with_a_valid_session(login, coordinator):
    client = login(coordinator)
    response = client.get("/api/v1/accounts/me", **bearer("onco_pas-un-vrai-jeton"))
    assert response.status_code == 401
    assert response.json()["detail"].startswith("Jeton d'accès inconnu.")


def test_revoking_from_the_page_takes_effect_at_once(login, coordinator, nord_aveyron, make_token):
    token, secret = make_token(coordinator, nord_aveyron)
    api = Client()
    assert api.get("/api/v1/accounts/me", **bearer(secret)).status_code == 200
    login(coordinator).post(f"/compte/jetons-api/{token.pk}/revoquer/")
    assert api.get("/api/v1/accounts/me", **bearer(secret)).status_code == 401


def test_every_use_is_audited_with_the_token_prefix_and_route(
    client, coordinating_nurse, nord_aveyron, pathway, make_token
):
    token, secret = make_token(coordinating_nurse, nord_aveyron)
    assert token.last_used_at is None
    route = f"/api/v1/pathways/{pathway.pk}"
    client.get(route, **bearer(secret))
    client.get("/api/v1/accounts/me", **bearer(secret))
    uses = AuditEntry.objects.filter(action="api_token.use").order_by("sequence")
    assert [(u.actor_id, u.details["prefix"], u.details["route"]) for u in uses] == [
        (coordinating_nurse.pk, token.prefix, route),
        (coordinating_nurse.pk, token.prefix, "/api/v1/accounts/me"),
    ]
    assert secret not in str([u.details for u in uses])
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_the_openapi_document_names_the_bearer_scheme(client):
    document = client.get("/api/v1/openapi.json").json()
    schemes = document["components"]["securitySchemes"]
    assert {"type": "http", "scheme": "bearer"}.items() <= schemes["ApiTokenAuth"].items()
    security = document["paths"]["/api/v1/pathways/"]["get"]["security"]
    assert {"ApiTokenAuth": []} in security and {"SessionAuth": []} in security


def test_a_write_retried_with_the_same_idempotency_key_is_done_once(
    client, coordinating_nurse, nord_aveyron, make_token
):
    """An integrator retrying a POST after a lost answer, with its token: one pathway."""
    _, secret = make_token(coordinating_nurse, nord_aveyron, scope="write")
    headers = {**bearer(secret), "HTTP_IDEMPOTENCY_KEY": "6f1c2a9e-0d6b-4c1e-9a55-1b2c3d4e5f60"}
    before = Pathway.objects.count()
    first = client.post("/api/v1/pathways/", intake_body(), content_type=JSON, **headers)
    again = client.post("/api/v1/pathways/", intake_body(), content_type=JSON, **headers)
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert Pathway.objects.count() == before + 1


def test_a_bearer_request_with_an_unverified_session_cookie_still_uses_the_token(
    login, coordinator, nord_aveyron, make_token
):
    """The token stands for a verified session: a stale cookie does not get in its way."""
    _, secret = make_token(coordinator, nord_aveyron)
    client = login(coordinator, verified=False)
    response = client.get("/api/v1/accounts/me", **bearer(secret))
    assert response.status_code == 200, response.content


def test_a_token_stops_when_its_owner_leaves_the_cpts(
    client, coordinator, nord_aveyron, make_token
):
    _, secret = make_token(coordinator, nord_aveyron)
    Membership.objects.filter(user=coordinator, cpts=nord_aveyron).delete()
    response = client.get("/api/v1/accounts/me", **bearer(secret))
    assert response.status_code == 401
    assert response.json()["detail"].startswith("Le compte de ce jeton n'est plus membre")
