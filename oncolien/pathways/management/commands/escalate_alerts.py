"""Escalate the alerts left unacknowledged past their CPTS's delay.

Meant to run every few minutes from cron or a systemd timer, e.g.
`*/5 * * * * cd /srv/oncolien && .venv/bin/python manage.py escalate_alerts --quiet`.
Running it twice, or from two servers at once, escalates each alert only once
(services.alerts_escalate marks an alert under a conditional update).
"""

from django.core.management.base import BaseCommand

from oncolien.pathways.services import alerts_escalate


class Command(BaseCommand):
    help = (
        "Transmet aux coordinateur·rices de la CPTS (liste de travail et courriel) les "
        "alertes non prises en compte au-delà du délai du protocole. À lancer toutes les "
        "quelques minutes (cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--quiet",
            action="store_true",
            help="N'afficher rien quand aucune alerte n'est à transmettre (pour cron).",
        )

    def handle(self, *args, quiet: bool = False, **options):
        escalated = alerts_escalate()
        count = len(escalated)
        if count == 0:
            if not quiet:
                self.stdout.write("Aucune alerte à transmettre aux coordinateur·rices.")
            return
        if count == 1:
            message = "1 alerte non prise en compte transmise aux coordinateur·rices."
        else:
            message = f"{count} alertes non prises en compte transmises aux coordinateur·rices."
        self.stdout.write(self.style.WARNING(message))
