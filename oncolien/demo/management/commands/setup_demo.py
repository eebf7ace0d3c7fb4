from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from oncolien.accounts.demo import demo_password, load_demo_accounts
from oncolien.accounts.models import Role, User
from oncolien.adherence.demo import load_demo_adherence
from oncolien.contacts.demo import load_demo_contacts
from oncolien.demo.pathways import load_demo_pathways
from oncolien.outreach.demo import load_demo_outreach
from oncolien.practices.demo import load_demo_practices
from oncolien.sectors.demo import load_demo_sectors
from oncolien.surveys.demo import load_demo_survey
from oncolien.trainings.demo import load_demo_trainings


class Command(BaseCommand):
    help = (
        "Charge les données de référence, les communes d'Occitanie et de PACA, le territoire "
        "de démonstration avec son annuaire (contacts fictifs) et un compte de démonstration "
        "par rôle, et quelques parcours de patients fictifs. Peut être relancée sans risque : "
        "elle crée ce qui manque et ne défait jamais ce qu'une personne a modifié."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--region",
            action="append",
            default=None,
            help="Code INSEE de région à charger (par défaut 76 Occitanie et 93 PACA).",
        )

    def handle(self, *args, **options):
        call_command("load_reference", stdout=self.stdout)
        call_command("load_instruments", stdout=self.stdout)
        regions = options["region"] or ["76", "93"]
        call_command("load_communes", *[f"--region={code}" for code in regions], stdout=self.stdout)
        call_command("load_demo_territory", stdout=self.stdout)
        call_command("load_demo_directory", stdout=self.stdout)
        practices = load_demo_practices()
        self.stdout.write(
            f"{len(practices)} retours d'expérience de démonstration (« CPTS en pratique » n° 2)."
        )
        accounts = load_demo_accounts()
        self.stdout.write(f"{load_demo_contacts()} contact(s) après l'annonce de démonstration.")
        sectors = load_demo_sectors()
        self.stdout.write(load_demo_pathways().summary())
        self.stdout.write(load_demo_adherence())
        trained, events = load_demo_trainings()
        self.stdout.write(
            f"{len(sectors)} secteurs, {trained} infirmières formées, {events} événements à venir "
            "(CPTS Nord Aveyron et agenda régional)."
        )
        self.stdout.write(
            f"{len(load_demo_outreach())} campagnes de flyers et d'affiches de démonstration."
        )
        survey = load_demo_survey(User.objects.get(username="regional.occitanie"))
        self.stdout.write(
            f"Enquête régionale de démonstration : « {survey.title} », "
            f"{survey.responses.count()} réponses fictives, registre fictif de "
            f"{survey.register.entries.count() if survey.register else 0} CPTS."
        )
        width = max(len(a.username) for a in accounts)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Comptes de démonstration (un par rôle) :"))
        for account in accounts:
            where = f" — {account.cpts_slug}" if account.cpts_slug else ""
            label = Role(account.role).label
            self.stdout.write(f"  {account.username:<{width}}  {label}{where}")
        self.stdout.write(
            f"  Mot de passe (commun aux comptes de démonstration) : {demo_password()}"
        )
        if settings.ONCOLIEN_REQUIRE_2FA:
            self.stdout.write(
                "  La vérification en deux étapes sera demandée aux rôles qui voient des données "
                "de patients (application d'authentification requise)."
            )
        else:
            self.stdout.write(
                "  Démonstration : la vérification en deux étapes est facultative "
                "(ONCOLIEN_REQUIRE_2FA=1 pour l'exiger)."
            )
