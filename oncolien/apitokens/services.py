"""Creating, revoking and checking personal API tokens.

A token is `onco_` followed by 43 URL-safe characters (256 random bits from
`secrets`). Only its SHA-256 is stored, as the key it is looked up by: with that
much entropy a salt or a slow hash adds nothing (no dictionary to guess from), and
a plain digest does not tie the tokens to SECRET_KEY, whose rotation would
otherwise void them all.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from oncolien.accounts.models import Membership, User
from oncolien.apitokens.models import ApiToken, Scope
from oncolien.audit.services import audit_record
from oncolien.territories.models import Cpts

TOKEN_PREFIX = "onco_"  # noqa: S105 - a public marker that tells OncoLien tokens apart, not a secret
# What the owner sees of a token once it is created: enough to tell tokens apart.
SHOWN_CHARACTERS = len(TOKEN_PREFIX) + 8
MAX_LIFETIME_DAYS = 90
DEFAULT_LIFETIME_DAYS = 30
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def lookup_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def cpts_choices_for(*, user: User) -> list[Cpts]:
    """The CPTS a token of `user` may be limited to: those of the user's memberships."""
    return list(Cpts.objects.filter(memberships__user=user).distinct().order_by("name"))


@dataclass(frozen=True)
class CreatedToken:
    token: ApiToken
    # The secret, for the page that shows it once; it is stored nowhere.
    secret: str


@transaction.atomic
def token_create(
    *, user: User, name: str, scope: str, cpts: Cpts, lifetime_days: int
) -> CreatedToken:
    """A new token of `user`. The caller has checked that the session is verified by
    the second factor; this checks the values, and changes nothing when one is wrong."""
    errors: dict[str, str] = {}
    name = name.strip()
    if not name:
        errors["name"] = "Donnez un nom au jeton (par exemple, le logiciel qui l'utilisera)."
    elif len(name) > 100:
        errors["name"] = "Le nom du jeton ne peut pas dépasser 100 caractères."
    if scope not in Scope.values:
        errors["scope"] = "Choisissez « Lecture seule » ou « Lecture et écriture »."
    if cpts not in cpts_choices_for(user=user):
        errors["cpts"] = "Vous ne pouvez créer un jeton que pour une CPTS dont vous êtes membre."
    if not 1 <= lifetime_days <= MAX_LIFETIME_DAYS:
        errors["lifetime_days"] = (
            f"La durée de validité doit être comprise entre 1 et {MAX_LIFETIME_DAYS} jours."
        )
    if errors:
        raise ValidationError(errors)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        cpts=cpts,
        name=name,
        scope=scope,
        prefix=secret[:SHOWN_CHARACTERS],
        lookup_hash=lookup_hash(secret),
        created_at=now,
        expires_at=now + timedelta(days=lifetime_days),
    )
    audit_record(
        actor=user,
        action="api_token.create",
        target=token,
        details={"prefix": token.prefix, "scope": scope, "cpts": cpts.slug},
    )
    return CreatedToken(token=token, secret=secret)


@transaction.atomic
def token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """Revoke one of the actor's own tokens; effective for the next request."""
    if token.user_id != actor.pk:
        raise ValidationError("Ce jeton n'est pas le vôtre.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor, action="api_token.revoke", target=token, details={"prefix": token.prefix}
        )
    return token


class TokenRefused(Exception):
    """The token cannot be used; `message` says why, in French. 401 when the token
    does not authenticate, 403 when it does but may not do this."""

    def __init__(self, message: str, status: int = 401) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


UNKNOWN = "Jeton d'accès inconnu. Vérifiez l'en-tête « Authorization: Bearer <jeton> »."
EXPIRED = "Ce jeton d'accès a expiré. Créez-en un nouveau depuis votre compte."
REVOKED = "Ce jeton d'accès a été révoqué."
DISABLED = "Le compte de ce jeton d'accès est désactivé."
LEFT_CPTS = (
    "Le compte de ce jeton n'est plus membre de sa CPTS : le jeton ne donne plus accès à rien."
)
READ_ONLY = (
    "Ce jeton d'accès est en lecture seule : il ne permet pas de modifier des données. "
    "Créez un jeton « Lecture et écriture » pour cela."
)


def token_use(*, secret: str, method: str, route: str) -> ApiToken:
    """The token whose secret this is, once checked and its use written to the audit
    trail (who, which token, which route); raises TokenRefused otherwise."""
    token = (
        ApiToken.objects.select_related("user", "cpts")
        .filter(lookup_hash=lookup_hash(secret.strip()))
        .first()
    )
    if token is None:
        raise TokenRefused(UNKNOWN)
    now = timezone.now()
    refusal = None
    if token.revoked_at is not None:
        refusal = REVOKED
    elif token.expires_at <= now:
        refusal = EXPIRED
    elif not token.user.is_active:
        refusal = DISABLED
    elif not Membership.objects.filter(user=token.user, cpts=token.cpts).exists():
        refusal = LEFT_CPTS
    elif token.read_only and method.upper() not in SAFE_METHODS:
        refusal = READ_ONLY
    details = {"prefix": token.prefix, "method": method, "route": route}
    if refusal is not None:
        audit_record(
            actor=token.user,
            action="api_token.refused",
            target=token,
            details={**details, "reason": refusal},
        )
        raise TokenRefused(refusal, status=403 if refusal == READ_ONLY else 401)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
    audit_record(actor=token.user, action="api_token.use", target=token, details=details)
    return token
