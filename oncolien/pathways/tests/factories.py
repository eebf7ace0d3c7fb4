"""Test data for pathways, through the real services."""

import re
from datetime import date

from oncolien.pathways.services import care_team_add, intake_create
from oncolien.territories.models import Commune, Cpts


def make_pathway(
    *,
    actor,
    cpts: Cpts | str = "cpts-nord-aveyron",
    commune: str = "12096",
    gp_phone: str = "",
    gp_mssante_address: str = "",
    **patient,
):
    """A pathway created by an intake call of `actor` (a coordinator or coordinating nurse)."""
    if isinstance(cpts, str):
        cpts = Cpts.objects.get(slug=cpts)
    values = {
        "last_name": "Martin",
        "first_name": "Jeanne",
        "birth_date": date(1958, 4, 12),
        "sex": "F",
        "commune": Commune.objects.get(insee_code=commune),
        **patient,
    }
    return intake_create(
        actor=actor,
        cpts=cpts,
        patient=values,
        intake_channel="phone_line",
        first_contact_on=date(2026, 11, 2),
        informed_on=date(2026, 11, 2),
        gp_phone=gp_phone,
        gp_mssante_address=gp_mssante_address,
    )


def add_to_team(*, actor, pathway, user, role: str):
    return care_team_add(actor=actor, pathway=pathway, role=role, user=user)


def form_token(page: str) -> str:
    """The one-time token a sheet form page carries, to post it as a browser would."""
    match = re.search(r'name="form_token" value="([^"]+)"', page)
    assert match, "the sheet form carries a one-time token"
    return match.group(1)
