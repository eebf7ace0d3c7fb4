"""The one way OncoLien sends a message: `notify`, after commit, each delivery recorded.

`notify` writes a pending Delivery in the caller's transaction and, once that
transaction commits, hands the delivery's id to the task queue (huey); the consumer
sends it (`delivery_attempt`). A change that rolls back never sends a message and
leaves no row. A failed message is retried after each delay of
ONCOLIEN_NOTIFY_RETRY_SECONDS, and every attempt is recorded on the Delivery: pending
while it waits, failed « nouvel essai à HH:MM » while retries remain, then sent or
failed for good. A refused recipient is not retried: another attempt cannot succeed.

The body and the attachments wait in the database (PendingMessage, PendingAttachment),
never in the queue's storage, and are deleted once the message is final: the Delivery
row is the proof that a message left (or did not), not a copy of it. Failures are
recorded and logged, never raised into the request that queued the message. Logs name
the delivery, never its address or its body (the body may hold a link token).
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.utils import timezone

from oncolien.notifications import mail_log, secure_messaging, sms
from oncolien.notifications.models import (
    Channel,
    Delivery,
    Outcome,
    PendingAttachment,
    PendingMessage,
)

if TYPE_CHECKING:
    from oncolien.accounts.models import User

logger = logging.getLogger("oncolien.notifications")

# (filename, content, MIME type), as Django's EmailMessage takes them.
Attachment = tuple[str, bytes, str]

SMS_NOT_SENT = "Aucune passerelle SMS n'est configurée : le SMS n'a pas été envoyé."
EMAIL_NOT_SENT = "Aucun serveur de messagerie n'est configuré : le courriel n'a pas été envoyé."
FAILURE = {
    Channel.EMAIL: "L'envoi du courriel a échoué.",
    Channel.SMS: "L'envoi du SMS a échoué.",
    Channel.MSS: "L'envoi par messagerie sécurisée de santé a échoué.",
}
FAILURE_OTHER = "L'envoi du message a échoué."
QUEUE_DOWN = "La file d'attente des envois est indisponible : le message n'a pas été envoyé."
# Errors another attempt cannot cure: the server refused the address itself.
PERMANENT_ERRORS: tuple[type[Exception], ...] = (smtplib.SMTPRecipientsRefused,)

# What other apps may ask of the secure channel before they choose it.
secure_messaging_configured = secure_messaging.is_configured
is_secure_address = secure_messaging.is_secure_address
validate_secure_address = secure_messaging.validate_secure_address


def sms_available() -> bool:
    """Whether a text message can really leave this installation (a gateway is
    configured). Pages offer SMS only when it is true."""
    return sms.is_configured()


def notify(
    *,
    channel: str,
    to: str,
    subject: str,
    body: str,
    kind: str,
    recipient_user: User | None = None,
    target: models.Model | None = None,
    attachments: Sequence[Attachment] = (),
    link: str = "",
) -> Delivery:
    """Queue one message to one address; it is sent after the caller's transaction commits.

    The returned Delivery is refreshed once the message is handed to the queue. With a
    running consumer it then reads « pending » (the message leaves a moment later);
    callers must not present a pending message as sent. In immediate mode (the tests,
    ONCOLIEN_TASKS_IMMEDIATE) the first attempt has happened by then.
    Channel "app" is a notification shown in OncoLien to `recipient_user` (`to` is
    their name, as shown in the delivery record), with `link` to follow.
    """
    if channel == Channel.APP:
        return _notify_in_app(
            to=to,
            subject=subject,
            kind=kind,
            recipient_user=recipient_user,
            target=target,
            link=link,
        )
    if channel not in (Channel.EMAIL, Channel.SMS, Channel.MSS):
        raise ValueError(f"Canal de notification non pris en charge : {channel!r}")
    if not to.strip():
        raise ValueError("Une notification demande une adresse de destination.")
    # Documents carry health data: they leave only by secure health messaging.
    if attachments and channel != Channel.MSS:
        raise ValueError("Seule la messagerie sécurisée de santé peut porter des pièces jointes.")
    if channel == Channel.MSS and not secure_messaging.is_secure_address(to):
        raise ValueError("Adresse de messagerie sécurisée de santé (MSSanté) attendue.")
    delivery = Delivery.objects.create(
        channel=channel,
        recipient_user=recipient_user,
        recipient_address=to.strip(),
        kind=kind,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        subject=subject,
    )
    PendingMessage.objects.create(delivery=delivery, body=body)
    PendingAttachment.objects.bulk_create(
        PendingAttachment(delivery=delivery, filename=name, content=content, mimetype=mimetype)
        for name, content, mimetype in attachments
    )
    transaction.on_commit(lambda: _enqueue(delivery), robust=True)
    return delivery


def notify_user(
    *,
    user: User,
    subject: str,
    body: str,
    kind: str,
    target: models.Model | None = None,
    link: str = "",
) -> list[Delivery]:
    """Tell an OncoLien user: a notification in OncoLien with `link` to follow, and the
    same by e-mail (`body`, the subject marked « [OncoLien] ») when the account has an
    address. Each is queued and recorded as `notify` does."""
    deliveries = [
        notify(
            channel=Channel.APP,
            recipient_user=user,
            to=user.get_full_name() or user.get_username(),
            subject=subject,
            body="",
            kind=kind,
            target=target,
            link=link,
        )
    ]
    if user.email:
        deliveries.append(
            notify(
                channel=Channel.EMAIL,
                recipient_user=user,
                to=user.email,
                subject=f"[OncoLien] {subject}",
                body=body,
                kind=kind,
                target=target,
            )
        )
    return deliveries


def _notify_in_app(
    *,
    to: str,
    subject: str,
    kind: str,
    recipient_user: User | None,
    target: models.Model | None,
    link: str,
) -> Delivery:
    """An in-app notification: no transport, it is delivered (shown in the recipient's
    « Notifications ») once the caller's transaction commits."""
    if recipient_user is None:
        raise ValueError("Une notification dans OncoLien demande un compte destinataire.")
    if not subject.strip():
        raise ValueError("Une notification dans OncoLien demande un objet.")
    if link and not link.startswith("/"):
        raise ValueError("Le lien d'une notification doit mener à une page d'OncoLien.")
    delivery = Delivery.objects.create(
        channel=Channel.APP,
        recipient_user=recipient_user,
        recipient_address=(to.strip() or recipient_user.get_username())[:254],
        kind=kind,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        subject=subject,
        link=link,
    )

    def deliver() -> None:
        now = timezone.now()
        delivery.outcome, delivery.attempted_at, delivery.sent_at = Outcome.SENT, now, now
        delivery.save(update_fields=["outcome", "attempted_at", "sent_at"])

    transaction.on_commit(deliver, robust=True)
    return delivery


def _enqueue(delivery: Delivery) -> None:
    # The tasks module imports this one; imported here to keep the import one-way.
    from oncolien.notifications import tasks

    try:
        tasks.deliver(delivery.pk)
    except Exception as error:
        # The queue's storage (Redis) is unreachable: say so rather than stay pending.
        with transaction.atomic():
            Delivery.objects.filter(pk=delivery.pk).update(
                outcome=Outcome.FAILED, error=f"{type(error).__name__} : {QUEUE_DOWN}"
            )
            PendingAttachment.objects.filter(delivery_id=delivery.pk).delete()
            PendingMessage.objects.filter(delivery_id=delivery.pk).delete()
        logger.error(
            "Notification %s (%s) non confiée à la file d'attente : %s.",
            delivery.pk,
            delivery.kind,
            type(error).__name__,
        )
    delivery.refresh_from_db(
        fields=["outcome", "error", "attempts", "attempted_at", "sent_at", "next_attempt_at"]
    )


def delivery_attempt(*, delivery_id: int) -> datetime | None:
    """Try once to send a queued message; return when to try again, or None when final.

    Called by the task queue. A delivery already final (sent, not sent, failed for
    good) is left alone, so a task run twice sends once.
    """
    # No transaction around the send: on SQLite it would hold the write lock for as long
    # as the mail server takes to answer.
    delivery = Delivery.objects.filter(pk=delivery_id).first()
    pending = PendingMessage.objects.filter(delivery_id=delivery_id).first()
    if delivery is None or pending is None:
        return None
    attachments = [
        (item.filename, bytes(item.content), item.mimetype)
        for item in PendingAttachment.objects.filter(delivery_id=delivery_id)
    ]
    now = timezone.now()
    delivery.attempted_at = now
    delivery.attempts += 1
    retry_at = None
    try:
        _send(delivery, body=pending.body, attachments=attachments)
    except sms.SmsNotSent:
        delivery.outcome, delivery.error = Outcome.NOT_SENT, SMS_NOT_SENT
        logger.warning(
            "Notification %s (%s) non envoyée : aucune passerelle SMS.", delivery.pk, delivery.kind
        )
    except mail_log.EmailNotSent:
        delivery.outcome, delivery.error = Outcome.NOT_SENT, EMAIL_NOT_SENT
        logger.warning(
            "Notification %s (%s) non envoyée : aucun serveur de messagerie.",
            delivery.pk,
            delivery.kind,
        )
    except secure_messaging.NotConfigured:
        delivery.outcome, delivery.error = Outcome.NOT_SENT, secure_messaging.NOT_CONFIGURED
        logger.warning(
            "Notification %s (%s) non envoyée : aucune messagerie sécurisée.",
            delivery.pk,
            delivery.kind,
        )
    except Exception as error:
        retry_at = _record_failure(delivery, error, now=now)
    else:
        delivery.outcome, delivery.error, delivery.sent_at = Outcome.SENT, "", timezone.now()
    delivery.next_attempt_at = retry_at
    with transaction.atomic():
        delivery.save(
            update_fields=[
                "outcome",
                "error",
                "attempted_at",
                "sent_at",
                "attempts",
                "next_attempt_at",
            ]
        )
        if retry_at is None:
            # Final: the body and the files have nothing left to do here.
            PendingAttachment.objects.filter(delivery_id=delivery_id).delete()
            pending.delete()
    return retry_at


def _record_failure(delivery: Delivery, error: Exception, *, now: datetime) -> datetime | None:
    # Only the exception's class: its text may quote the recipient's address.
    failure = f"{type(error).__name__} : {FAILURE.get(Channel(delivery.channel), FAILURE_OTHER)}"
    delays = settings.ONCOLIEN_NOTIFY_RETRY_SECONDS
    retries_done = delivery.attempts - 1
    delivery.outcome = Outcome.FAILED
    retry_at = None
    if isinstance(error, PERMANENT_ERRORS):
        delivery.error = failure
    elif retries_done < len(delays):
        retry_at = now + timedelta(seconds=delays[retries_done])
        delivery.error = f"{failure} Nouvel essai à {timezone.localtime(retry_at):%H:%M}."
    elif delivery.attempts > 1:
        delivery.error = f"{failure} Abandon après {delivery.attempts} essais."
    else:
        delivery.error = failure
    logger.error(
        "Notification %s (%s, %s) en échec à l'essai %s : %s%s.",
        delivery.pk,
        delivery.kind,
        delivery.channel,
        delivery.attempts,
        type(error).__name__,
        " (nouvel essai prévu)" if retry_at else "",
    )
    return retry_at


def _send(delivery: Delivery, *, body: str, attachments: Sequence[Attachment]) -> None:
    if delivery.channel == Channel.SMS:
        sms.get_backend().send(delivery.recipient_address, body)
        return
    if delivery.channel == Channel.MSS:
        secure_messaging.get_backend().send(
            to=delivery.recipient_address,
            subject=delivery.subject,
            body=body,
            attachments=attachments,
        )
        return
    EmailMessage(subject=delivery.subject, body=body, to=[delivery.recipient_address]).send()


def deliveries_erase(*, targets: dict[str, list[str]]) -> int:
    """Erase the addresses and texts of the messages about `targets` (a patient being
    anonymised): what was sent, when and how stays (the proof, and the indicators'
    counts of questionnaires sent); to whom, and what it said, goes. A body still
    waiting to leave is dropped, its message marked failed."""
    from oncolien.notifications.selectors import deliveries_about

    about = deliveries_about(targets)
    ids = list(about.values_list("pk", flat=True))
    PendingMessage.objects.filter(delivery_id__in=ids).delete()
    PendingAttachment.objects.filter(delivery_id__in=ids).delete()
    Delivery.objects.filter(pk__in=ids, outcome=Outcome.PENDING).update(
        outcome=Outcome.FAILED, next_attempt_at=None
    )
    # An account's in-app notification names no patient; its recipient is a user.
    return Delivery.objects.filter(pk__in=ids).update(
        recipient_address="", subject="", error="", link=""
    )
