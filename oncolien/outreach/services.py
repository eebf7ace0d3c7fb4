"""Writes of the outreach app: the CPTS's material, its campaigns, the counts of
visits, and the contact requests a public page receives.

Each function validates everything before writing (bad input changes nothing),
writes atomically and audits; nothing a person typed goes to a log or to the audit
details (only ids and outcomes)."""

import re
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from oncolien.accounts.authorization import authorize
from oncolien.accounts.models import User
from oncolien.audit.services import audit_record
from oncolien.outreach.access import CAMPAIGN_MANAGE, CONTACT_REQUEST_WRITE, MATERIAL_EDIT
from oncolien.outreach.models import (
    Campaign,
    CampaignVisitDay,
    ContactRequest,
    Material,
    PreferredTime,
)
from oncolien.rate_limits import seconds_before_next, sender_fingerprint
from oncolien.territories.lookups import resolve_commune
from oncolien.territories.models import Commune, Cpts

# A request holds a person's name and phone for one purpose, calling back: erased a
# month after the call (what matters then is in the intake call or the pathway), or
# after a year when nobody called.
ERASE_AFTER_CALL = timedelta(days=30)
ERASE_UNANSWERED_AFTER = timedelta(days=365)

# A person asks once; a few tries (a typo, a relative) are fine, a flood is not.
CONTACT_REQUESTS_PER_WINDOW = 3
CONTACT_REQUEST_WINDOW = timedelta(hours=1)

_PHONE_RE = re.compile(r"^(?:0|\+33|0033)([1-9]\d{8})$")


def normalize_phone(text: str) -> str:
    """A French phone number written as « 06 95 54 69 03 », or a French error."""
    compact = re.sub(r"[\s.\-()]", "", text or "")
    if not compact:
        raise ValidationError("Indiquez un numéro de téléphone où vous rappeler.")
    match = _PHONE_RE.match(compact)
    if match is None:
        raise ValidationError(
            "Ce numéro de téléphone n'est pas valide : indiquez 10 chiffres, par exemple "
            "06 12 34 56 78."
        )
    digits = "0" + match.group(1)
    return " ".join(digits[i : i + 2] for i in range(0, 10, 2))


# --- The CPTS's material ------------------------------------------------------------


def material_of(cpts: Cpts) -> Material:
    """The CPTS's material, or its defaults (unsaved) before a coordinator writes it."""
    material = Material.objects.filter(cpts=cpts).first()
    if material is None:
        material = Material(cpts=cpts, phone=cpts.contact_phone, email=cpts.contact_email)
    return material


@transaction.atomic
def material_update(*, actor: User, cpts: Cpts, values: dict) -> Material:
    authorize(actor, MATERIAL_EDIT, cpts)
    material = material_of(cpts)
    for name, value in values.items():
        setattr(material, name, value.strip() if isinstance(value, str) else value)
    material.phone = normalize_phone(material.phone) if material.phone else ""
    if not material.points:
        raise ValidationError({"offer_points": "Indiquez au moins un point de l'offre."})
    material.updated_by = actor
    material.full_clean()
    material.save()
    audit_record(actor=actor, action="outreach.material.update", target=material)
    return material


# --- Campaigns -----------------------------------------------------------------------


def campaign_create(*, actor: User, cpts: Cpts, name: str, audience: str = "") -> Campaign:
    authorize(actor, MATERIAL_EDIT, cpts)
    name = (name or "").strip()
    if not name:
        raise ValidationError(
            {"name": "Donnez un nom à la campagne (par exemple : radiologie Carbonne)."}
        )
    if Campaign.objects.filter(cpts=cpts, name__iexact=name).exists():
        raise ValidationError({"name": f"La campagne « {name} » existe déjà dans cette CPTS."})
    campaign = Campaign(cpts=cpts, name=name, audience=(audience or "").strip(), created_by=actor)
    campaign.full_clean()
    try:
        with transaction.atomic():
            campaign.save()
            audit_record(actor=actor, action="outreach.campaign.create", target=campaign)
    except IntegrityError:
        raise ValidationError(
            {"name": f"La campagne « {name} » existe déjà dans cette CPTS."}
        ) from None
    return campaign


@transaction.atomic
def campaign_set_active(*, actor: User, campaign: Campaign, active: bool) -> Campaign:
    authorize(actor, CAMPAIGN_MANAGE, campaign)
    campaign.active = active
    campaign.save(update_fields=["active"])
    audit_record(
        actor=actor, action="outreach.campaign.update", target=campaign, details={"active": active}
    )
    return campaign


def campaign_visit_count(campaign: Campaign) -> None:
    """One more opening of the campaign's page today (Europe/Paris): a count only."""
    day = timezone.localdate()
    updated = CampaignVisitDay.objects.filter(campaign=campaign, day=day).update(
        count=F("count") + 1
    )
    if updated:
        return
    try:
        with transaction.atomic():
            CampaignVisitDay.objects.create(campaign=campaign, day=day, count=1)
    except IntegrityError:
        # Another request created today's row first.
        CampaignVisitDay.objects.filter(campaign=campaign, day=day).update(count=F("count") + 1)


# --- The territory check and the contact request -----------------------------------------


@dataclass(frozen=True)
class Coverage:
    commune: Commune
    covered: bool
    others: list[Cpts]  # the CPTS that cover the commune when this one does not


def coverage_for(*, cpts: Cpts, commune: Commune) -> Coverage:
    if cpts.communes.filter(pk=commune.pk).exists():
        return Coverage(commune, True, [])
    others = list(Cpts.objects.filter(communes=commune).exclude(pk=cpts.pk).order_by("name"))
    return Coverage(commune, False, others)


def not_covered_message(coverage: Coverage, cpts: Cpts) -> str:
    where = f"La commune {coverage.commune.name} ({coverage.commune.department.code})"
    if coverage.others:
        named = ", ".join(f"la {c.name}" for c in coverage.others)
        return (
            f"{where} n'est pas dans le territoire de la {cpts.name} : elle est couverte par "
            f"{named}, à contacter directement."
        )
    return (
        f"{where} n'est pas dans le territoire de la {cpts.name}, et nous ne connaissons pas "
        "de CPTS qui la couvre : parlez-en à votre médecin traitant."
    )


class TooManyRequests(Exception):
    def __init__(self, retry_after: int):
        self.retry_after = retry_after
        minutes = max(1, retry_after // 60)
        super().__init__(
            "Plusieurs demandes ont déjà été envoyées depuis cette connexion : réessayez dans "
            f"{minutes} minute{'s' if minutes > 1 else ''}, ou appelez directement le numéro "
            "indiqué sur cette page."
        )


def contact_request_submit(
    *,
    campaign: Campaign,
    name: str,
    phone: str,
    commune: str,
    postal_code: str = "",
    preferred_time: str,
    message: str = "",
    consent: bool,
    client_ip: str | None,
) -> ContactRequest:
    """A person's request to be called back, from the campaign's page (no account).

    Refused with French messages, nothing written, when a field is wrong, when the
    commune is outside the CPTS (the message says who covers it), or when this
    connection already sent its share (TooManyRequests)."""
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = ["Indiquez votre nom, pour que l'infirmière sache qui rappeler."]
    try:
        phone = normalize_phone(phone)
    except ValidationError as error:
        errors["phone"] = error.messages
    place: Commune | None = None
    try:
        place = resolve_commune(commune, postal_code)
    except ValidationError as error:
        errors["commune"] = error.messages
    if place is not None:
        coverage = coverage_for(cpts=campaign.cpts, commune=place)
        if not coverage.covered:
            errors["commune"] = [not_covered_message(coverage, campaign.cpts)]
    if preferred_time not in PreferredTime.values:
        errors["preferred_time"] = ["Choisissez le moment où vous préférez être rappelé·e."]
    if not consent:
        errors["consent"] = [
            "Cochez la case pour accepter d'être rappelé·e : sans votre accord, nous ne "
            "pouvons pas garder votre demande."
        ]
    if not campaign.active:
        errors["__all__"] = ["Cette campagne est terminée : appelez directement le numéro indiqué."]
    if errors:
        raise ValidationError(errors)
    assert place is not None
    fingerprint = sender_fingerprint(client_ip)
    with transaction.atomic():
        wait = seconds_before_next(
            ContactRequest.objects.select_for_update().filter(sender_fingerprint=fingerprint),
            limit=CONTACT_REQUESTS_PER_WINDOW,
            window=CONTACT_REQUEST_WINDOW,
        )
        if wait is not None:
            raise TooManyRequests(wait)
        request = ContactRequest(
            campaign=campaign,
            name=name,
            phone=phone,
            commune=place,
            preferred_time=preferred_time,
            message=(message or "").strip(),
            consented_at=timezone.now(),
            sender_fingerprint=fingerprint,
        )
        request.full_clean()
        request.save()
        audit_record(
            actor=None,
            action="outreach.contact_request.create",
            target=request,
            details={"campaign": campaign.pk},
        )
    return request


@transaction.atomic
def contact_request_called_back(*, actor: User, request: ContactRequest) -> ContactRequest:
    """The nurse called the person back: the request leaves the worklist."""
    authorize(actor, CONTACT_REQUEST_WRITE, request)
    if request.called_back_at is None:
        request.called_back_at = timezone.now()
        request.called_back_by = actor
        request.save(update_fields=["called_back_at", "called_back_by"])
        audit_record(actor=actor, action="outreach.contact_request.called_back", target=request)
    return request


def contact_requests_erase(*, now=None) -> int:
    """Erase the name, phone and message of the requests past their retention; the
    rows stay for the counts. Idempotent; returns how many were erased."""
    now = now or timezone.now()
    due = ContactRequest.objects.filter(erased_at__isnull=True).filter(
        Q(called_back_at__lt=now - ERASE_AFTER_CALL)
        | Q(called_back_at__isnull=True, created_at__lt=now - ERASE_UNANSWERED_AFTER)
    )
    with transaction.atomic():
        erased = due.update(name="", phone="", message="", erased_at=now)
        if erased:
            audit_record(
                actor=None, action="outreach.contact_request.erase", details={"count": erased}
            )
    return erased
