from time import perf_counter

from django.core.management.base import BaseCommand

from oncolien.directory.search.index import rebuild_all


class Command(BaseCommand):
    help = (
        "Reconstruit l'index de recherche de l'annuaire à partir des offres "
        "(après un changement des noms de soins ou de professions du référentiel, "
        "ou pour réparer l'index)."
    )

    def handle(self, *args, **options):
        started = perf_counter()
        count = rebuild_all()
        seconds = perf_counter() - started
        if count == 1:
            message = f"Index de recherche reconstruit : 1 offre active indexée en {seconds:.1f} s."
        else:
            message = (
                f"Index de recherche reconstruit : {count} offres actives indexées "
                f"en {seconds:.1f} s."
            )
        self.stdout.write(message)
