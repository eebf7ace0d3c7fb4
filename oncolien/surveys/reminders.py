"""Reminders to the contacts who have not answered, sent by the task queue.

An invitation of a survey open today, not revoked, without a submitted response,
sent at least `reminder_days` ago and last reminded at least `reminder_days` ago
gets one reminder, up to `max_reminders`; never after the closing date. Each
reminder is counted on the invitation in the same transaction as its message, so a
run missed or doubled sends nothing twice.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from oncolien.audit.services import audit_record
from oncolien.surveys.invitations import invitation_new_link, personal_url
from oncolien.surveys.models import Invitation, ResponseStatus, Survey, SurveyStatus
from oncolien.surveys.schedule import closed_reason


def due_invitations(survey: Survey, *, now: datetime) -> list[Invitation]:
    since = now - timedelta(days=survey.reminder_days)
    return list(
        Invitation.objects.filter(
            survey=survey,
            revoked_at__isnull=True,
            sent_at__isnull=False,
            sent_at__lte=since,
            reminders__lt=survey.max_reminders,
        )
        .filter(Q(last_reminded_at__isnull=True) | Q(last_reminded_at__lte=since))
        .exclude(response__status=ResponseStatus.SUBMITTED)
        .select_related("survey", "entry")
        .order_by("pk")
    )


def reminders_send(*, now: datetime | None = None) -> int:
    """Send every reminder due; the number sent."""
    now = now or timezone.now()
    count = 0
    for survey in Survey.objects.filter(status=SurveyStatus.OPEN, max_reminders__gt=0):
        if closed_reason(survey, on=timezone.localdate(now)):
            continue
        for invitation in due_invitations(survey, now=now):
            count += _remind(invitation.pk, now=now)
    return count


@transaction.atomic
def _remind(invitation_pk: int, *, now: datetime) -> int:
    # Taken again under lock: another run may have reminded it a moment ago.
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("survey", "entry")
        .get(pk=invitation_pk)
    )
    survey = invitation.survey
    since = now - timedelta(days=survey.reminder_days)
    if invitation.reminders >= survey.max_reminders or (
        invitation.last_reminded_at is not None and invitation.last_reminded_at > since
    ):
        return 0
    invitation_new_link(
        invitation, personal_url, subject=f"Relance — enquête régionale : {survey.title}"
    )
    invitation.reminders += 1
    invitation.last_reminded_at = now
    invitation.save(update_fields=["reminders", "last_reminded_at"])
    audit_record(
        actor=None,
        action="survey.invitation.remind",
        target=invitation,
        details={"reminder": invitation.reminders},
    )
    return 1
