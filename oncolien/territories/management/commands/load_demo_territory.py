from django.core.management.base import BaseCommand, CommandError

from oncolien.territories.demo import DemoTerritoryError, load_demo_territory
from oncolien.territories.models import Cpts
from oncolien.territories.selectors import cpts_summaries


class Command(BaseCommand):
    help = (
        "Crée ou met à jour les trois CPTS de démonstration (Sud Tarn, Nord Aveyron, "
        "Volvestre – Cœur de Garonne) sur des périmètres de démonstration."
    )

    def handle(self, *args, **options):
        try:
            loaded = load_demo_territory()
        except DemoTerritoryError as error:
            raise CommandError(str(error)) from error
        for summary in cpts_summaries(cpts=Cpts.objects.filter(pk__in=[c.pk for c in loaded])):
            self.stdout.write(
                f"{summary.cpts.name} : {summary.commune_count} communes, "
                f"{summary.population} habitants, taille {summary.size_class}."
            )
