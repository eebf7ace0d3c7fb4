from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from oncolien.reference.loader import ReferenceDataError, load_reference


class Command(BaseCommand):
    help = (
        "Charge le fichier versionné des données de référence des soins oncologiques de "
        "support (panier INCa, professions, phases, notices). Sans effet s'il est déjà chargé."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--path",
            type=Path,
            default=None,
            help="Fichier JSON à charger (par défaut : le fichier livré avec l'application).",
        )

    def handle(self, *args, path: Path | None = None, **options):
        try:
            summary = load_reference(path)
        except ReferenceDataError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(summary.as_text()))
