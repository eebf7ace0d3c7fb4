"""A real local SMTP server over TLS that requires a client certificate, as an MSSanté
operator's server does: a test CA, a server certificate and two client certificates
(one from the test CA, one from a CA the server does not trust), made with the
openssl command line, and an aiosmtpd server on 127.0.0.1 in implicit TLS or
STARTTLS. Tests configure `MSSanteBackend` against it with `mss_settings`."""

from __future__ import annotations

import socket
import ssl
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

SENDER = "cpts-nord-aveyron@oncolien.mssante.fr"


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def _issue(directory: Path, name: str, subject: str, ca: str, *, server: bool = False) -> None:
    """A key and a certificate `name` signed by the CA `ca` (files in `directory`)."""
    _openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{name}.key", "-out",
             f"{name}.csr", "-subj", subject, cwd=directory)  # fmt: skip
    extensions = directory / f"{name}.ext"
    if server:
        extensions.write_text(
            "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n"
        )
    else:
        extensions.write_text("extendedKeyUsage=clientAuth\n")
    _openssl("x509", "-req", "-in", f"{name}.csr", "-CA", f"{ca}.crt", "-CAkey", f"{ca}.key",
             "-CAcreateserial", "-days", "2", "-sha256", "-extfile", extensions.name,
             "-out", f"{name}.crt", cwd=directory)  # fmt: skip


def _ca(directory: Path, name: str, subject: str) -> None:
    _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{name}.key",
             "-out", f"{name}.crt", "-days", "2", "-subj", subject, cwd=directory)  # fmt: skip


@dataclass
class Certificates:
    directory: Path

    def path(self, name: str) -> str:
        return str(self.directory / name)


def make_certificates(directory: Path) -> Certificates:
    _ca(directory, "ca", "/CN=Autorité de test OncoLien")
    _issue(directory, "server", "/CN=localhost", "ca", server=True)
    _issue(directory, "client", "/CN=OncoLien CPTS Nord Aveyron", "ca")
    _ca(directory, "other-ca", "/CN=Autorité inconnue")
    _issue(directory, "stranger", "/CN=Client inconnu", "other-ca")
    return Certificates(directory)


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    client_certificate: dict[str, object] | None


@dataclass
class Handler:
    received: list[Received] = field(default_factory=list)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        assert isinstance(envelope.content, bytes)
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        # The TLS transport (implicit TLS, or the one STARTTLS switched to).
        assert server.transport is not None
        peer = server.transport.get_extra_info("peercert")
        self.received.append(
            Received(str(envelope.mail_from), list(envelope.rcpt_tos), message, peer)
        )
        return "250 Message accepté"


class _TlsController(Controller):
    """aiosmtpd checks that the server is up by connecting to it; with implicit TLS and
    a required client certificate, that check must present one too."""

    def __init__(self, *args: object, client_context: ssl.SSLContext, **kwargs: object):
        self.client_context = client_context
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def _trigger_server(self) -> None:
        with socket.create_connection((self.hostname, self.port), 1.0) as raw:
            if self.ssl_context is None:
                raw.recv(1024)
                return
            with self.client_context.wrap_socket(raw, server_hostname="localhost") as tls:
                tls.recv(1024)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    controller: Controller
    handler: Handler
    port: int
    security: str

    @property
    def received(self) -> list[Received]:
        return self.handler.received


def start_server(certificates: Certificates, *, security: str) -> Server:
    """An SMTP server on 127.0.0.1 that REQUIRES a client certificate from the test CA."""
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_context.load_cert_chain(certificates.path("server.crt"), certificates.path("server.key"))
    server_context.load_verify_locations(certificates.path("ca.crt"))
    server_context.verify_mode = ssl.CERT_REQUIRED
    client_context = ssl.create_default_context(cafile=certificates.path("ca.crt"))
    client_context.load_cert_chain(certificates.path("client.crt"), certificates.path("client.key"))
    handler = Handler()
    port = free_port()
    if security == "tls":
        controller: Controller = _TlsController(
            handler,
            hostname="127.0.0.1",
            port=port,
            ssl_context=server_context,
            client_context=client_context,
        )
    else:
        controller = Controller(
            handler,
            hostname="127.0.0.1",
            port=port,
            tls_context=server_context,
            require_starttls=True,
        )
    controller.start()
    return Server(controller, handler, port, security)


def mss_settings(certificates: Certificates, server: Server) -> dict[str, object]:
    return {
        "ONCOLIEN_SECURE_MESSAGING_BACKEND": "oncolien.notifications.secure_messaging.MSSanteBackend",
        "ONCOLIEN_MSS_HOST": "localhost",
        "ONCOLIEN_MSS_PORT": server.port,
        "ONCOLIEN_MSS_SECURITY": server.security,
        "ONCOLIEN_MSS_CLIENT_CERT": certificates.path("client.crt"),
        "ONCOLIEN_MSS_CLIENT_KEY": certificates.path("client.key"),
        "ONCOLIEN_MSS_CA_FILE": certificates.path("ca.crt"),
        "ONCOLIEN_MSS_SENDER": SENDER,
        "ONCOLIEN_MSS_TIMEOUT": 5,
    }


@contextmanager
def configured_server(
    certificates: Certificates, settings: object, *, security: str = "starttls"
) -> Iterator[Server]:
    """A running server, and `MSSanteBackend` configured against it in `settings` (the
    pytest-django fixture, which restores them after the test)."""
    server = start_server(certificates, security=security)
    for name, value in mss_settings(certificates, server).items():
        setattr(settings, name, value)
    try:
        yield server
    finally:
        server.controller.stop()
