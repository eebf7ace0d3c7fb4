"""The three demonstration CPTS of « CPTS en pratique » n°2, on real communes.

Their exact perimeters are not public: data/demo_cpts.json lists plausible
communes (see data/build_demo_perimeters.py for how they were chosen). The
population and size class of each CPTS are then computed from those communes,
like for any CPTS; the figures the document gives are kept in the file for
comparison only.
"""

import json
from datetime import date
from pathlib import Path

from django.db import transaction

from .models import Commune, Cpts

DEMO_FILE = Path(__file__).resolve().parent / "data" / "demo_cpts.json"
DEMO_DEPARTMENTS = ("12", "31", "81")


class DemoTerritoryError(RuntimeError):
    """The demo territory cannot be built; the French message says what to do."""


def demo_spec() -> list[dict]:
    return json.loads(DEMO_FILE.read_text(encoding="utf-8"))["cpts"]


@transaction.atomic
def load_demo_territory() -> list[Cpts]:
    """Create or update the demo CPTS (by slug) and set their communes. Idempotent."""
    spec = demo_spec()
    wanted = {
        commune["insee_code"]: commune["name"] for item in spec for commune in item["communes"]
    }
    ids = dict(Commune.objects.filter(insee_code__in=wanted).values_list("insee_code", "id"))
    if missing := sorted(set(wanted) - set(ids)):
        example = f"{missing[0]} {wanted[missing[0]]}"
        departments = " ".join(f"--department {code}" for code in DEMO_DEPARTMENTS)
        raise DemoTerritoryError(
            f"{len(missing)} communes des CPTS de démonstration ne sont pas chargées "
            f"(par exemple {example}). Chargez-les d'abord : "
            f"python manage.py load_communes {departments}"
        )
    result = []
    for item in spec:
        cpts, _ = Cpts.objects.update_or_create(
            slug=item["slug"],
            defaults={
                "name": item["name"],
                "contact_email": item["contact_email"],
                "website": item["website"],
                "aci_signed_on": date.fromisoformat(item["aci_signed_on"]),
                "is_demo": True,
            },
        )
        cpts.communes.set([ids[commune["insee_code"]] for commune in item["communes"]])
        result.append(cpts)
    return result
