"""The three practices of « CPTS en pratique » n° 2 (Sud Tarn, Nord Aveyron,
Volvestre – Cœur de Garonne), published, built from the document's own words
(data/demo_practices.json). The document draws each radar without its values:
the radars stay unrated, and each page says so.
"""

import json
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from oncolien.practices.models import Practice, Status
from oncolien.practices.radar import definition
from oncolien.reference.models import CareType
from oncolien.territories.models import Cpts

DEMO_FILE = Path(__file__).resolve().parent / "data" / "demo_practices.json"
FIELDS = (
    "summary",
    "origin",
    "step_screening",
    "step_care",
    "step_support",
    "step_follow_up",
    "key_figures",
    "partners",
    "costs_funding",
    "obstacles_levers",
    "perspectives",
    "contact",
)


@transaction.atomic
def load_demo_practices() -> list[Practice]:
    """Create the demo practices that are missing (by CPTS and title); one already
    there is left as a person may have changed it."""
    document = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    radar = definition()
    result = []
    for item in document["practices"]:
        cpts = Cpts.objects.get(slug=item["cpts"])
        practice, created = Practice.objects.get_or_create(
            cpts=cpts,
            title=item["title"],
            defaults={
                **{name: item[name] for name in FIELDS},
                "status": Status.PUBLISHED,
                "published_at": timezone.now(),
                "radar": {axis.code: None for axis in radar.axes},
                "radar_version": radar.version,
                "radar_note": document["radar_note"],
                "is_demo": True,
            },
        )
        if created:
            practice.care_types.set(CareType.objects.filter(code__in=item["care_types"]))
        result.append(practice)
    return result
