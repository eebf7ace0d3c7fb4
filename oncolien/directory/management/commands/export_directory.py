"""python manage.py export_directory --cpts SLUG --format csv|xlsx [-o FICHIER]

The same export as the public CSV/XLSX links; it imports again unchanged.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from oncolien.directory.exporting import export_rows, export_xlsx
from oncolien.tables import csv_bytes
from oncolien.territories.models import Cpts


class Command(BaseCommand):
    help = "Exporte l'annuaire d'une CPTS en CSV ou XLSX (colonnes de l'import)."

    def add_arguments(self, parser):
        parser.add_argument("--cpts", required=True, help="identifiant (slug) de la CPTS")
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument(
            "-o", "--output", help="fichier à écrire (CSV : la sortie standard par défaut)"
        )

    def handle(self, *args, cpts, format, output, **options):
        cpts_obj = Cpts.objects.filter(slug=cpts).first()
        if cpts_obj is None:
            raise CommandError(f"Aucune CPTS n'a l'identifiant « {cpts} ».")
        if format == "xlsx" and not output:
            raise CommandError("Indiquez le fichier à écrire avec -o pour le format xlsx.")
        if format == "csv":
            rows = export_rows(cpts=cpts_obj)
            data = csv_bytes(rows)
        else:
            data = export_xlsx(cpts=cpts_obj)
        if not output or output == "-":
            self.stdout.write(data.decode("utf-8-sig"), ending="")
            return
        Path(output).write_bytes(data)
        if format == "csv":
            self.stderr.write(f"{len(rows) - 1} ligne(s) écrite(s) dans {output}.")
        else:
            self.stderr.write(f"Annuaire écrit dans {output}.")
