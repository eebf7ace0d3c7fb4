"""The one way OncoLien sends a message: `notify`, after commit, each delivery recorded.

`notify` writes a pending Delivery in the caller's transaction and sends once that
transaction commits, so that a change that rolls back never sends a message (and
leaves no row). A message that cannot be sent is recorded and logged, never raised
into the request that queued it: by then the caller's change is committed. Logs name
the delivery, never its address or its body (the body may hold a link token).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.core.mail import EmailMessage
from django.db import models, transaction
from django.utils import timezone

from oncolien.notifications import sms
from oncolien.notifications.models import Channel, Delivery, Outcome

if TYPE_CHECKING:
    from oncolien.accounts.models import User

logger = logging.getLogger("oncolien.notifications")

# (filename, content, MIME type), as Django's EmailMessage takes them.
Attachment = tuple[str, bytes, str]

SMS_NOT_SENT = "Aucune passerelle SMS n'est configurée : le SMS n'a pas été envoyé."
FAILURE = {
    Channel.EMAIL: "L'envoi du courriel a échoué.",
    Channel.SMS: "L'envoi du SMS a échoué.",
}


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
    """Queue one message to one address; it is sent when the caller's transaction commits.

    The returned Delivery is updated in place once sent, so a caller outside any
    transaction (or after its block has committed) can read the outcome from it.
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
    if channel not in (Channel.EMAIL, Channel.SMS):
        raise ValueError(f"Canal de notification non pris en charge : {channel!r}")
    if not to.strip():
        raise ValueError("Une notification demande une adresse de destination.")
    if attachments and channel != Channel.EMAIL:
        raise ValueError("Seul un courriel peut porter des pièces jointes.")
    delivery = Delivery.objects.create(
        channel=channel,
        recipient_user=recipient_user,
        recipient_address=to.strip(),
        kind=kind,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        subject=subject,
    )
    files = tuple(attachments)
    transaction.on_commit(lambda: _deliver(delivery, body=body, attachments=files), robust=True)
    return delivery


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


def _deliver(delivery: Delivery, *, body: str, attachments: Sequence[Attachment]) -> None:
    delivery.attempted_at = timezone.now()
    try:
        _send(delivery, body=body, attachments=attachments)
    except sms.SmsNotSent:
        delivery.outcome, delivery.error = Outcome.NOT_SENT, SMS_NOT_SENT
        logger.warning(
            "Notification %s (%s) non envoyée : aucune passerelle SMS.", delivery.pk, delivery.kind
        )
    except Exception as error:
        # Only the exception's class: its text may quote the recipient's address.
        delivery.outcome = Outcome.FAILED
        delivery.error = f"{type(error).__name__} : {FAILURE[Channel(delivery.channel)]}"
        logger.error(
            "Notification %s (%s, %s) en échec : %s.",
            delivery.pk,
            delivery.kind,
            delivery.channel,
            type(error).__name__,
        )
    else:
        delivery.outcome, delivery.sent_at = Outcome.SENT, timezone.now()
    delivery.save(update_fields=["outcome", "error", "attempted_at", "sent_at"])


def _send(delivery: Delivery, *, body: str, attachments: Sequence[Attachment]) -> None:
    if delivery.channel == Channel.SMS:
        sms.get_backend().send(delivery.recipient_address, body)
        return
    message = EmailMessage(subject=delivery.subject, body=body, to=[delivery.recipient_address])
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    message.send()
