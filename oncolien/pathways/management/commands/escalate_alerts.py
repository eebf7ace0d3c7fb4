"""Escalate the alerts left unacknowledged past their CPTS's delay.

The huey consumer (`manage.py run_huey`, started by `make run`) already does this every
minute (pathways/tasks.py); no cron job is needed. This command is a manual tool, e.g.
to escalate at once after the consumer was stopped. Running it while the consumer runs
escalates each alert only once (services.alerts_escalate marks an alert under a
conditional update).
"""

from django.core.management.base import BaseCommand

from oncolien.pathways.services import alerts_escalate


class Command(BaseCommand):
    help = (
        "Transmet aux coordinateur·rices de la CPTS (liste de travail et courriel) les "
        "alertes non prises en compte au-delà du délai du protocole. Le traitement en "
        "arrière-plan (manage.py run_huey) le fait déjà chaque minute : cette commande sert "
        "à le faire à la main, tout de suite."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--quiet",
            action="store_true",
            help="N'afficher rien quand aucune alerte n'est à transmettre.",
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
