from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from oncolien.assessments.engine import InstrumentError
from oncolien.assessments.loader import load_instruments


class Command(BaseCommand):
    help = (
        "Charge les questionnaires versionnés (repérage des besoins en soins de support, "
        "ESAS-r, thermomètre de détresse). Sans effet pour une version déjà chargée à "
        "l'identique ; refuse une version modifiée sans nouveau numéro."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "paths", nargs="*", type=Path, help="Fichiers à charger (par défaut : ceux livrés)."
        )

    def handle(self, *args, paths=None, **options):
        try:
            summary = load_instruments(paths or None)
        except InstrumentError as error:
            raise CommandError("\n".join(error.messages)) from error
        self.stdout.write(self.style.SUCCESS(summary.as_text()))
