from django.db.models import QuerySet

from oncolien.accounts.models import User
from oncolien.apitokens.models import ApiToken


def tokens_of(*, user: User) -> QuerySet[ApiToken]:
    """The user's own tokens, newest first (revoked and expired ones included)."""
    return ApiToken.objects.filter(user=user).select_related("cpts")
