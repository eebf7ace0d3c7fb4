"""Reads of referrals. A referral is reached through its pathway (`pathway_for`:
authorised, audited, 404 for anyone else), or by a provider account through
"referral.respond", or by the signed link (`provider_links`)."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from oncolien.accounts.authorization import AccessDenied, AnyUser, authorize, visible
from oncolien.accounts.models import User
from oncolien.audit.services import audit_record
from oncolien.pagination import Page, page_of
from oncolien.pathways.extensions import ReportSection, TimelineEvent, WorkItem, WorkSection
from oncolien.pathways.models import Pathway
from oncolien.pathways.selectors import pathway_for, sharing_allowed
from oncolien.referrals import provider_links, statuses
from oncolien.referrals.access import REFERRAL_RESPOND
from oncolien.referrals.models import Referral, ReferralEvent
from oncolien.referrals.statuses import ReferralStatus


def stale_days() -> int:
    return settings.ONCOLIEN_REFERRAL_STALE_DAYS


def _with_relations(queryset: QuerySet[Referral]) -> QuerySet[Referral]:
    return queryset.select_related("care_type", "service__organization", "created_by")


def referrals_of(pathway: Pathway) -> list[Referral]:
    """The referrals of a pathway obtained from `pathway_for` (already authorised)."""
    return list(_with_relations(pathway.referrals.all()).order_by("care_type__position", "-pk"))


def referral_for(*, user: AnyUser, pk: int, action: str = "referral.read") -> Referral:
    """One referral for a user who may see its pathway; Http404 otherwise (denial audited)."""
    # Also read by the FHIR endpoints, which are open to anonymous requests: an
    # anonymous user is refused like an outsider (404, refusal audited).
    pathway_id = Referral.objects.filter(pk=pk).values_list("pathway_id", flat=True).first()
    if pathway_id is None:
        raise Http404("Orientation introuvable.")
    pathway = pathway_for(user=user, pk=pathway_id, action=action)
    referral = _with_relations(Referral.objects.filter(pk=pk)).get()
    referral.pathway = pathway
    return referral


def provider_referral_for(*, user: User, pk: int) -> Referral:
    """A referral addressed to the provider's organisation; Http404 otherwise (audited)."""
    referral = (
        Referral.objects.select_related(
            "pathway__patient__commune",
            "pathway__cpts",
            "care_type",
            "service__organization",
            "created_by",
        )
        .filter(pk=pk)
        .first()
    )
    if referral is None:
        raise Http404("Orientation introuvable.")
    try:
        authorize(user, REFERRAL_RESPOND, referral)
    except AccessDenied:
        raise Http404("Orientation introuvable.") from None
    audit_record(actor=user, action="referral.provider_read", target=referral)
    return referral


def provider_referrals_for(*, user: User, page: int = 1, per_page: int = 50) -> Page[Referral]:
    """A page of the referrals addressed to the organisations the provider acts for (see
    access.py), the latest news first, with their total; PageOutOfRange for a page that
    does not exist."""
    shown = page_of(
        visible(user, REFERRAL_RESPOND, Referral.objects.all())
        .exclude(status=ReferralStatus.PROPOSED)
        .select_related("care_type", "service__organization", "pathway__cpts")
        .order_by("-status_changed_at", "-pk"),
        page,
        per_page,
    )
    audit_record(
        actor=user,
        action="referral.provider_list",
        details={"referral_ids": [r.pk for r in shown.items]},
    )
    return shown


# --- Pathway timeline, worklist ------------------------------------------------------


def timeline_events(referrals: list[Referral]) -> list[TimelineEvent]:
    """The events of these referrals of one pathway (`referrals_of(pathway)`, already read
    for the pathway page's panel), joined to them in Python; none to read without one."""
    if not referrals:
        return []
    by_pk = {referral.pk: referral for referral in referrals}
    events = list(ReferralEvent.objects.filter(referral__in=list(by_pk)).select_related("by"))
    for event in events:
        event.referral = by_pk[event.referral_id]
    result = []
    for event in events:
        referral = event.referral
        status = ReferralStatus(event.to_status)
        title = f"Orientation {referral.care_type.name} : {status.label.lower()}"
        detail = " — ".join(
            part for part in (referral.recipient_name, event.detail, event.reason) if part
        )
        result.append(TimelineEvent(event.at, "referral", title, detail, event.who))
    return result


def report_section(pathway: Pathway) -> ReportSection:
    """The supportive care proposed and done, for a visit report of `pathway` (already
    authorised by the report): one line per referral that was not cancelled."""
    lines = []
    for referral in referrals_of(pathway):
        if referral.status == ReferralStatus.CANCELLED:
            continue
        status = referral.get_status_display()
        if referral.status == ReferralStatus.APPOINTMENT_SET and referral.appointment_on:
            status = f"{status} le {referral.appointment_on:%d/%m/%Y}"
        since = timezone.localdate(referral.status_changed_at).strftime("%d/%m/%Y")
        lines.append(
            f"{referral.care_type.name} — {referral.recipient_name} : {status.lower()} "
            f"(depuis le {since})"
        )
    return ReportSection(
        "Soins de support proposés et réalisés",
        lines,
        "Aucun soin de support n'a été proposé pour l'instant.",
    )


# The worklist shows the oldest ones; it says how many more are waiting.
STALE_SHOWN = 100


def stale_referrals(visible: QuerySet[Pathway], *, now=None) -> tuple[list[Referral], int]:
    """The oldest referrals of the visible pathways waiting for news longer than the set
    delay (at most STALE_SHOWN), and how many there are in all."""
    limit = (now or timezone.now()) - timedelta(days=stale_days())
    waiting = Referral.objects.filter(
        pathway__in=visible,
        status__in=statuses.WAITING,
        status_changed_at__lt=limit,
    )
    shown = list(
        waiting.select_related("pathway__patient", "care_type", "service__organization").order_by(
            "status_changed_at", "pk"
        )[:STALE_SHOWN]
    )
    return shown, (len(shown) if len(shown) < STALE_SHOWN else waiting.count())


def worklist_section(user: User, visible: QuerySet[Pathway]) -> WorkSection:
    days = stale_days()
    stale, total = stale_referrals(visible)
    items = [
        WorkItem(
            pathway=referral.pathway,
            title=f"Orientation {referral.care_type.name} sans nouvelles",
            detail=(
                f"{referral.get_status_display()} depuis le "
                f"{timezone.localtime(referral.status_changed_at):%d/%m/%Y}"
                f" — {referral.recipient_name}"
            ),
            url=reverse("referrals:referral_detail", kwargs={"pk": referral.pk}),
        )
        for referral in stale
    ]
    return WorkSection(
        title=f"Orientations sans nouvelles depuis plus de {days} jours",
        items=items,
        empty_text="Aucune orientation en attente de nouvelles.",
        total=total,
        total_text="orientations sans nouvelles",
    )


# --- What the provider sees ------------------------------------------------------------


@dataclass(frozen=True)
class ProviderView:
    """Only what a provider needs to answer a referral (data minimisation).

    The patient's fields are empty once the provider has nothing left to do for them
    (`shows_patient` false: care done, referral ended, pathway closed).
    """

    care_type: str
    shows_patient: bool
    patient: str  # first name and initial of the last name
    age: int | None
    commune: str
    phone: str  # empty when the patient objected to sharing, or has none
    referrer: str
    referrer_phone: str  # the referrer's own, else the CPTS's
    referrer_email: str
    cpts: str
    note: str
    status: str
    status_label: str
    appointment_on: object
    appointment: str  # « 15/12/2026 à 14h30 »

    @property
    def phone_tel(self) -> str:
        return tel_uri(self.phone)

    @property
    def referrer_phone_tel(self) -> str:
        return tel_uri(self.referrer_phone)


def tel_uri(phone: str) -> str:
    """The number as a `tel:` link dials it: digits, and a leading + kept."""
    digits = "".join(c for c in phone if c.isdigit())
    if not digits:
        return ""
    return f"tel:{'+' if phone.strip().startswith('+') else ''}{digits}"


def provider_view(referral: Referral) -> ProviderView:
    pathway = referral.pathway
    patient = pathway.patient
    author = referral.created_by
    shown = provider_links.shows_patient(referral)
    return ProviderView(
        care_type=referral.care_type.name,
        shows_patient=shown,
        patient=f"{patient.first_name} {patient.last_name[:1].upper()}."
        + (" (fictif)" if patient.is_fictitious else "")
        if shown
        else "",
        age=patient.age_on(timezone.localdate()) if shown else None,
        commune=patient.commune.name if shown else "",
        phone=patient.phone if shown and sharing_allowed(pathway) else "",
        referrer=author.get_full_name() or author.get_username(),
        referrer_phone=author.phone or pathway.cpts.contact_phone,
        referrer_email=author.email or pathway.cpts.contact_email,
        cpts=pathway.cpts.name,
        note=referral.note if shown else "",
        status=referral.status,
        status_label=referral.get_status_display(),
        appointment_on=referral.appointment_on,
        appointment=referral.appointment_label,
    )
