"""Log-in through Pro Santé Connect (PSC), with mozilla-django-oidc.

PSC is the national OpenID Connect provider of health professionals: they prove who
they are with the e-CPS app or a CPS card. OncoLien asks for `acr_values=eidas1`,
checks the id token (RS256, signed by the provider's published keys; issuer,
audience, expiry, nonce, acr), reads the professional's national number from the
userinfo answer (plain JSON, or a signed JWT when the client is registered so), and
opens the session of the one active account that carries this RPPS. It never creates
an account: an unknown professional is told to ask their coordinator.

mozilla-django-oidc (state, nonce, PKCE, the code exchange, the key look-up) is used
as it is, with what it leaves to the site added here: the endpoints from the
provider's discovery document, the issuer and audience checks it skips, the userinfo
subject check (OIDC Core 5.3.2) and the match by RPPS.
"""

import logging
import time
from dataclasses import dataclass
from enum import Enum
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django_otp import login as otp_login
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from oncolien.accounts.models import ProSanteConnectDevice, User

logger = logging.getLogger(__name__)

# The session keys this module writes (besides mozilla-django-oidc's own).
SESSION_FLAG = "psc_login"  # the session was opened through PSC


def enabled() -> bool:
    return bool(settings.ONCOLIEN_PSC_ENABLED)


# --- The provider's metadata ------------------------------------------------------


@dataclass(frozen=True)
class Provider:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    userinfo_endpoint: str
    jwks_uri: str
    end_session_endpoint: str


# Discovery documents read, by URL: (time read, document). They are configuration,
# the same on every app server, so keeping them in the process is safe; an hour later
# they are read again (a provider may move an endpoint).
_DISCOVERED: dict[str, tuple[float, dict]] = {}
DISCOVERY_SECONDS = 3600


def _discovery(url: str) -> dict:
    cached = _DISCOVERED.get(url)
    if cached is not None and time.monotonic() - cached[0] < DISCOVERY_SECONDS:
        return cached[1]
    response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
    response.raise_for_status()
    document = response.json()
    if not isinstance(document, dict):
        raise ValueError("Le document de découverte OpenID Connect n'est pas un objet JSON.")
    _DISCOVERED[url] = (time.monotonic(), document)
    return document


def provider() -> Provider:
    """The endpoints set in the settings, the others from the discovery document."""
    explicit = {
        "issuer": settings.ONCOLIEN_PSC_ISSUER,
        "authorization_endpoint": settings.OIDC_OP_AUTHORIZATION_ENDPOINT,
        "token_endpoint": settings.OIDC_OP_TOKEN_ENDPOINT,
        "userinfo_endpoint": settings.OIDC_OP_USER_ENDPOINT,
        "jwks_uri": settings.OIDC_OP_JWKS_ENDPOINT,
        "end_session_endpoint": settings.OIDC_OP_LOGOUT_ENDPOINT,
    }
    required = set(explicit) - {"end_session_endpoint"}
    if all(explicit[name] for name in required):
        return Provider(**explicit)
    document = _discovery(settings.ONCOLIEN_PSC_DISCOVERY_URL)
    values = {name: value or str(document.get(name) or "") for name, value in explicit.items()}
    missing = sorted(name for name in required if not values[name])
    if missing:
        raise ImproperlyConfigured(
            "Pro Santé Connect : le document de découverte ne donne pas " + ", ".join(missing)
        )
    return Provider(**values)


# --- Who the professional is --------------------------------------------------------


def rpps_from_claims(claims: dict) -> str | None:
    """The RPPS number in PSC's userinfo claims, or None.

    PSC gives the professional's national identifier (idNatPs) in `SubjectNameID`, and
    the same value in `preferred_username`: for a professional registered in the RPPS
    it is « 8 » followed by the 11 digits of the RPPS number. An 11-digit value is
    taken as the RPPS itself. Other identifiers (ADELI-based, test accounts) carry no
    RPPS and match no account.
    """
    for name in ("SubjectNameID", "preferred_username"):
        value = claims.get(name)
        if not isinstance(value, str):
            continue
        value = value.strip()
        if len(value) == 12 and value.startswith("8") and value.isdigit():
            return value[1:]
        if len(value) == 11 and value.isdigit():
            return value
    return None


class Refusal(Enum):
    """Why a PSC log-in did not open a session; each has its French explanation."""

    UNKNOWN_RPPS = "unknown_rpps"
    NO_RPPS = "no_rpps"
    INACTIVE = "inactive"
    INVALID_RESPONSE = "invalid_response"
    PROVIDER_UNREACHABLE = "provider_unreachable"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    # The callback's state is not one this browser's session sent (tampered with,
    # replayed, or the session expired meanwhile).
    STATE_MISMATCH = "state_mismatch"


REFUSAL_MESSAGES = {
    Refusal.UNKNOWN_RPPS: (
        "Votre identité a bien été vérifiée par Pro Santé Connect, mais votre numéro RPPS "
        "n'est rattaché à aucun compte OncoLien. Demandez à la coordination de votre CPTS "
        "de créer votre compte ou d'y renseigner votre numéro RPPS, puis réessayez."
    ),
    Refusal.NO_RPPS: (
        "Pro Santé Connect n'a pas transmis de numéro RPPS pour votre identité : la "
        "connexion par Pro Santé Connect n'est possible qu'avec un numéro RPPS. Demandez à "
        "la coordination de votre CPTS comment vous connecter."
    ),
    Refusal.INACTIVE: (
        "Le compte OncoLien rattaché à votre numéro RPPS est désactivé. Contactez la "
        "coordination de votre CPTS pour le réactiver."
    ),
    Refusal.INVALID_RESPONSE: (
        "La réponse de Pro Santé Connect n'a pas pu être vérifiée : vous n'êtes pas "
        "connecté·e. Recommencez la connexion depuis la page de connexion d'OncoLien."
    ),
    Refusal.PROVIDER_UNREACHABLE: (
        "Pro Santé Connect ne répond pas pour le moment : vous n'êtes pas connecté·e. "
        "Réessayez dans quelques minutes, ou connectez-vous avec votre mot de passe."
    ),
    Refusal.CANCELLED: (
        "La connexion par Pro Santé Connect a été annulée ou refusée : vous n'êtes pas connecté·e."
    ),
    Refusal.EXPIRED: (
        "Cette demande de connexion a expiré ou a déjà servi : vous n'êtes pas connecté·e. "
        "Recommencez la connexion depuis la page de connexion d'OncoLien."
    ),
    Refusal.STATE_MISMATCH: (
        "Cette réponse de Pro Santé Connect ne correspond à aucune demande de connexion "
        "faite depuis ce navigateur (elle a expiré, a déjà servi ou a été modifiée) : vous "
        "n'êtes pas connecté·e. Recommencez la connexion depuis la page de connexion "
        "d'OncoLien."
    ),
}


def _refuse(request, reason: Refusal, **details) -> None:
    """Remember why, for the callback view's page (the backend can only return None)."""
    request.psc_refusal = (reason, details)


# --- The authentication backend -------------------------------------------------------


class ProSanteConnectBackend(OIDCAuthenticationBackend):
    """Authenticates the PSC callback only; a password log-in passes through untouched."""

    def __init__(self, *args, **kwargs):
        # mozilla-django-oidc reads fixed endpoints from the settings; ours may come
        # from the discovery document, read when a log-in needs them.
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None
        self.UserModel = User

    def authenticate(self, request, **kwargs):
        # Only the callback view passes a nonce: a password log-in (username, password)
        # must never reach the provider, whatever its query string says.
        if request is None or "nonce" not in kwargs or not enabled():
            return None
        try:
            op = provider()
            self.OIDC_OP_TOKEN_ENDPOINT = op.token_endpoint
            self.OIDC_OP_USER_ENDPOINT = op.userinfo_endpoint
            self.OIDC_OP_JWKS_ENDPOINT = op.jwks_uri
            self._issuer = op.issuer
            return super().authenticate(request, **kwargs)
        except requests.RequestException as error:
            # The token endpoint refusing the code (reused, expired) is an HTTP error too.
            status = getattr(getattr(error, "response", None), "status_code", None)
            reason = Refusal.EXPIRED if status == 400 else Refusal.PROVIDER_UNREACHABLE
            logger.warning("Pro Santé Connect: %s (%s)", reason.value, type(error).__name__)
            _refuse(request, reason)
        except (SuspiciousOperation, jwt.PyJWTError, ValueError, KeyError) as error:
            logger.warning("Pro Santé Connect: invalid response (%s)", error)
            _refuse(request, Refusal.INVALID_RESPONSE)
        return None

    def _verify_jws(self, payload, key):
        """The signature, with the checks mozilla-django-oidc leaves out: the token was
        issued by our provider, for us, and is not expired."""
        header = jwt.get_unverified_header(payload)
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation("unexpected signing algorithm")
        return jwt.decode(
            payload,
            key,
            algorithms=[self.OIDC_RP_SIGN_ALGO],
            audience=self.OIDC_RP_CLIENT_ID,
            issuer=self._issuer,
            options={"require": ["iss", "aud", "exp"]},
            leeway=30,
        )

    def verify_token(self, token, **kwargs):
        claims = super().verify_token(token, **kwargs)
        if "nonce" in kwargs:  # the id token (userinfo has no nonce)
            accepted = settings.ONCOLIEN_PSC_ACR_VALUES.split()
            if accepted and claims.get("acr") not in accepted:
                raise SuspiciousOperation(f"acr {claims.get('acr')!r} is not {accepted}")
            self._id_token_sub = claims.get("sub")
        return claims

    def get_userinfo(self, access_token, id_token, payload):
        claims = super().get_userinfo(access_token, id_token, payload)
        if not isinstance(claims, dict) or claims.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("userinfo sub does not match the id token's")
        return claims

    def verify_claims(self, claims):
        if rpps_from_claims(claims) is None:
            _refuse(self.request, Refusal.NO_RPPS)
            return False
        return True

    def filter_users_by_claims(self, claims):
        rpps = rpps_from_claims(claims)
        users = self.UserModel.objects.filter(rpps=rpps)
        user = users.first()
        if user is None:
            _refuse(self.request, Refusal.UNKNOWN_RPPS, rpps=rpps)
        elif not user.is_active:
            _refuse(self.request, Refusal.INACTIVE, rpps=rpps)
            return self.UserModel.objects.none()
        return users


# --- The session -----------------------------------------------------------------------


def session_mark_strong(*, request, user: User) -> None:
    """Count this session's log-in as its second factor (see ProSanteConnectDevice)."""
    device, _ = ProSanteConnectDevice.objects.get_or_create(
        user=user, defaults={"name": "Pro Santé Connect", "confirmed": True}
    )
    otp_login(request, device)
    request.session[SESSION_FLAG] = True


def provider_logout_url(request, *, return_to: str) -> str | None:
    """Where to send a PSC session's browser at log-out to end its PSC session too
    (RP-initiated logout), or None. Read before the local session is flushed."""
    if not (enabled() and settings.ONCOLIEN_PSC_LOGOUT_AT_PROVIDER):
        return None
    id_token = request.session.get("oidc_id_token")
    if not request.session.get(SESSION_FLAG) or not id_token:
        return None
    try:
        endpoint = provider().end_session_endpoint
    except (requests.RequestException, ValueError, ImproperlyConfigured):
        return None
    if not endpoint:
        return None
    query = {
        "id_token_hint": id_token,
        "post_logout_redirect_uri": return_to,
        "client_id": settings.OIDC_RP_CLIENT_ID,
    }
    return f"{endpoint}?{urlencode(query)}"
