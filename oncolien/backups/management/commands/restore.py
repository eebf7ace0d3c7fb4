from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from oncolien.backups.services import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restaure une sauvegarde (dossier écrit par « backup ») dans la base configurée, qui "
        "doit être vide, puis vérifie comptes, empreintes et chaînage du journal d'audit."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="Dossier de la sauvegarde.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Remplacer le contenu d'une base qui n'est pas vide (application arrêtée).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = backup_restore(directory=options["directory"], force=options["force"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        if report.problems:
            for problem in report.problems:
                self.stderr.write(problem)
            raise CommandError(
                f"La base restaurée ne correspond pas à la sauvegarde ({len(report.problems)} "
                "écart(s)) : ne la mettez pas en service."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Sauvegarde restaurée et vérifiée : {report.tables} table(s), {report.rows} "
                "ligne(s), comptes et empreintes identiques au manifeste ; journal d'audit "
                f"intègre ({report.audit_entries} entrée(s) vérifiée(s))."
            )
        )
