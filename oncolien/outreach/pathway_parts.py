"""The outreach app's part of the coordinating nurses' worklist: the contact requests
sent from a campaign's page, waiting for their first call (no pathway yet)."""

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from oncolien.accounts.models import User
from oncolien.outreach.selectors import contact_requests_waiting
from oncolien.pathways.extensions import WorkItem, WorkSection
from oncolien.pathways.models import Pathway
from oncolien.sectors.selectors import sector_proposal_text

ITEMS_SHOWN = 20


def worklist_section(user: User, visible: QuerySet[Pathway]) -> WorkSection:
    # The requests are not pathways: they are scoped by their own permission, not by
    # the pathways the user sees.
    waiting = contact_requests_waiting(user=user)
    shown = list(waiting[:ITEMS_SHOWN])
    total = len(shown) if len(shown) < ITEMS_SHOWN else waiting.count()
    # A request is a new intake: who its commune's sector proposes, as the intake does.
    proposals: dict[int, str] = {}
    for r in shown:
        if r.commune_id not in proposals:
            proposals[r.commune_id] = sector_proposal_text(cpts=r.campaign.cpts, commune=r.commune)
    items = [
        WorkItem(
            pathway=None,
            title=f"Demande de contact : {r.name}, {r.commune.name}",
            detail=(
                f"{r.get_preferred_time_display()}, campagne « {r.campaign.name} », reçue le "
                f"{timezone.localtime(r.created_at):%d/%m/%Y à %H:%M} — "
                f"{proposals[r.commune_id]}"
            ),
            url=reverse("outreach:contact_request", kwargs={"pk": r.pk}),
        )
        for r in shown
    ]
    return WorkSection(
        title="Demandes de contact (flyers et affiches)",
        items=items,
        empty_text="Aucune demande de contact en attente.",
        total=total,
        total_text="demandes de contact en attente",
        # Written in the worklist's audit entry, with the pathways it shows.
        audit_details={"contact_request_ids": [r.pk for r in shown]} if shown else {},
    )
