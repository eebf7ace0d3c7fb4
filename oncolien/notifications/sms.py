"""Text-message gateways, chosen in settings (ONCOLIEN_SMS_BACKEND).

A gateway is a class whose `send(to, body)` hands the message to a provider and
returns, or raises on failure. No gateway is wired in this project: the default,
`LogOnlyBackend`, sends nothing and says so by raising `SmsNotSent`, so that the
delivery is recorded as not sent instead of pretending. Only `services.notify`
calls a backend; other apps never import this module.
"""

from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

# Messages accepted by LocmemBackend in this process, as (to, body), for tests.
outbox: list[tuple[str, str]] = []


class SmsBackend(Protocol):
    def send(self, to: str, body: str) -> None: ...


# A backend class may say `configured = False` when it cannot deliver anything; any
# other backend is taken as a real gateway.


class SmsNotSent(Exception):
    """No gateway is configured: the message did not leave the server."""


class LogOnlyBackend:
    """The default when no provider is configured. It never writes the number or the
    text anywhere (the text holds a live link token); `notify` logs the outcome."""

    configured = False

    def send(self, to: str, body: str) -> None:
        raise SmsNotSent


class LocmemBackend:
    """Keeps messages in `outbox`, as Django's locmem mail backend does. Tests only."""

    def send(self, to: str, body: str) -> None:
        outbox.append((to, body))


def get_backend() -> SmsBackend:
    path: str = settings.ONCOLIEN_SMS_BACKEND
    backend: SmsBackend = import_string(path)()
    return backend


def is_configured() -> bool:
    """Whether the configured backend can really deliver a text message."""
    backend = import_string(settings.ONCOLIEN_SMS_BACKEND)
    return bool(getattr(backend, "configured", True))
