"""Reads of notifications: the deliveries of one object, for the pages that show them.

The caller has already authorised the target (a pathway's report, a referral…): a
delivery tells who was written to about it, so it is shown only beside it.
"""

from __future__ import annotations

from django.db import models
from django.db.models import QuerySet

from oncolien.notifications.models import Delivery


def deliveries_for(target: models.Model) -> QuerySet[Delivery]:
    """The messages sent about `target`, newest first, with their recipient's account."""
    return Delivery.objects.filter(
        target_type=target._meta.label_lower, target_id=str(target.pk)
    ).select_related("recipient_user")


def deliveries_about(targets: dict[str, list[str]]) -> QuerySet[Delivery]:
    """The messages about any of `targets` ({model label: [primary keys as text]}), in
    order: the export of a patient's data (the caller authorised those objects)."""
    condition = models.Q(pk__in=[])
    for target_type, ids in targets.items():
        condition |= models.Q(target_type=target_type, target_id__in=ids)
    return Delivery.objects.filter(condition).order_by("created_at", "pk")
