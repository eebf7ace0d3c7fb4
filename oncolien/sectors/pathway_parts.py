"""What the sectors add to the pathways app (registered in AppConfig.ready): the
nurses proposed on the intake form, the choice made there, and the panel of the
pathway page that says who coordinates it and lets a coordinator hand it over."""

from collections.abc import Mapping

from django.core.exceptions import ValidationError

from oncolien.accounts.authorization import is_allowed
from oncolien.accounts.models import User
from oncolien.pathways.access import PATHWAY_CREATE
from oncolien.pathways.extensions import Panel
from oncolien.pathways.models import CareTeamRole, Pathway
from oncolien.sectors import selectors, services
from oncolien.sectors.access import NURSE_REASSIGN
from oncolien.territories.models import Commune, Cpts

FIELD = "coordinating_nurse"


def intake_proposal(
    user: User, cpts: Cpts, commune: Commune, data: Mapping[str, str]
) -> Panel | None:
    """The coordinating nurses for a patient of `commune`, the sector's first, each
    with her workload; the first one is chosen unless the form says otherwise."""
    if not is_allowed(user, PATHWAY_CREATE, cpts):
        return None
    nurses = selectors.proposed_nurses(cpts, commune)
    if not nurses:
        return None
    chosen = str(data.get(FIELD) or nurses[0].user.pk)
    return Panel(
        "sectors/_intake_proposal.html",
        {
            "field": FIELD,
            "nurses": nurses,
            "chosen": chosen,
            "commune": commune,
            "sector": selectors.sector_of_commune(cpts=cpts, commune=commune),
        },
    )


def intake_assign(actor: User, pathway: Pathway, data: Mapping[str, str]) -> None:
    value = (data.get(FIELD) or "").strip()
    if not value:
        return
    nurse = selectors.coordinating_nurses(pathway.cpts).filter(pk=value if value.isdigit() else -1)
    chosen = nurse.first()
    if chosen is None:
        raise ValidationError(
            {FIELD: "Choisissez une infirmière ou un infirmier de coordination de la CPTS."}
        )
    services.intake_nurse_assign(actor=actor, pathway=pathway, nurse=chosen)


def nurse_panel(user: User, pathway: Pathway) -> Panel:
    # From the active care team the pathway page already holds (prefetched as
    # `active_team` by the pathways app), not a second read of it.
    team = getattr(pathway, "active_team", None)
    if team is None:
        team = list(pathway.care_team.filter(active=True))
    seats = [
        m
        for m in team
        if m.role == CareTeamRole.COORDINATING_NURSE and m.active and m.user_id is not None
    ]
    current = max(seats, key=lambda m: m.pk) if seats else None
    may_reassign = is_allowed(user, NURSE_REASSIGN, pathway)
    return Panel(
        "sectors/_pathway_panel.html",
        {
            "pathway": pathway,
            "current": current,
            "assignments": list(selectors.assignments_of(pathway)[:10]),
            "may_reassign": may_reassign and pathway.status != "closed",
            "nurses": selectors.proposed_nurses(pathway.cpts, pathway.patient.commune)
            if may_reassign
            else [],
        },
    )
