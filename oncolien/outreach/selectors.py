"""Reads of the outreach app, each scoped by the permission table and audited when it
shows personal data."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Q, QuerySet, Sum

from oncolien.accounts.authorization import authorize, visible
from oncolien.accounts.models import User
from oncolien.audit.services import audit_record
from oncolien.outreach.access import CAMPAIGN_MANAGE, CONTACT_REQUEST_READ, MATERIAL_EDIT
from oncolien.outreach.models import Campaign, CampaignVisitDay, ContactRequest
from oncolien.pathways.access import INTAKE_CALL_READ
from oncolien.pathways.models import IntakeCall
from oncolien.territories.models import Cpts


def material_cpts_for(*, user: User) -> QuerySet[Cpts]:
    """The CPTS whose material and campaigns the user writes."""
    return visible(user, MATERIAL_EDIT, Cpts.objects.order_by("name"))


def campaigns_for(*, user: User) -> QuerySet[Campaign]:
    return visible(user, CAMPAIGN_MANAGE, Campaign.objects.select_related("cpts"))


def campaign_for(*, user: User, pk: int) -> Campaign:
    """The campaign, or AccessDenied (audited) when the user may not manage it."""
    campaign = Campaign.objects.select_related("cpts").filter(pk=pk).first()
    authorize(user, CAMPAIGN_MANAGE, campaign if campaign is not None else Campaign())
    assert campaign is not None
    return campaign


def public_campaign(code: str) -> Campaign | None:
    """The campaign of a public page (its code, as printed in the QR code)."""
    return Campaign.objects.select_related("cpts").filter(code=code).first()


@dataclass(frozen=True)
class CampaignCounts:
    visits: int
    contact_requests: int
    called_back: int
    intakes: int
    pathways: int


def campaign_counts(*, user: User, campaigns: list[Campaign]) -> dict[int, CampaignCounts]:
    """Per campaign: the page's openings, the contact requests, how many were called
    back, and the intake calls and pathways that carry the campaign as their source.
    Counts only: no row is read."""
    ids = [c.pk for c in campaigns]
    visits = dict(
        Campaign.objects.filter(pk__in=ids)
        .annotate(total=Sum("visit_days__count"))
        .values_list("pk", "total")
    )
    requests = {
        row["campaign_id"]: row
        for row in ContactRequest.objects.filter(campaign_id__in=ids)
        .values("campaign_id")
        .annotate(total=Count("pk"), called=Count("pk", filter=Q(called_back_at__isnull=False)))
    }
    calls = {
        row["source"]: row
        for row in visible(user, INTAKE_CALL_READ, IntakeCall.objects.all())
        .filter(source__in=[c.source for c in campaigns])
        .values("source")
        .annotate(total=Count("pk"), with_pathway=Count("pathway"))
        .order_by()
    }
    result = {}
    for campaign in campaigns:
        asked = requests.get(campaign.pk, {})
        called = calls.get(campaign.source, {})
        result[campaign.pk] = CampaignCounts(
            visits=visits.get(campaign.pk) or 0,
            contact_requests=asked.get("total", 0),
            called_back=asked.get("called", 0),
            intakes=called.get("total", 0),
            pathways=called.get("with_pathway", 0),
        )
    return result


def contact_requests_waiting(*, user: User) -> QuerySet[ContactRequest]:
    """The requests not yet called back that the user may read, oldest first."""
    return visible(
        user,
        CONTACT_REQUEST_READ,
        ContactRequest.objects.filter(
            called_back_at__isnull=True, erased_at__isnull=True
        ).select_related("campaign__cpts", "commune__department"),
    ).order_by("created_at", "pk")


def contact_request_for(*, user: User, pk: int) -> ContactRequest:
    """One request, read by someone allowed to (AccessDenied otherwise), audited."""
    found = (
        ContactRequest.objects.select_related(
            "campaign__cpts", "commune__department", "called_back_by"
        )
        .filter(pk=pk)
        .first()
    )
    authorize(user, CONTACT_REQUEST_READ, found if found is not None else ContactRequest())
    assert found is not None
    audit_record(actor=user, action="outreach.contact_request.read", target=found)
    return found


@dataclass(frozen=True)
class CampaignPeriodCounts:
    campaign: Campaign
    visits: int
    requests: int
    intakes: int
    pathways: int


def campaign_counts_between(
    *, cpts: Cpts, first_day: date, last_day: date, starts_at: datetime, ends_before: datetime
) -> list[CampaignPeriodCounts]:
    """The counts of each campaign of a CPTS over a period, for the indicators: the
    campaigns still active, and the others that had visits or requests in it. Counts
    only (no row about a person is read), as for every indicator."""
    campaigns = list(Campaign.objects.filter(cpts=cpts).order_by("name", "pk"))
    ids = [c.pk for c in campaigns]
    visits = dict(
        CampaignVisitDay.objects.filter(campaign_id__in=ids, day__gte=first_day, day__lte=last_day)
        .values("campaign_id")
        .annotate(total=Sum("count"))
        .values_list("campaign_id", "total")
        .order_by()
    )
    requests = dict(
        ContactRequest.objects.filter(
            campaign_id__in=ids, created_at__gte=starts_at, created_at__lt=ends_before
        )
        .values("campaign_id")
        .annotate(total=Count("pk"))
        .values_list("campaign_id", "total")
        .order_by()
    )
    calls = {
        row["source"]: row
        for row in IntakeCall.objects.filter(
            cpts=cpts,
            source__in=[c.source for c in campaigns],
            called_at__gte=starts_at,
            called_at__lt=ends_before,
        )
        .values("source")
        .annotate(total=Count("pk"), with_pathway=Count("pathway"))
        .order_by()
    }
    result = []
    for campaign in campaigns:
        row = CampaignPeriodCounts(
            campaign=campaign,
            visits=visits.get(campaign.pk) or 0,
            requests=requests.get(campaign.pk, 0),
            intakes=calls.get(campaign.source, {}).get("total", 0),
            pathways=calls.get(campaign.source, {}).get("with_pathway", 0),
        )
        if campaign.active or row.visits or row.requests or row.intakes:
            result.append(row)
    return result
