"""No live link token and no phone number or address in the server's log (issue 13).

The finding: with the default backends (no SMS gateway, no mail server), a patient's
one-time questionnaire link and phone number were written to the log, and a token
copied from there opened the questionnaire. Every record is captured while a
self-assessment link is sent by e-mail from the page, then opened by the patient, and
while a text message with a link is queued with no gateway.
"""

import logging

import pytest
from django.urls import reverse

from oncolien import settings as project_settings
from oncolien.assessments.models import AccessLink
from oncolien.notifications.models import Delivery, Outcome
from oncolien.notifications.services import EMAIL_NOT_SENT, notify
from oncolien.pathways.tests.factories import make_pathway
from oncolien.web.logs import JsonFormatter, TextFormatter

pytestmark = pytest.mark.django_db

PHONE = "0612345678"
EMAIL = "jeanne.durand@patients.example"


def _everything_logged(caplog, capsys=None) -> str:
    """Each record as the console handler would write it, in both formats, and what
    was printed (Django's console mail backend prints to the standard output)."""
    lines = []
    if capsys is not None:
        captured = capsys.readouterr()
        lines += [captured.out, captured.err]
    for record in caplog.records:
        lines += [JsonFormatter().format(record), TextFormatter().format(record)]
        lines.append(repr(record.__dict__))
    return "\n".join(lines)


def test_a_link_sent_by_email_leaves_no_token_and_no_address_in_the_log(
    settings,
    caplog,
    capsys,
    login,
    coordinating_nurse,
    base_data,
    django_capture_on_commit_callbacks,
):
    # The project's default backend (pytest-django replaces it by locmem in tests).
    settings.EMAIL_BACKEND = project_settings.EMAIL_BACKEND
    caplog.set_level(logging.DEBUG)
    pathway = make_pathway(actor=coordinating_nurse, phone=PHONE)
    with django_capture_on_commit_callbacks(execute=True):
        answer = login(coordinating_nurse).post(
            reverse("assessments:link_new", kwargs={"pathway_pk": pathway.pk}),
            {
                "instrument": "distress-thermometer",
                "respondent": "patient",
                "channel": "email",
                "email": EMAIL,
            },
        )
    assert answer.status_code in (200, 302)
    link = AccessLink.objects.get()
    delivery = Delivery.objects.get(kind="assessment.link")
    # No mail server: the message is recorded as not sent, never « envoyé ».
    assert delivery.outcome == Outcome.NOT_SENT and delivery.sent_at is None
    assert delivery.error == EMAIL_NOT_SENT
    # The token is in the body only, which no line quotes: no link path appears at all.
    logged = _everything_logged(caplog, capsys)
    assert "Votre questionnaire OncoLien" in logged  # the subject is said
    assert "@patients.example" in logged  # and the recipient's domain
    assert EMAIL not in logged and "jeanne.durand" not in logged
    assert PHONE not in logged and "12 34 56 78" not in logged
    assert "/evaluations/lien/" not in logged
    assert link.token_hash not in logged


def test_the_token_of_an_opened_link_is_not_in_the_request_log(
    caplog, client, coordinating_nurse, base_data
):
    from oncolien.assessments.services import link_issue

    pathway = make_pathway(actor=coordinating_nurse)
    issued = link_issue(
        actor=coordinating_nurse,
        pathway=pathway,
        instrument_code="distress-thermometer",
        channel="print",
        build_url=lambda token: f"https://oncolien.test/evaluations/lien/{token}/",
    )
    caplog.set_level(logging.DEBUG)
    url = reverse("assessments:patient_fill", kwargs={"token": issued.token})
    assert client.get(url + "?source=sms").status_code == 200
    client.post(url, {"distress": "6", "action": "save"}, HTTP_X_AUTOSAVE="1")
    requests = [r for r in caplog.records if r.name == "oncolien.requests"]
    assert [r.status for r in requests] == [200, 200]
    assert requests[0].path == "/evaluations/lien/<token>/"
    logged = _everything_logged(caplog)
    assert issued.token not in logged
    assert "source=sms" not in logged


def test_a_text_message_with_no_gateway_logs_neither_the_number_nor_the_link(
    settings, caplog, capsys, base_data, django_capture_on_commit_callbacks
):
    settings.ONCOLIEN_SMS_BACKEND = project_settings.ONCOLIEN_SMS_BACKEND
    caplog.set_level(logging.DEBUG)
    body = "Votre questionnaire : https://oncolien.test/evaluations/lien/SECRET-TOKEN-abcdef123456/"
    with django_capture_on_commit_callbacks(execute=True):
        delivery = notify(channel="sms", to=PHONE, subject="", body=body, kind="assessment.link")
    delivery.refresh_from_db()
    assert delivery.outcome == Outcome.NOT_SENT
    logged = _everything_logged(caplog, capsys)
    assert f"Notification {delivery.pk}" in logged  # the log says which delivery
    assert "SECRET-TOKEN" not in logged and PHONE not in logged and "612345678" not in logged
