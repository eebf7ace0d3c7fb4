"""The default e-mail backend when no mail server is configured (DJANGO_EMAIL_BACKEND).

Django's console backend printed each message whole into the server's log, one-time
links to a patient's questionnaire included: anyone reading the log could open them.
This backend sends nothing and writes one line per message: its subject and the
domains of its recipients (`@example.fr`), never an address, the body or an attachment.
Subjects carry no nominative data (notify's rule for e-mail).

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
        return len(email_messages)
