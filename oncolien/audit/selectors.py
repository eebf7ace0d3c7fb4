"""Reads of the audit trail: the entries about given objects (a patient's data)."""

from django.db.models import Q, QuerySet

from oncolien.audit.models import AuditEntry


def entries_about(*, targets: dict[str, list[str]], pathway_ids: list[int]) -> QuerySet[AuditEntry]:
    """The entries whose object is one of `targets` ({model label: [primary keys as
    text]}) or whose details name one of `pathway_ids` (« pathway », « pathway_id »),
    in chain order. Lists that showed the pathway among others are not included: the
    trail has no index on their details."""
    condition = Q(pk__in=[])
    for target_type, ids in targets.items():
        condition |= Q(target_type=target_type, target_id__in=ids)
    if pathway_ids:
        condition |= Q(details__pathway__in=pathway_ids) | Q(details__pathway_id__in=pathway_ids)
    return AuditEntry.objects.filter(condition).order_by("sequence")
