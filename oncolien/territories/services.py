"""Writes on CPTS: create one from INSEE codes, with every input checked first."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.text import slugify

from oncolien.audit.services import audit_record
from oncolien.territories.models import Commune, Cpts

if TYPE_CHECKING:
    # Accounts depend on territories (a membership names its CPTS); for a type only.
    from oncolien.accounts.models import User


@transaction.atomic
def cpts_create(
    *,
    name: str,
    commune_codes: list[str],
    actor: User | None = None,
    contact_email: str = "",
    aci_signed_on: date | None = None,
) -> Cpts:
    """Create a CPTS from its communes' INSEE codes; refuse bad input and change nothing.

    Raises ValidationError whose messages (in French) name every problem at once.
    """
    errors: list[str] = []
    name = (name or "").strip()
    if not name:
        errors.append("Le nom de la CPTS est obligatoire.")
    elif Cpts.objects.filter(name__iexact=name).exists():
        errors.append(f"Une CPTS s'appelle déjà « {name} ».")
    elif Cpts.objects.filter(slug=slugify(name)).exists():
        errors.append(f"Le nom « {name} » est trop proche de celui d'une CPTS existante.")
    codes = sorted({code.strip() for code in commune_codes if code.strip()})
    if not codes:
        errors.append("Une CPTS doit compter au moins une commune.")
    communes = list(Commune.objects.filter(insee_code__in=codes))
    unknown = sorted(set(codes) - {c.insee_code for c in communes})
    if unknown:
        errors.append(f"Code(s) INSEE inconnu(s) : {', '.join(unknown)}.")
    if contact_email:
        try:
            validate_email(contact_email)
        except ValidationError:
            errors.append(f"Adresse de courriel invalide : « {contact_email} ».")
    if errors:
        raise ValidationError(errors)

    cpts = Cpts.objects.create(
        name=name, slug=slugify(name), contact_email=contact_email, aci_signed_on=aci_signed_on
    )
    cpts.communes.set(communes)
    audit_record(
        actor=actor, action="cpts.create", target=cpts, details={"communes": len(communes)}
    )
    return cpts
