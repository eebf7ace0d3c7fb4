"""The provider's link: a signed token naming one referral, valid for a while.

The token is `django.core.signing` (HMAC with SECRET_KEY, a salt of its own, a
timestamp checked against `ONCOLIEN_REFERRAL_LINK_DAYS`, 30 by default). It also
signs the referral's `link_key`, a per-referral nonce: giving the referral a new key
revokes every link sent before. `services` does so when the referral ends without
care (cancelled, declined, not honoured) and when the care team revokes the link by
hand; a link of a closed pathway is refused here whatever its key. Nothing about the
patient is in the token, only the referral's id.

A refused link says why in French, never names the patient, and says whom to
contact: the CPTS of the referral when the token is authentic (it was sent to the
person holding it), nobody in particular when it is not.
"""

import secrets

from django.conf import settings
from django.core import signing
from django.urls import reverse

from oncolien.pathways.models import PathwayStatus
from oncolien.referrals import statuses
from oncolien.referrals.models import Referral

SALT = "oncolien.referrals.provider-link"


class LinkInvalid(Exception):
    """A link that cannot be used; the message is French and names no patient.

    `status` is the HTTP answer: 404 for a token that is not ours (nothing tells
    whether a referral exists), 410 for an authentic link that no longer works.
    `referral` is known for an authentic link only, to audit it and name its CPTS.
    """

    status = 404
    reason = "invalid"

    def __init__(self, message: str, *, referral: Referral | None = None) -> None:
        super().__init__(message)
        self.referral = referral

    @property
    def cpts(self):
        return self.referral.pathway.cpts if self.referral is not None else None


class LinkExpired(LinkInvalid):
    status = 410
    reason = "expired"


class LinkRevoked(LinkInvalid):
    status = 410
    reason = "revoked"


EXPIRED = (
    "Ce lien a expiré. Demandez à l'équipe de coordination de la CPTS de vous renvoyer "
    "l'orientation."
)
REVOKED = (
    "Cette orientation a été annulée, refusée ou close, ou le lien a été révoqué par "
    "l'équipe de coordination. Si vous devez encore y répondre, demandez-lui un nouveau lien."
)
INVALID = (
    "Ce lien n'est pas valide. Vérifiez qu'il a été copié en entier, ou contactez "
    "l'équipe de coordination de la CPTS."
)


def max_age_seconds() -> int:
    return settings.ONCOLIEN_REFERRAL_LINK_DAYS * 24 * 3600


def token_for(referral: Referral) -> str:
    return signing.dumps([referral.pk, referral.link_key], salt=SALT, compress=True)


def link_for(referral: Referral, *, request=None) -> str:
    """The link's path, or its absolute URL when `request` is given (for e-mails)."""
    path = reverse("referrals:provider_link", kwargs={"token": token_for(referral)})
    return request.build_absolute_uri(path) if request is not None else path


def link_opens(referral: Referral) -> bool:
    """Whether the referral's link still opens (its key aside): see statuses.LINK_OPENS."""
    return (
        referral.status in statuses.LINK_OPENS and referral.pathway.status != PathwayStatus.CLOSED
    )


def shows_patient(referral: Referral) -> bool:
    """Whether the provider's page may show the patient: only while care is awaited."""
    return (
        referral.status in statuses.LINK_SHOWS_PATIENT
        and referral.pathway.status != PathwayStatus.CLOSED
    )


def _referral(pk: object) -> Referral | None:
    if not isinstance(pk, int):
        return None
    return (
        Referral.objects.select_related(
            "pathway__patient__commune",
            "pathway__cpts",
            "care_type",
            "service__organization",
            "created_by",
        )
        .filter(pk=pk)
        .first()
    )


def check_still_valid(referral: Referral, key: str) -> None:
    """LinkRevoked unless `key` is the referral's current one and the link still opens."""
    if not secrets.compare_digest(str(key), referral.link_key) or not link_opens(referral):
        raise LinkRevoked(REVOKED, referral=referral)


def referral_from_token(token: str) -> Referral:
    try:
        pk, key = signing.loads(token, salt=SALT, max_age=max_age_seconds())
    except signing.SignatureExpired:
        # Authentic but too old: read it again without the age limit, only to say
        # which CPTS to ask.
        pk, _key = signing.loads(token, salt=SALT)
        raise LinkExpired(EXPIRED, referral=_referral(pk)) from None
    except (signing.BadSignature, ValueError, TypeError):
        raise LinkInvalid(INVALID) from None
    referral = _referral(pk)
    if referral is None:
        # An authentic link whose referral was erased with its pathway.
        raise LinkRevoked(REVOKED)
    check_still_valid(referral, key)
    return referral
