"""Reads of a person's in-app notifications: only their own, newest first."""

from django.db.models import QuerySet
from django.utils import timezone

from oncolien.accounts.models import User
from oncolien.notifications.models import Channel, Delivery, Outcome

INBOX_SIZE = 100


def _own(user: User) -> QuerySet[Delivery]:
    # Only delivered notifications: a pending one belongs to a change not yet committed.
    return Delivery.objects.filter(recipient_user=user, channel=Channel.APP, outcome=Outcome.SENT)


def inbox_for(*, user: User) -> list[Delivery]:
    return list(_own(user).order_by("-created_at", "-pk")[:INBOX_SIZE])


def unread_count_for(*, user: User) -> int:
    return _own(user).filter(read_at__isnull=True).count()


def notification_open(*, user: User, pk: int) -> Delivery | None:
    """The user's own notification, marked read; None when it is not theirs."""
    delivery = _own(user).filter(pk=pk).first()
    if delivery is not None and delivery.read_at is None:
        delivery.read_at = timezone.now()
        delivery.save(update_fields=["read_at"])
    return delivery


def mark_all_read(*, user: User) -> int:
    return _own(user).filter(read_at__isnull=True).update(read_at=timezone.now())
