"""Demo sectors of CPTS Nord Aveyron: three sectors of plausible communes (its real
division is not public), each with its coordinating nurses; a few communes are left
without sector, as a CPTS starting its division would. The nurses other than the demo
account are fictitious and cannot log in."""

from django.db import transaction

from oncolien.accounts.models import Membership, Role, User
from oncolien.sectors.models import Sector, SectorCommune
from oncolien.territories.models import Cpts

CPTS_SLUG = "cpts-nord-aveyron"
DEMO_NURSE = "idec.nord-aveyron"  # oncolien/accounts/demo.py

# username, first name, last name of the fictitious nurses.
FICTITIOUS_NURSES = [
    ("idec2.nord-aveyron", "Hélène", "Fabre (fictive)"),
    ("idec3.nord-aveyron", "Céline", "Rouquette (fictive)"),
]

SECTORS = [
    (
        "Vallée du Lot",
        [
            "Espalion",
            "Estaing",
            "Saint-Côme-d'Olt",
            "Bessuéjouls",
            "Lassouts",
            "Sébrazac",
            "Coubisou",
            "Villecomtal",
            "Golinhac",
            "Campuac",
            "Nayrac",
            "Rodelle",
            "Bozouls",
            "Montrozier",
            "Gabriac",
        ],
        [DEMO_NURSE],
    ),
    (
        "Aubrac",
        [
            "Laguiole",
            "Saint-Chély-d'Aubrac",
            "Condom-d'Aubrac",
            "Cassuéjouls",
            "Curières",
            "Soulages-Bonneval",
            "Montpeyroux",
            "Huparlac",
            "Argences en Aubrac",
            "Cantoin",
        ],
        ["idec2.nord-aveyron"],
    ),
    (
        "Carladez",
        ["Mur-de-Barrez", "Brommat", "Thérondels", "Lacroix-Barrez", "Taussac", "Murols"],
        ["idec3.nord-aveyron", DEMO_NURSE],
    ),
]


@transaction.atomic
def load_demo_sectors() -> list[Sector]:
    """Create the missing demo sectors (by name); a sector already there is left as a
    coordinator may have changed it."""
    cpts = Cpts.objects.get(slug=CPTS_SLUG)
    for username, first_name, last_name in FICTITIOUS_NURSES:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{username}@demo.oncolien.invalid",
            },
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        Membership.objects.get_or_create(user=user, role=Role.COORDINATING_NURSE, cpts=cpts)
    sectors = []
    taken = set(SectorCommune.objects.filter(cpts=cpts).values_list("commune_id", flat=True))
    for name, communes, nurses in SECTORS:
        sector, created = Sector.objects.get_or_create(cpts=cpts, name=name)
        sectors.append(sector)
        if not created:
            continue
        for commune in cpts.communes.filter(name__in=communes).exclude(pk__in=taken):
            SectorCommune.objects.create(sector=sector, cpts=cpts, commune=commune)
            taken.add(commune.pk)
        sector.nurses.set(User.objects.filter(username__in=nurses))
    return sectors
