from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from oncolien.territories.services import cpts_create


class Command(BaseCommand):
    help = (
        "Crée une CPTS à partir des codes INSEE de ses communes (population et taille calculées)."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="Nom de la CPTS")
        parser.add_argument("--commune", action="append", default=[], help="Code INSEE (répétable)")
        parser.add_argument("--email", default="", help="Courriel de contact")
        parser.add_argument("--aci", default=None, help="Date de signature de l'ACI (AAAA-MM-JJ)")

    def handle(self, *args, **options):
        try:
            aci = date.fromisoformat(options["aci"]) if options["aci"] else None
        except ValueError:
            raise CommandError(
                f"Date d'ACI invalide : « {options['aci']} » (format AAAA-MM-JJ)."
            ) from None
        try:
            cpts = cpts_create(
                name=options["name"],
                commune_codes=options["commune"],
                contact_email=options["email"],
                aci_signed_on=aci,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"CPTS « {cpts.name} » créée : {cpts.communes.count()} commune(s), "
                f"{cpts.population} habitants, taille {cpts.size_class}."
            )
        )
