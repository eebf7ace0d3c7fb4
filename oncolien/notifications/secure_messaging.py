"""Secure health messaging (messagerie sécurisée de santé), chosen in settings
(ONCOLIEN_SECURE_MESSAGING_BACKEND).

Health data (a visit report and its PDF) leaves OncoLien only through this channel,
never by ordinary e-mail. A backend is a class whose `send(...)` hands one message to
the operator and returns, or raises on failure. The default, `NotConfiguredBackend`,
sends nothing and says so by raising `NotConfigured`, so that the delivery is
recorded as not sent and the page can say so. `MSSanteBackend` speaks SMTP over TLS
to the operator's MSSanté server with the operator's client certificate, as the
MSSanté espace de confiance requires. Only `services.notify` calls a backend; other
apps ask `is_configured()` and `is_secure_address()` and send through `notify`.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Sequence
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.utils.module_loading import import_string

# (filename, content, MIME type), as Django's EmailMessage takes them.
Attachment = tuple[str, bytes, str]

NOT_CONFIGURED = (
    "Aucune messagerie sécurisée de santé n'est configurée : le message n'a pas été envoyé."
)


class SecureMessagingBackend(Protocol):
    configured: bool

    def send(
        self, *, to: str, subject: str, body: str, attachments: Sequence[Attachment]
    ) -> None: ...


class NotConfigured(Exception):
    """No secure messaging is configured: the message did not leave the server."""


class NotConfiguredBackend:
    """The default: nothing is sent, and `notify` records the delivery as not sent."""

    configured = False

    def send(self, *, to: str, subject: str, body: str, attachments: Sequence[Attachment]) -> None:
        raise NotConfigured


class MSSanteBackend:
    """SMTP to the operator's MSSanté server: implicit TLS (port 465) or STARTTLS (587),
    the server's certificate checked against the configured CA, and the operator's
    client certificate presented (the server refuses a client without it)."""

    configured = True

    def __init__(self) -> None:
        self.host: str = settings.ONCOLIEN_MSS_HOST
        self.port: int = settings.ONCOLIEN_MSS_PORT
        self.security: str = settings.ONCOLIEN_MSS_SECURITY
        self.sender: str = settings.ONCOLIEN_MSS_SENDER
        self.timeout: float = settings.ONCOLIEN_MSS_TIMEOUT
        if self.security not in ("starttls", "tls"):
            raise ValueError("ONCOLIEN_MSS_SECURITY vaut « starttls » ou « tls ».")
        if not (self.host and self.sender and settings.ONCOLIEN_MSS_CLIENT_CERT):
            raise ValueError(
                "Messagerie sécurisée : serveur, adresse d'expédition et certificat "
                "client sont obligatoires."
            )

    def ssl_context(self) -> ssl.SSLContext:
        # Verification of the server (CA, host name) stays on: create_default_context.
        context = ssl.create_default_context(cafile=settings.ONCOLIEN_MSS_CA_FILE or None)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.load_cert_chain(
            settings.ONCOLIEN_MSS_CLIENT_CERT, settings.ONCOLIEN_MSS_CLIENT_KEY or None
        )
        return context

    def send(self, *, to: str, subject: str, body: str, attachments: Sequence[Attachment]) -> None:
        message = EmailMessage(subject=subject, body=body, from_email=self.sender, to=[to])
        for filename, content, mimetype in attachments:
            message.attach(filename, content, mimetype)
        context = self.ssl_context()
        smtp: smtplib.SMTP
        if self.security == "tls":
            smtp = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
        else:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        with smtp:
            if self.security == "starttls":
                smtp.starttls(context=context)
            # SMTP lines end in CRLF; a bare LF would make the whole message one line.
            smtp.sendmail(self.sender, [to], message.message().as_bytes(linesep="\r\n"))


def get_backend() -> SecureMessagingBackend:
    path: str = settings.ONCOLIEN_SECURE_MESSAGING_BACKEND
    backend: SecureMessagingBackend = import_string(path)()
    return backend


def is_configured() -> bool:
    """Whether health data can leave at all (a backend other than the default is set)."""
    path: str = settings.ONCOLIEN_SECURE_MESSAGING_BACKEND
    return bool(getattr(import_string(path), "configured", False))


def is_secure_address(address: str) -> bool:
    """An MSSanté address: its domain is, or ends with, one of ONCOLIEN_MSS_DOMAINS
    (by default `mssante.fr`, e.g. `prenom.nom@medecin.mssante.fr`)."""
    local, at, domain = address.strip().lower().rpartition("@")
    if not (local and at and domain):
        return False
    domains: Sequence[str] = settings.ONCOLIEN_MSS_DOMAINS
    return any(domain == d or domain.endswith(f".{d}") for d in (d.lower() for d in domains))


def validate_secure_address(address: str) -> None:
    """A field validator: a French error for an address outside the MSSanté domains."""
    if address and not is_secure_address(address):
        domains = ", ".join(settings.ONCOLIEN_MSS_DOMAINS)
        raise ValidationError(
            "Cette adresse n'est pas une adresse de messagerie sécurisée de santé "
            f"(MSSanté) : son domaine doit se terminer par {domains}.",
            code="not_mssante",
        )
