"""The demo CPTS Nord Aveyron's poster and flyer, with two campaigns and one
contact request waiting on the nurses' worklist (fictitious person, fictitious
phone numbers from the range ARCEP keeps for fiction)."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from oncolien.accounts.models import User
from oncolien.outreach.models import Campaign, CampaignVisitDay, ContactRequest, Material
from oncolien.territories.models import Commune, Cpts

CPTS_SLUG = "cpts-nord-aveyron"
COORDINATOR = "coordination.nord-aveyron"
CAMPAIGNS = [
    ("Affiche — pharmacies de la vallée du Lot", "patients et proches en pharmacie"),
    ("Flyer — Espace Ligue contre le cancer d'Espalion", "personnes accueillies à l'Espace Ligue"),
]


@transaction.atomic
def load_demo_outreach() -> list[Campaign]:
    """Create what is missing; never undo what a coordinator changed. Idempotent."""
    cpts = Cpts.objects.get(slug=CPTS_SLUG)
    author = User.objects.get(username=COORDINATOR)
    Material.objects.get_or_create(
        cpts=cpts,
        defaults={
            "offer_title": "Vous êtes confronté·e au cancer et résidez dans le Nord Aveyron",
            "offer_points": (
                "Bénéficiez d'un suivi à domicile pour vous aider dans votre prise en charge.\n"
                "Des infirmières coordinatrices en cancérologie vous accompagnent.\n"
                "Elles font le lien avec tous les professionnels intervenant auprès de vous."
            ),
            "contact_name": "Les infirmières coordinatrices de la CPTS (démonstration)",
            "phone": "01 99 00 12 18",
            "phone_hours": "Du lundi au vendredi, 9 h – 17 h",
            "email": cpts.contact_email,
            "updated_by": author,
        },
    )
    campaigns = []
    for name, audience in CAMPAIGNS:
        campaign, _ = Campaign.objects.get_or_create(
            cpts=cpts, name=name, defaults={"audience": audience, "created_by": author}
        )
        campaigns.append(campaign)
    first = campaigns[0]
    today = timezone.localdate()
    for days_ago, count in ((2, 7), (1, 4), (0, 3)):
        CampaignVisitDay.objects.get_or_create(
            campaign=first, day=today - timedelta(days=days_ago), defaults={"count": count}
        )
    if not ContactRequest.objects.filter(campaign=first).exists():
        ContactRequest.objects.create(
            campaign=first,
            name="Jeanne DÉMO (fictif)",
            phone="01 99 00 45 67",
            commune=Commune.objects.get(insee_code="12096"),  # Espalion
            preferred_time="morning",
            message="",
            consented_at=timezone.now(),
            sender_fingerprint="demo",
        )
    return campaigns
