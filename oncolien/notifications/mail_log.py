"""The default e-mail backend when no mail server is configured (DJANGO_EMAIL_BACKEND).

Django's console backend printed each message whole into the server's log, one-time
links to a patient's questionnaire included: anyone reading the log could open them.
This backend sends nothing and writes one line per message: its subject and the
domains of its recipients (`@example.fr`), never an address, the body or an attachment.
Subjects carry no nominative data (notify's rule for e-mail). It then raises
`EmailNotSent`, as the SMS log-only backend raises `SmsNotSent`, so that the delivery is
recorded as not sent: it never says « envoyé » for a message that did not leave.

A real deployment sets DJANGO_EMAIL_BACKEND to Django's SMTP backend and the
EMAIL_HOST… variables.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage

logger = logging.getLogger("oncolien.mail")


def recipient_domains(addresses: Sequence[str]) -> str:
    domains = sorted(
        {"@" + address.rpartition("@")[2].strip("<> ").lower() for address in addresses}
    )
    return ", ".join(domains) or "—"


class EmailNotSent(Exception):
    """No mail server is configured: the message did not leave the server."""


class LogOnlyEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        for message in email_messages:
            logger.warning(
                "Courriel non envoyé (aucun serveur de messagerie configuré) : « %s », "
                "%s destinataire(s) %s.",
                message.subject,
                len(message.recipients()),
                recipient_domains(message.recipients()),
            )
        if email_messages and not self.fail_silently:
            raise EmailNotSent
        return 0
