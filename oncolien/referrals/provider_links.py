"""The provider's link: a signed token naming one referral, valid for a while.

The token is `django.core.signing` (HMAC with SECRET_KEY, a salt of its own, a
timestamp checked against `ONCOLIEN_REFERRAL_LINK_DAYS`, 30 by default). It also
signs the referral's `link_key`: giving the referral a new key revokes every link
sent before. Nothing about the patient is in the token, only the referral's id.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from oncolien.referrals.models import Referral

SALT = "oncolien.referrals.provider-link"


class LinkInvalid(Exception):
    """A link that cannot be used; the message is French and names no patient."""


def max_age_seconds() -> int:
    return settings.ONCOLIEN_REFERRAL_LINK_DAYS * 24 * 3600


def token_for(referral: Referral) -> str:
    return signing.dumps([referral.pk, referral.link_key], salt=SALT, compress=True)


def link_for(referral: Referral, *, request=None) -> str:
    """The link's path, or its absolute URL when `request` is given (for e-mails)."""
    path = reverse("referrals:provider_link", kwargs={"token": token_for(referral)})
    return request.build_absolute_uri(path) if request is not None else path


def referral_from_token(token: str) -> Referral:
    try:
        pk, key = signing.loads(token, salt=SALT, max_age=max_age_seconds())
    except signing.SignatureExpired:
        raise LinkInvalid(
            "Ce lien a expiré. Demandez à l'équipe de coordination de la CPTS de vous "
            "renvoyer l'orientation."
        ) from None
    except (signing.BadSignature, ValueError, TypeError):
        raise LinkInvalid(
            "Ce lien n'est pas valide. Vérifiez qu'il a été copié en entier, ou contactez "
            "l'équipe de coordination de la CPTS."
        ) from None
    referral = (
        Referral.objects.select_related(
            "pathway__patient__commune",
            "pathway__cpts",
            "care_type",
            "service__organization",
            "created_by",
        )
        .filter(pk=pk, link_key=key)
        .first()
    )
    if referral is None:
        raise LinkInvalid(
            "Ce lien n'est plus valable : l'orientation a été retirée ou renvoyée avec un "
            "nouveau lien."
        )
    return referral
