from django.db.models import QuerySet

from oncolien.accounts.models import Membership


def cpts_members(*, cpts) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(cpts=cpts, user__is_active=True)
        .select_related("user")
        .order_by("role", "user__last_name", "user__first_name")
    )
