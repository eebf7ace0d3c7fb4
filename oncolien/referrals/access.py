"""Who may answer a referral with an account: the permission "referral.respond".

Choice (kept simple, documented here): a user with the provider role acts for the
organisations of the directory whose e-mail address is the one of their account,
within the CPTS that lists the organisation (their membership's CPTS). They see
only what the signed link shows (`provider_view.ProviderView`), never the pathway.
"""

from oncolien.accounts.authorization import Rule, register_permission
from oncolien.accounts.models import Role

REFERRAL_RESPOND = "referral.respond"


def provides_the_service(user, referral) -> bool:
    service = getattr(referral, "service", None)
    email = (getattr(user, "email", "") or "").strip().lower()
    if service is None or not email:
        return False
    organization = service.organization
    if organization.email.strip().lower() != email:
        return False
    return user.memberships.filter(role=Role.PROVIDER, cpts_id=organization.cpts_id).exists()


def register() -> None:
    register_permission(
        REFERRAL_RESPOND,
        Rule(
            also=provides_the_service,
            patient_data=True,
            description="Répondre à une orientation adressée à sa structure",
        ),
    )
