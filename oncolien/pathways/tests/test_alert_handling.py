"""An alert reaches a person, only the responsible person closes it, the nurse who
recorded the sheet adds what she did, and the page says what really happened."""

import json

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from oncolien.notifications.models import Delivery
from oncolien.pathways.models import Alert, AlertComment, AlertProtocol
from oncolien.pathways.services import alert_acknowledge, alert_comment_add, monitoring_record_add
from oncolien.pathways.tests.factories import add_to_team, form_token, make_pathway

pytestmark = pytest.mark.django_db

API = "/api/v1/pathways"


def _post_sheet(client, pathway, **values):
    """The sheet form as a browser sends it: with the one-time token of the form shown."""
    url = reverse("pathways:record_add", kwargs={"pk": pathway.pk})
    token = form_token(client.get(url).content.decode())
    return client.post(url, {**_sheet(**values), "form_token": token}, follow=True)


def _sheet(**values):
    return {
        "recorded_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "vomiting": "none",
        "venous_access": "none",
        **values,
    }


@pytest.fixture
def followed(coordinating_nurse, community_nurse):
    pathway = make_pathway(actor=coordinating_nurse)
    add_to_team(
        actor=coordinating_nurse, pathway=pathway, user=community_nurse, role="community_nurse"
    )
    return pathway


def _fever(pathway, actor, temperature="38.6"):
    return monitoring_record_add(
        actor=actor, pathway=pathway, values={"temperature_c": temperature}
    )


# --- The alert reaches a person -------------------------------------------------------


def test_a_fever_notifies_the_coordinating_nurse_in_app_and_by_email_without_names(
    followed, coordinating_nurse, community_nurse, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        alert = _fever(followed, community_nurse).alerts.get()
    deliveries = Delivery.objects.filter(target_type="pathways.alert", target_id=str(alert.pk))
    assert sorted(deliveries.values_list("channel", "recipient_user", "outcome")) == [
        ("app", coordinating_nurse.pk, "sent"),
        ("email", coordinating_nurse.pk, "sent"),
    ]
    app = deliveries.get(channel="app")
    assert app.link == f"/parcours/{followed.pk}/#alerte-{alert.pk}"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [coordinating_nurse.email]
    text = message.subject + message.body
    assert "Élevée".lower() in text.lower()
    assert "CPTS Nord Aveyron" in text
    assert f"/parcours/{followed.pk}/" in text
    for nominative in ("Martin", "Jeanne", "1958", "12/04", "38,6", "38.6"):
        assert nominative not in text


def test_without_a_coordinating_nurse_on_the_team_the_cpts_coordinators_are_notified(
    coordinator, community_nurse, django_capture_on_commit_callbacks
):
    pathway = make_pathway(actor=coordinator)
    add_to_team(actor=coordinator, pathway=pathway, user=community_nurse, role="community_nurse")
    with django_capture_on_commit_callbacks(execute=True):
        alert = _fever(pathway, community_nurse).alerts.get()
    assert set(
        Delivery.objects.filter(target_id=str(alert.pk), kind="alert.raised").values_list(
            "channel", "recipient_user"
        )
    ) == {("app", coordinator.pk), ("email", coordinator.pk)}


def test_the_nurse_is_told_who_was_notified_not_a_lie(
    followed, coordinating_nurse, community_nurse, login
):
    response = _post_sheet(login(community_nurse), followed, temperature_c="38,6")
    page = response.content.decode()
    assert "transmise à l&#x27;infirmière de coordination" not in page
    name = coordinating_nurse.get_full_name()
    # Here the test's transaction never commits, so the e-mail is still queued; the
    # browser test sees it sent.
    assert f"Alerte signalée à {name} (notification dans OncoLien et courriel en cours" in page


def test_the_nurse_is_told_plainly_when_nobody_could_be_notified(
    followed, coordinating_nurse, community_nurse, login, nord_aveyron
):
    # Nobody holds a role that receives alerts: the coordinating nurse left the team
    # and the CPTS has no coordinator in this test.
    followed.care_team.filter(user=coordinating_nurse).update(active=False)
    response = _post_sheet(login(community_nurse), followed, temperature_c="38,6")
    page = response.content.decode()
    assert "Personne n&#x27;a pu être prévenu" in page
    assert not Delivery.objects.filter(kind="alert.raised").exists()


# --- Only the responsible person acknowledges -------------------------------------------


def test_the_community_nurse_who_recorded_the_sheet_cannot_acknowledge(followed, community_nurse):
    alert = _fever(followed, community_nurse).alerts.get()
    with pytest.raises(PermissionDenied):
        alert_acknowledge(actor=community_nurse, alert=alert, comment="J'ai appelé.")
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_the_community_nurse_comments_and_the_alert_stays_open_for_the_coordinating_nurse(
    followed, coordinating_nurse, community_nurse, login
):
    alert = _fever(followed, community_nurse).alerts.get()
    client = login(community_nurse)
    refused = client.post(
        reverse("pathways:alert_acknowledge", kwargs={"alert_pk": alert.pk}),
        {"comment": "Vu"},
    )
    assert refused.status_code == 404
    response = client.post(
        reverse("pathways:alert_comment", kwargs={"alert_pk": alert.pk}),
        {"text": "Appel à l'hôpital de jour à 10 h"},
        follow=True,
    )
    assert "Commentaire ajouté" in response.content.decode()
    alert.refresh_from_db()
    assert alert.acknowledged_at is None
    assert alert.comments.get().author == community_nurse
    worklist = login(coordinating_nurse).get(reverse("pathways:worklist")).content.decode()
    assert "Appel à l&#x27;hôpital de jour à 10 h" in worklist
    assert "Prendre en compte" in worklist
    detail = login(coordinating_nurse).get(
        reverse("pathways:pathway_detail", kwargs={"pk": followed.pk})
    )
    assert "Appel à l&#x27;hôpital de jour à 10 h" in detail.content.decode()


def test_an_empty_comment_is_refused_in_french(followed, community_nurse):
    alert = _fever(followed, community_nurse).alerts.get()
    with pytest.raises(ValidationError) as error:
        alert_comment_add(actor=community_nurse, alert=alert, text="   ")
    assert "Écrivez" in str(error.value)
    assert not AlertComment.objects.exists()


def test_the_api_refuses_the_community_nurses_acknowledgement_as_it_refuses_others(
    followed, community_nurse, login
):
    alert = _fever(followed, community_nurse).alerts.get()
    response = login(community_nurse).post(
        f"{API}/alerts/{alert.pk}/acknowledge",
        json.dumps({"comment": "Vu"}),
        content_type="application/json",
    )
    assert response.status_code == 404
    assert response.json() == {"detail": "Ressource introuvable.", "errors": []} or (
        response.json()["detail"] == "Ressource introuvable."
    )
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_a_cpts_protocol_can_let_the_gp_acknowledge_and_not_the_coordinators(
    coordinator, physician, community_nurse, nord_aveyron
):
    pathway = make_pathway(actor=coordinator)
    add_to_team(actor=coordinator, pathway=pathway, user=physician, role="gp")
    add_to_team(actor=coordinator, pathway=pathway, user=community_nurse, role="community_nurse")
    AlertProtocol.objects.create(cpts=nord_aveyron, acknowledging_roles=["team_gp"])
    alert = _fever(pathway, community_nurse).alerts.get()
    with pytest.raises(PermissionDenied):
        alert_acknowledge(actor=coordinator, alert=alert, comment="Vu")
    alert_acknowledge(actor=physician, alert=alert, comment="Patiente vue au cabinet.")
    assert Alert.objects.get(pk=alert.pk).acknowledged_by == physician


# --- Header count ---------------------------------------------------------------------------


def test_the_header_counts_the_open_alerts_on_the_users_patients(
    followed, coordinating_nurse, community_nurse, outsider, login
):
    _fever(followed, community_nurse)
    monitoring_record_add(actor=community_nurse, pathway=followed, values={"saturation_pct": "88"})
    home = reverse("web:home")
    assert "Alertes ouvertes (2)" in login(coordinating_nurse).get(home).content.decode()
    # The nurse who recorded them sees the same total as her worklist, though she may
    # only comment; another CPTS sees none of them.
    assert "Alertes ouvertes (2)" in login(community_nurse).get(home).content.decode()
    assert "Alertes ouvertes (0)" in login(outsider).get(home).content.decode()


def test_the_api_takes_the_community_nurses_comment_and_leaves_the_alert_open(
    followed, community_nurse, login
):
    alert = _fever(followed, community_nurse).alerts.get()
    client = login(community_nurse)
    url = f"{API}/alerts/{alert.pk}/comments"
    empty = client.post(url, json.dumps({"text": " "}), content_type="application/json")
    assert empty.status_code == 422
    assert (
        empty.json()["errors"][0]["message"] == "Écrivez ce que vous avez fait pour cette alerte."
    )
    response = client.post(
        url, json.dumps({"text": "Appel à l'HDJ à 10 h"}), content_type="application/json"
    )
    assert response.status_code == 201 and response.json()["text"] == "Appel à l'HDJ à 10 h"
    alert.refresh_from_db()
    assert alert.acknowledged_at is None and alert.comments.count() == 1


def test_the_escalation_email_gives_the_time_in_paris(
    followed, coordinator, community_nurse, django_capture_on_commit_callbacks
):
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from oncolien.pathways.services import alerts_escalate

    alert = _fever(followed, community_nurse).alerts.get()
    raised = datetime(2026, 12, 1, 8, 5, tzinfo=ZoneInfo("UTC"))
    Alert.objects.filter(pk=alert.pk).update(raised_at=raised)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        alerts_escalate(now=raised + timedelta(hours=5))
    (message,) = [m for m in mail.outbox if "non prise en compte" in m.subject]
    assert "01/12/2026 09:05" in message.body


def test_who_may_acknowledge_costs_the_same_whatever_the_number_of_care_teams(
    coordinating_nurse,
):
    """A coordinating nurse on thousands of care teams: the acknowledge rule stays a few
    small queries (her teams are a subquery), not one parameter per pathway."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from oncolien.accounts.authorization import visible
    from oncolien.pathways.access import ALERT_ACKNOWLEDGE

    def asked() -> tuple[list[int], int, int]:
        with CaptureQueriesContext(connection) as queries:
            shown = list(
                visible(coordinating_nurse, ALERT_ACKNOWLEDGE, Alert.objects.order_by("pk"))
            )
        sql = [q["sql"] for q in queries.captured_queries]
        return [a.pk for a in shown], len(sql), sum(len(s) for s in sql)

    alert = _fever(make_pathway(actor=coordinating_nurse), coordinating_nurse).alerts.get()
    shown, queries, length = asked()
    assert shown == [alert.pk]
    for index in range(12):
        make_pathway(actor=coordinating_nurse, last_name=f"Patient{index}")

    assert asked() == (shown, queries, length)
