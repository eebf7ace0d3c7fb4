"""Idempotent writes of the API: remember the first answer to a key, replay it.

`begin` claims a key for a request (or says it was already used), `finish` stores
the answer of a successful write, `abandon` frees the key of a write that failed,
so that the client may correct and retry it under the same key. `purge_expired`
is meant for the periodic tasks.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from oncolien.accounts.models import User
from oncolien.idempotency.models import IdempotentRequest

HEADER = "Idempotency-Key"
LIFETIME = timedelta(hours=24)
MAX_KEY_LENGTH = 255

REUSED = (
    "Cette clé d'idempotence a déjà servi pour une autre requête : "
    "choisissez une nouvelle clé pour une nouvelle écriture."
)
IN_PROGRESS = (
    "Une requête avec cette clé d'idempotence est en cours de traitement : "
    "réessayez dans quelques secondes."
)
BAD_KEY = (
    "La clé d'idempotence doit compter de 1 à 255 caractères imprimables (un UUID, par exemple)."
)


def _refused(message: str, code: str) -> ValidationError:
    return ValidationError({HEADER: ValidationError(message, code=code)})


def fingerprint(*, method: str, path: str, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (method.encode(), path.encode(), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


@dataclass(frozen=True)
class Replay:
    status_code: int
    content_type: str
    body: bytes


def begin(*, user: User, key: str, request_fingerprint: str) -> IdempotentRequest | Replay:
    """Claim `key` for this request, or return the answer given to it the first time.

    ValidationError (on the field « Idempotency-Key ») for a malformed key, a key used
    for another request, or a key whose first request is still running.
    """
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise _refused(BAD_KEY, "invalid")
    now = timezone.now()
    # An expired key is forgotten: the new request uses it afresh.
    IdempotentRequest.objects.filter(user=user, key=key, expires_at__lte=now).delete()
    try:
        with transaction.atomic():
            return IdempotentRequest.objects.create(
                user=user, key=key, fingerprint=request_fingerprint, expires_at=now + LIFETIME
            )
    except IntegrityError:
        pass
    earlier = IdempotentRequest.objects.filter(user=user, key=key).first()
    if earlier is None:  # expired and purged in between: a rare race, the client retries
        raise _refused(IN_PROGRESS, "in_progress")
    if earlier.fingerprint != request_fingerprint:
        raise _refused(REUSED, "reused")
    if earlier.status_code is None:
        raise _refused(IN_PROGRESS, "in_progress")
    return Replay(earlier.status_code, earlier.content_type, bytes(earlier.body))


def finish(claim: IdempotentRequest, *, status_code: int, content_type: str, body: bytes) -> None:
    """Keep the answer of a write that succeeded, to replay it."""
    claim.status_code = status_code
    claim.content_type = content_type
    claim.body = body
    claim.save(update_fields=["status_code", "content_type", "body"])


def abandon(claim: IdempotentRequest) -> None:
    """Free the key of a write that was refused or failed: nothing was written."""
    IdempotentRequest.objects.filter(pk=claim.pk).delete()


# --- One-time tokens of page forms ---------------------------------------------------

FORM_KEY_PREFIX = "form:"
FORM_UNCHECKED = (
    "Ce formulaire n'a pas pu être vérifié (ouvert depuis trop longtemps ou incomplet) : "
    "rien n'a été enregistré. Vérifiez la saisie et enregistrez de nouveau."
)


def form_token_new() -> str:
    """The one-time token a page form carries in a hidden field."""
    return secrets.token_urlsafe(24)


def form_submission_begin(*, user: User, token: str, form: str) -> IdempotentRequest | Replay:
    """Claim a page form's one-time `token` (`form` names the form, e.g. its path), or
    return what its first submission answered. ValidationError when the token is
    missing or malformed, or while its first submission is still being saved."""
    if not token or len(token) > MAX_KEY_LENGTH - len(FORM_KEY_PREFIX):
        raise _refused(FORM_UNCHECKED, "invalid")
    # A form sent again is the same submission, even if a field was changed meanwhile.
    return begin(
        user=user,
        key=FORM_KEY_PREFIX + token,
        request_fingerprint=fingerprint(method="FORM", path=form, body=b""),
    )


def purge_expired(*, now: datetime | None = None) -> int:
    """Delete the keys past their lifetime; the number deleted. For a periodic task."""
    deleted, _ = IdempotentRequest.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted
