"""python manage.py import_directory FICHIER --cpts SLUG --as IDENTIFIANT [--dry-run]

Prints each row's verdict (only the rows with a remark, or all of them with
-v 2) and a summary. Exits with an error, having changed nothing, when a row
has an error or the user may not edit this directory.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from oncolien.accounts.authorization import AccessDenied, authorize
from oncolien.audit.commands import AuditedCommand
from oncolien.directory.importing import storage
from oncolien.directory.importing.applying import ImportFailed, ImportRefused, import_table
from oncolien.directory.importing.validation import validate
from oncolien.directory.importing.verdicts import OK, Verdicts, summary_lines
from oncolien.directory.services import DIRECTORY_EDIT
from oncolien.table_reading import UnreadableFile, read_table
from oncolien.territories.models import Cpts


class Command(AuditedCommand):
    help = "Importe un fichier CSV ou XLSX dans l'annuaire d'une CPTS (tout ou rien)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="fichier .csv ou .xlsx")
        parser.add_argument("--cpts", required=True, help="identifiant (slug) de la CPTS")
        parser.add_argument(
            "--as",
            dest="username",
            required=True,
            help="identifiant de la personne qui importe (coordinatrice ou administrateur)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="vérifier seulement, sans rien enregistrer"
        )

    def handle(self, *args, file, cpts, username, dry_run, verbosity, **options):
        cpts_obj = Cpts.objects.filter(slug=cpts).first()
        if cpts_obj is None:
            raise CommandError(f"Aucune CPTS n'a l'identifiant « {cpts} ».")
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Aucun utilisateur « {username} ».")
        try:
            authorize(user, DIRECTORY_EDIT, cpts_obj)
        except AccessDenied:
            raise CommandError(
                f"{username} n'a pas le droit de modifier l'annuaire de la {cpts_obj.name}."
            ) from None
        path = Path(file)
        try:
            table = read_table(path.read_bytes(), path.name)
        except FileNotFoundError:
            raise CommandError(f"Fichier introuvable : {file}") from None
        except UnreadableFile as problem:
            raise CommandError(str(problem)) from None
        storage.purge_expired()

        if dry_run:
            verdicts = validate(table, cpts=cpts_obj, filename=path.name).verdicts
            self._print(verdicts, verbosity)
            if not verdicts.can_apply:
                raise CommandError(self._refusal(verdicts))
            self.stdout.write("Simulation : rien n'a été enregistré.")
            return
        try:
            verdicts = import_table(table, cpts=cpts_obj, actor=user, filename=path.name)
        except ImportRefused as refused:
            self._print(refused.verdicts, verbosity)
            raise CommandError(self._refusal(refused.verdicts)) from None
        except ImportFailed as failure:
            raise CommandError(str(failure)) from None
        self._print(verdicts, verbosity)
        self.stdout.write(self.style.SUCCESS("Import appliqué."))

    def _refusal(self, verdicts: Verdicts) -> str:
        if verdicts.file_errors:
            return "Import refusé : le fichier ne peut pas être importé. Rien n'a été modifié."
        return f"Import refusé : {verdicts.summary.error} ligne(s) en erreur. Rien n'a été modifié."

    def _print(self, verdicts: Verdicts, verbosity: int) -> None:
        for message in verdicts.file_errors:
            self.stdout.write(f"Fichier : erreur — {message}")
        for message in verdicts.file_warnings:
            self.stdout.write(f"Fichier : avertissement — {message}")
        for row in verdicts.rows:
            if row.status == OK and verbosity < 2:
                continue
            what = f"{row.service} — {row.organization}"
            if row.place:
                what = f"{what} ({row.place})"
            action = f" ; offre {row.service_action_label}" if row.service_action else ""
            self.stdout.write(f"Ligne {row.line} : {row.status_label}{action} — {what}")
            for message in row.messages:
                self.stdout.write(f"    {message}")
        for line in summary_lines(verdicts.summary):
            self.stdout.write(line)
