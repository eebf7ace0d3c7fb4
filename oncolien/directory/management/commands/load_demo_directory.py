from django.core.management.base import BaseCommand, CommandError

from oncolien.directory.demo import DemoDirectoryError, load_demo_directory


class Command(BaseCommand):
    help = (
        "Charge l'annuaire de démonstration des trois CPTS de démonstration (contacts fictifs). "
        "Peut être relancée sans créer de doublon."
    )

    def handle(self, *args, **options):
        try:
            report = load_demo_directory()
        except DemoDirectoryError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(report.summary()))
