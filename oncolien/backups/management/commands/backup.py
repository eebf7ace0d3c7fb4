from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from oncolien.backups.services import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Sauvegarde cohérente de la base (SQLite : API de sauvegarde en ligne ; PostgreSQL : "
        "pg_dump) dans un nouveau dossier, avec son manifeste (comptes et empreintes par table, "
        "tête du journal d'audit). Possible pendant que l'application tourne."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", required=True, type=Path, help="Dossier où créer la sauvegarde."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            made = backup_create(output=options["output"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        manifest = made.manifest
        rows = sum(table["rows"] for table in manifest["tables"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Sauvegarde {manifest['engine']} écrite dans {made.directory} : "
                f"{len(manifest['tables'])} table(s), {rows} ligne(s), journal d'audit "
                f"jusqu'à l'entrée n° {manifest['audit_chain']['last_sequence']}."
            )
        )
