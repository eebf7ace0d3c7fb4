"""Reminders by the task queue: to those who have not answered, counted, stopped at
the maximum and after the closing date; each e-mail through the notifications layer."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from oncolien.notifications.models import Delivery
from oncolien.surveys.invitations import REMINDER_KIND, hash_token
from oncolien.surveys.models import Response, SurveyStatus
from oncolien.surveys.reminders import reminders_send
from oncolien.surveys.tasks import send_reminders
from oncolien.surveys.tests import responding_fixtures
from oncolien.surveys.tests.responding_fixtures import invite

pytestmark = pytest.mark.django_db
register = responding_fixtures.register
survey = responding_fixtures.survey

DAY = timedelta(days=1)


def sent_days_ago(invitation, days):
    invitation.sent_at = timezone.now() - days * DAY
    invitation.save()
    return invitation


def answer(invitation, *, submitted=True):
    Response.objects.create(
        survey=invitation.survey,
        version=invitation.survey.versions.get(),
        invitation=invitation,
        entry=invitation.entry,
        source="invitation",
        status="submitted" if submitted else "in_progress",
        submitted_at=timezone.now() if submitted else None,
    )


def test_reminders_go_to_those_who_have_not_answered(survey, django_capture_on_commit_callbacks):
    waiting, _ = invite(survey, email="waiting@cpts.test")
    started, _ = invite(survey, email="started@cpts.test")
    answered, _ = invite(survey, email="answered@cpts.test")
    recent, _ = invite(survey, email="recent@cpts.test")
    revoked, _ = invite(survey, email="revoked@cpts.test")
    for invitation in (waiting, started, answered, revoked):
        sent_days_ago(invitation, 8)
    sent_days_ago(recent, 3)
    revoked.revoked_at = timezone.now()
    revoked.save()
    answer(answered)
    answer(started, submitted=False)

    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["started@cpts.test", "waiting@cpts.test"]
    waiting.refresh_from_db()
    assert waiting.reminders == 1 and waiting.last_reminded_at is not None
    assert Delivery.objects.filter(kind=REMINDER_KIND, outcome="sent").count() == 2
    # The reminder's link replaces the first one and reopens the response begun.
    started.refresh_from_db()
    message = next(m for m in mail.outbox if m.to == ["started@cpts.test"])
    token = re.search(r"/enquetes/r/(\S+)/", message.body).group(1)
    assert started.token_hash == hash_token(token)


def test_the_reminder_link_replaces_the_first_and_keeps_the_answers(
    client, survey, django_capture_on_commit_callbacks
):
    invitation, first_token = invite(survey)
    client.post(reverse("surveys:r_start", args=[first_token]))
    client.post(
        reverse("surveys:r_section", args=[first_token, 0]),
        {"q-connait_sos": "non", "action": "later"},
    )
    sent_days_ago(invitation, 8)
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send()
    (message,) = mail.outbox
    assert "remplace celui du message précédent" in message.body
    token = re.search(r"/enquetes/r/(\S+)/", message.body).group(1)
    assert client.get(reverse("surveys:r_start", args=[first_token])).status_code == 404
    page = client.get(reverse("surveys:r_section", args=[token, 0])).content.decode()
    assert 'value="non" checked' in page


def test_a_second_run_the_same_day_sends_nothing(survey, django_capture_on_commit_callbacks):
    sent_days_ago(invite(survey)[0], 8)
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send() == 1
        assert reminders_send() == 0
    assert len(mail.outbox) == 1


def test_reminders_stop_at_the_maximum(survey, django_capture_on_commit_callbacks):
    invitation = sent_days_ago(invite(survey)[0], 30)
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        counts = [reminders_send(now=now + days * DAY) for days in (0, 3, 7, 14, 21)]
    # Every 7 days, 2 at most (the survey's defaults).
    assert counts == [1, 0, 1, 0, 0]
    invitation.refresh_from_db()
    assert invitation.reminders == 2
    assert len(mail.outbox) == 2


def test_no_reminder_after_the_closing_date(survey):
    sent_days_ago(invite(survey)[0], 8)
    survey.closes_on = timezone.localdate() - DAY
    survey.save()
    assert reminders_send() == 0
    survey.closes_on = timezone.localdate() + DAY
    survey.status = SurveyStatus.CLOSED
    survey.save()
    assert reminders_send() == 0
    assert not Delivery.objects.exists()


def test_the_periodic_task_sends_them(survey, django_capture_on_commit_callbacks):
    sent_days_ago(invite(survey)[0], 8)
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders.call_local()
    assert len(mail.outbox) == 1
    assert "Relance" in mail.outbox[0].subject


def test_the_distribution_page_counts_the_reminders(
    login, regional, survey, django_capture_on_commit_callbacks
):
    sent_days_ago(invite(survey)[0], 8)
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send()
    page = login(regional).get(reverse("surveys:distribution", args=[survey.pk])).content.decode()
    assert "(relance)" in page
    assert "<td>1 (dernière le" in page
