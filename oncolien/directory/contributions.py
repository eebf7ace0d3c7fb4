"""Public contributions to the directory and their moderation.

Anyone, patients included, may propose a new offer or a correction of an
existing one. A proposal is stored as plain JSON on a `Contribution` and
changes nothing in the directory: only a coordinator of the CPTS, by accepting
it (possibly after editing the values), turns it into a service, through the
same write services as the curation pages. Spam is kept out by a honeypot and a
minimum fill time in the form (see forms.py) and by a rate limit per sender here.

A proposal holds reference codes and plain values, never database objects, so
that it still reads the same when the directory has changed since:

    organization_name, organization_kind       (new offers only)
    name, description, care_types [codes], professions [codes],
    for_patients, for_relatives, phase_diagnosis, phase_treatment,
    phase_after_treatment, access, cost, remaining_cost_amount ("12.50" or None),
    cost_details, is_home_service, phone, email, url,
    address, postal_code, commune [INSEE code]  (the place; absent from the
                                                 correction of a multi-site offer)
"""

import json
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from oncolien.accounts.authorization import authorize
from oncolien.accounts.models import User
from oncolien.audit.services import audit_record
from oncolien.directory.models import (
    Access,
    Contribution,
    ContributionKind,
    ContributionStatus,
    Cost,
    Organization,
    OrganizationKind,
    Service,
    ServiceStatus,
)
from oncolien.directory.services import location_save, organization_save, service_save
from oncolien.rate_limits import seconds_before_next, sender_fingerprint
from oncolien.reference.models import CareType, Profession
from oncolien.territories.lookups import CommuneNotFound, commune_by_insee

DIRECTORY_MODERATE = "directory.moderate"

# At most this many contributions per sender and window: enough for a patient
# who proposes a few entries, too few for a robot.
RATE_LIMIT = 5
RATE_WINDOW = timedelta(hours=1)

# The plain fields of a service that a proposal carries, as service_save takes them.
SERVICE_FIELDS = (
    "name",
    "description",
    "for_patients",
    "for_relatives",
    "phase_diagnosis",
    "phase_treatment",
    "phase_after_treatment",
    "access",
    "cost",
    "remaining_cost_amount",
    "cost_details",
    "is_home_service",
    "phone",
    "email",
    "url",
)
PLACE_FIELDS = ("address", "postal_code", "commune")


class TooManyContributions(Exception):
    """The sender has reached the rate limit; nothing was stored."""

    def __init__(self, retry_after: int):
        self.retry_after = retry_after
        minutes = max(1, -(-retry_after // 60))
        super().__init__(
            f"Vous avez déjà envoyé {RATE_LIMIT} propositions en moins d'une heure : "
            f"merci pour votre aide ! Pour protéger l'annuaire des envois automatiques, "
            f"les suivantes seront acceptées dans {minutes} min environ. "
            "Votre proposition n'a pas été enregistrée : gardez cette page ouverte "
            "et envoyez-la à nouveau plus tard."
        )


def _retry_after(fingerprint: str) -> int | None:
    """Seconds before this sender may send again, or None when it may now."""
    return seconds_before_next(
        Contribution.objects.filter(sender_fingerprint=fingerprint),
        limit=RATE_LIMIT,
        window=RATE_WINDOW,
    )


def _plain_json(proposal: dict) -> dict:
    # Decimals, dates and the like become the strings the database will return.
    return json.loads(json.dumps(proposal, cls=DjangoJSONEncoder))


@transaction.atomic
def contribution_submit(
    *,
    proposal: dict,
    client_ip: str | None,
    cpts=None,
    service: Service | None = None,
    message: str = "",
    contributor_name: str = "",
    contributor_email: str = "",
) -> Contribution:
    """Store a pending proposal: a new offer for `cpts`, or a correction of `service`.

    Raises TooManyContributions (nothing stored) when the sender has reached the
    rate limit. The proposal is expected clean (see forms.ContributionForm); it is
    validated again, against the directory, when a coordinator accepts it.
    """
    if (cpts is None) == (service is None):
        raise ValueError("Indiquez soit la CPTS (nouvelle offre), soit l'offre à corriger.")
    if service is not None:
        if service.status != ServiceStatus.ACTIVE:
            raise ValidationError(
                "Cette offre n'est plus publiée : elle ne peut pas être corrigée."
            )
        cpts = service.organization.cpts
    fingerprint = sender_fingerprint(client_ip)
    retry_after = _retry_after(fingerprint)
    if retry_after is not None:
        raise TooManyContributions(retry_after)
    return Contribution.objects.create(
        cpts=cpts,
        kind=ContributionKind.CORRECTION if service else ContributionKind.NEW,
        service=service,
        proposal=_plain_json(proposal),
        message=message.strip(),
        contributor_name=contributor_name.strip(),
        contributor_email=contributor_email.strip(),
        sender_fingerprint=fingerprint,
    )


# --- Current values of a service, as a proposal and as service_save arguments.


def _single_location(service: Service):
    locations = list(service.locations.select_related("commune"))
    return locations[0] if len(locations) == 1 else None


def service_proposal(service: Service) -> dict:
    """The current values of a service in the shape of a proposal (to prefill a
    correction and to compare with one). The place is included only when the
    service is delivered at exactly one location."""
    proposal = {name: getattr(service, name) for name in SERVICE_FIELDS}
    proposal["care_types"] = sorted(service.care_types.values_list("code", flat=True))
    proposal["professions"] = sorted(service.professions.values_list("code", flat=True))
    location = _single_location(service)
    if location is not None:
        proposal.update(
            address=location.address,
            postal_code=location.postal_code,
            commune=location.commune.insee_code,
        )
    return _plain_json(proposal)


def service_current_values(service: Service) -> dict:
    """Everything service_save needs to save `service` unchanged; callers override
    what they change (e.g. `status`)."""
    values = {name: getattr(service, name) for name in SERVICE_FIELDS}
    values.update(
        service=service,
        organization=service.organization,
        care_types=list(service.care_types.all()),
        professions=list(service.professions.all()),
        labels=list(service.labels.all()),
        communes_served=list(service.communes_served.all()),
        locations=list(service.locations.all()),
    )
    return values


# --- Reading a proposal: the values a moderator compares, field by field.


@dataclass(frozen=True)
class ProposalRow:
    name: str
    label: str
    proposed: str
    current: str | None = None  # None for a new offer

    @property
    def changed(self) -> bool:
        return self.current is not None and self.current != self.proposed


ROW_LABELS = {
    "organization_name": "Structure",
    "organization_kind": "Type de structure",
    "name": "Nom de l'offre",
    "description": "Description",
    "care_types": "Soins de support",
    "professions": "Professionnels",
    "for_patients": "Pour les patients",
    "for_relatives": "Pour les proches et aidants",
    "phase_diagnosis": "Phase diagnostique",
    "phase_treatment": "Pendant le traitement",
    "phase_after_treatment": "Après le traitement",
    "access": "Accès",
    "cost": "Coût",
    "remaining_cost_amount": "Reste à charge",
    "cost_details": "Précisions sur le coût",
    "is_home_service": "À domicile",
    "address": "Adresse",
    "postal_code": "Code postal",
    "commune": "Commune",
    "phone": "Téléphone",
    "email": "Courriel",
    "url": "Page web",
}
EMPTY = "—"


def _names(model, codes) -> str:
    names = dict(model.objects.filter(code__in=codes or []).values_list("code", "name"))
    return ", ".join(sorted(names.get(code, code) for code in codes or [])) or EMPTY


def _display(name: str, value) -> str:
    """A proposal value as a French reader expects it."""
    if name == "care_types":
        return _names(CareType, value)
    if name == "professions":
        return _names(Profession, value)
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if value in (None, "", []):
        return EMPTY
    if name == "access":
        return str(dict(Access.choices).get(value, value))
    if name == "cost":
        return str(dict(Cost.choices).get(value, value))
    if name == "organization_kind":
        return str(dict(OrganizationKind.choices).get(value, value))
    if name == "remaining_cost_amount":
        try:
            return f"{Decimal(str(value)):.2f} €".replace(".", ",")
        except InvalidOperation:
            return str(value)
    if name == "commune":
        try:
            commune = commune_by_insee(str(value))
        except CommuneNotFound:
            return str(value)
        return f"{commune.name} ({commune.insee_code})"
    return str(value)


def proposal_rows(proposal: dict, current: dict | None = None) -> list[ProposalRow]:
    """The proposal field by field, next to the current values for a correction."""
    rows = []
    for name, label in ROW_LABELS.items():
        if name not in proposal and (current is None or name not in current):
            continue
        rows.append(
            ProposalRow(
                name=name,
                label=label,
                proposed=_display(name, proposal.get(name)),
                current=None if current is None else _display(name, current.get(name)),
            )
        )
    return rows


# --- Moderation.


@dataclass
class Accepted:
    contribution: Contribution
    service: Service
    warnings: list[str] = field(default_factory=list)


def _pending(contribution: Contribution) -> Contribution:
    # Locked, so that two coordinators deciding at once cannot both apply it.
    locked = Contribution.objects.select_for_update().get(pk=contribution.pk)
    if locked.status != ContributionStatus.PENDING:
        raise ValidationError("Cette contribution a déjà été traitée.")
    return locked


def _rekeyed(error: ValidationError, mapping: dict[str, str]) -> ValidationError:
    """The errors of an organisation or location save, named after the proposal's
    fields (or general) so that the moderation form shows them in the right place."""
    if not hasattr(error, "error_dict"):
        return error
    errors: dict[str, list] = {}
    for name, messages in error.error_dict.items():
        errors.setdefault(mapping.get(name, NON_FIELD_ERRORS), []).extend(messages)
    return ValidationError(errors)


ORGANIZATION_KEYS = {"name": "organization_name", "kind": "organization_kind"}
LOCATION_KEYS = {"address": "address", "postal_code": "postal_code", "commune": "commune"}


def _commune(proposal: dict):
    try:
        return commune_by_insee(str(proposal.get("commune") or ""))
    except CommuneNotFound as missing:
        raise ValidationError({"commune": str(missing)}) from None


def _service_values(proposal: dict) -> dict:
    values = {name: proposal[name] for name in SERVICE_FIELDS if name in proposal}
    amount = values.get("remaining_cost_amount")
    values["remaining_cost_amount"] = None if amount in (None, "") else Decimal(str(amount))
    if "care_types" in proposal:
        values["care_types"] = list(CareType.objects.filter(code__in=proposal["care_types"]))
    if "professions" in proposal:
        values["professions"] = list(Profession.objects.filter(code__in=proposal["professions"]))
    return values


def _create_service(
    *,
    actor: User,
    contribution: Contribution,
    proposal: dict[str, Any],
    organization: Organization | None,
) -> tuple[Service, list[str]]:
    cpts = contribution.cpts
    warnings: list[str] = []
    if organization is not None and organization.cpts_id != cpts.pk:
        raise ValidationError({"organization": "Cette structure relève d'une autre CPTS."})
    if organization is None:
        name = (proposal.get("organization_name") or "").strip()
        organization = Organization.objects.filter(cpts=cpts, name__iexact=name).first()
    if organization is None:
        try:
            saved_organization = organization_save(
                actor=actor,
                cpts=cpts,
                name=name,
                kind=proposal.get("organization_kind") or "",
            )
        except ValidationError as error:
            raise _rekeyed(error, ORGANIZATION_KEYS) from None
        organization, warnings = saved_organization.obj, saved_organization.warnings
    commune = _commune(proposal)
    address = (proposal.get("address") or "").strip()
    location = organization.locations.filter(commune=commune, address__iexact=address).first()
    if location is None:
        try:
            location = location_save(
                actor=actor,
                organization=organization,
                commune=commune,
                address=address,
                postal_code=proposal.get("postal_code") or "",
            ).obj
        except ValidationError as error:
            raise _rekeyed(error, LOCATION_KEYS) from None
    saved = service_save(
        actor=actor, organization=organization, locations=[location], **_service_values(proposal)
    )
    return saved.obj, warnings + saved.warnings


def _correct_service(
    *, actor: User, contribution: Contribution, proposal: dict[str, Any]
) -> tuple[Service, list[str]]:
    service = contribution.service
    if service is None:
        raise ValidationError(
            "L'offre à corriger n'existe plus : refusez cette contribution en le précisant."
        )
    warnings: list[str] = []
    location = _single_location(service)
    if location is not None and all(name in proposal for name in PLACE_FIELDS):
        commune = _commune(proposal)
        address = (proposal.get("address") or "").strip()
        postal_code = proposal.get("postal_code") or ""
        if (commune.pk, address, postal_code) != (
            location.commune_id,
            location.address,
            location.postal_code,
        ):
            # Coordinates typed by a curator stay, unless the place moved to another commune.
            keep = location.coordinates_given and commune.pk == location.commune_id
            try:
                saved_location = location_save(
                    actor=actor,
                    organization=service.organization,
                    location=location,
                    commune=commune,
                    address=address,
                    postal_code=postal_code,
                    latitude=location.latitude if keep else None,
                    longitude=location.longitude if keep else None,
                )
            except ValidationError as error:
                raise _rekeyed(error, LOCATION_KEYS) from None
            warnings += saved_location.warnings
    values = {**service_current_values(service), **_service_values(proposal)}
    saved = service_save(actor=actor, **values)
    return saved.obj, warnings + saved.warnings


def contribution_accept(
    *,
    actor: User,
    contribution: Contribution,
    proposal: dict | None = None,
    organization: Organization | None = None,
    note: str = "",
) -> Accepted:
    """Apply a pending contribution to the directory and record the decision.

    `proposal` is the moderator's edited version (the contributor's own is kept on
    the contribution); `organization` attaches a new offer to an existing
    organisation instead of the one named in the proposal (found by name, or
    created). Raises ValidationError, with nothing changed, when the values do not
    make a valid entry.
    """
    authorize(actor, DIRECTORY_MODERATE, contribution.cpts)
    with transaction.atomic():
        contribution = _pending(contribution)
        values = _plain_json(proposal if proposal is not None else contribution.proposal)
        if contribution.kind == ContributionKind.NEW:
            service, warnings = _create_service(
                actor=actor, contribution=contribution, proposal=values, organization=organization
            )
        else:
            service, warnings = _correct_service(
                actor=actor, contribution=contribution, proposal=values
            )
        contribution.status = ContributionStatus.ACCEPTED
        contribution.decision_reason = note.strip()
        contribution.decided_by = actor
        contribution.decided_at = timezone.now()
        contribution.resulting_service = service
        contribution.save(
            update_fields=[
                "status",
                "decision_reason",
                "decided_by",
                "decided_at",
                "resulting_service",
            ]
        )
        audit_record(
            actor=actor,
            action="directory.contribution.accepted",
            target=contribution,
            details={"service": service.pk},
        )
    return Accepted(contribution, service, warnings)


def contribution_reject(*, actor: User, contribution: Contribution, reason: str) -> Contribution:
    """Refuse a pending contribution; the reason is mandatory and kept."""
    authorize(actor, DIRECTORY_MODERATE, contribution.cpts)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": "Indiquez le motif du refus : il est conservé avec la contribution."}
        )
    with transaction.atomic():
        contribution = _pending(contribution)
        contribution.status = ContributionStatus.REJECTED
        contribution.decision_reason = reason
        contribution.decided_by = actor
        contribution.decided_at = timezone.now()
        contribution.save(update_fields=["status", "decision_reason", "decided_by", "decided_at"])
        audit_record(actor=actor, action="directory.contribution.rejected", target=contribution)
    return contribution
