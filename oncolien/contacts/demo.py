"""Demo contacts after the announcement, for the demo CPTS (fictitious numbers in the
range ARCEP keeps for fiction, 05 36 49 xx xx, as the demo directory's).

Idempotent: a CPTS that already has contacts keeps them as they are (a person may
have curated them); only a CPTS with none gets the demo list.
"""

from django.db import transaction

from oncolien.contacts.models import AnnouncementContact
from oncolien.territories.models import Cpts

WEEKDAYS = "du lundi au vendredi, 9 h – 17 h"

DEMO_CONTACTS: dict[str, list[dict[str, str]]] = {
    "cpts-sud-tarn": [
        {
            "kind": "day_hospital",
            "name": "Hôpital de jour d'oncologie",
            "establishment": "Centre hospitalier de Castres (fictif)",
            "phone": "05 36 49 20 01",
            "hours": "du lundi au vendredi, 8 h 30 – 18 h",
        },
        {
            "kind": "announcement_nurse",
            "name": "Infirmière de la consultation d'annonce",
            "establishment": "Clinique de Castres (fictif)",
            "phone": "05 36 49 20 02",
            "email": "annonce@clinique-castres.invalid",
            "hours": WEEKDAYS,
        },
        {
            "kind": "coordination_3c",
            "name": "3C du territoire",
            "establishment": "Centre hospitalier de Castres (fictif)",
            "phone": "05 36 49 20 03",
            "hours": WEEKDAYS,
        },
        {
            "kind": "social_worker",
            "name": "Assistante sociale d'oncologie",
            "establishment": "Centre hospitalier de Castres (fictif)",
            "phone": "05 36 49 20 04",
            "hours": "mardi et jeudi, 9 h – 16 h",
        },
        {
            "kind": "emergency_line",
            "name": "Astreinte d'oncologie (soirs et week-ends)",
            "establishment": "Centre hospitalier de Castres (fictif)",
            "phone": "05 36 49 20 09",
            "hours": "24 h/24, 7 j/7",
        },
    ],
    "cpts-nord-aveyron": [
        {
            "kind": "day_hospital",
            "name": "Hôpital de jour d'oncologie",
            "establishment": "Centre hospitalier de Rodez (fictif)",
            "phone": "05 36 49 21 01",
            "hours": WEEKDAYS,
        },
        {
            "kind": "announcement_nurse",
            "name": "Infirmier de la consultation d'annonce",
            "establishment": "Centre hospitalier de Rodez (fictif)",
            "phone": "05 36 49 21 02",
            "hours": WEEKDAYS,
        },
        {
            "kind": "social_worker",
            "name": "Service social",
            "establishment": "Centre hospitalier d'Espalion (fictif)",
            "phone": "05 36 49 21 04",
            "hours": "du lundi au vendredi, 9 h – 12 h",
        },
        {
            "kind": "emergency_line",
            "name": "Ligne d'astreinte d'oncologie",
            "establishment": "Centre hospitalier de Rodez (fictif)",
            "phone": "05 36 49 21 09",
            "hours": "24 h/24, 7 j/7",
        },
    ],
}


@transaction.atomic
def load_demo_contacts() -> int:
    """The demo contacts of every demo CPTS that has none yet; how many were created."""
    created = 0
    for slug, contacts in DEMO_CONTACTS.items():
        cpts = Cpts.objects.filter(slug=slug, is_demo=True).first()
        if cpts is None or AnnouncementContact.objects.filter(cpts=cpts).exists():
            continue
        for position, values in enumerate(contacts, start=1):
            AnnouncementContact.objects.create(cpts=cpts, position=position * 10, **values)
            created += 1
    return created
