"""Sending a text message, through a backend chosen in settings (ONCOLIEN_SMS_BACKEND).

No SMS gateway is wired in this project: the default backend writes the message to the
log and keeps it in `outbox` (as Django's locmem mail backend does), so that a team can
see what would be sent and tests can read it. A real gateway is a class with the same
`send(to, body)` method, named in settings.
"""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULT_BACKEND = "oncolien.assessments.sms.LoggingSmsBackend"
logger = logging.getLogger("oncolien.sms")

# Messages "sent" by LoggingSmsBackend in this process: (to, body).
outbox: list[tuple[str, str]] = []


class LoggingSmsBackend:
    def send(self, to: str, body: str) -> None:
        outbox.append((to, body))
        logger.warning("SMS (non envoyé, aucune passerelle configurée) à %s : %s", to, body)


def send_sms(to: str, body: str) -> None:
    backend = import_string(getattr(settings, "ONCOLIEN_SMS_BACKEND", DEFAULT_BACKEND))
    backend().send(to, body)
