from oncolien.outreach import services
from oncolien.outreach.models import Campaign
from oncolien.territories.models import Cpts


def make_campaign(
    *, actor, cpts: str = "cpts-nord-aveyron", name: str = "radiologie Espalion"
) -> Campaign:
    place = Cpts.objects.get(slug=cpts)
    services.material_update(
        actor=actor,
        cpts=place,
        values={
            "offer_title": "Soutenir et accompagner face au cancer",
            "offer_points": "Un soutien dès les premiers doutes.\nUn suivi après les traitements.",
            "contact_name": "Marion, infirmière de parcours",
            "phone": "06 95 54 69 03",
            "phone_hours": "Absente le mercredi",
            "email": "",
        },
    )
    return services.campaign_create(actor=actor, cpts=place, name=name, audience="radiologues")
