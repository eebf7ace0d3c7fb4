"""Who may answer a referral with an account: the permission "referral.respond".

Choice (kept simple, documented here): a user with the provider role acts for the
organisations of the directory whose e-mail address is the one of their account,
within the CPTS that lists the organisation (their membership's CPTS). They see
only what the signed link shows (`provider_view.ProviderView`), never the pathway.
"""

from django.db.models import Q

from oncolien.accounts.authorization import NOTHING, Rule, memberships_of, register_permission
from oncolien.accounts.models import Role, User

REFERRAL_RESPOND = "referral.respond"
# The inbox of referrals received: the page lists only the referrals the user may
# answer (`REFERRAL_RESPOND`), so it is open to anyone signed in; the permission says
# whose work it is, for the links that lead there.
REFERRAL_INBOX = "referral.inbox"


def provides_the_service(user: User) -> Q:
    """The referrals to a directory service of an organisation whose e-mail is the
    user's, listed by a CPTS where the user holds the provider role."""
    email = (user.email or "").strip()
    cpts_ids = sorted(
        {
            m.cpts_id
            for m in memberships_of(user)
            if m.role == Role.PROVIDER and m.cpts_id is not None
        }
    )
    if not email or not cpts_ids:
        return NOTHING
    return Q(
        service__organization__email__iexact=email,
        service__organization__cpts_id__in=cpts_ids,
    )


def register() -> None:
    register_permission(
        REFERRAL_INBOX,
        Rule(
            cpts_roles=frozenset({Role.PROVIDER}),
            patient_data=True,
            description="Voir les orientations reçues par sa structure",
        ),
    )
    register_permission(
        REFERRAL_RESPOND,
        Rule(
            grant=provides_the_service,
            model="referrals.referral",
            patient_data=True,
            description="Répondre à une orientation adressée à sa structure",
        ),
    )
