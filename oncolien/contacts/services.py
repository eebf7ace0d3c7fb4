"""Writes on a CPTS's contacts after the announcement: authorised, checked, audited."""

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from oncolien.accounts.authorization import authorize
from oncolien.accounts.models import User
from oncolien.audit.services import audit_record
from oncolien.contacts.access import CONTACTS_EDIT
from oncolien.contacts.kinds import contact_kinds
from oncolien.contacts.models import AnnouncementContact
from oncolien.directory.identifiers import check_phone
from oncolien.territories.models import Cpts

FIELDS = ("kind", "name", "establishment", "phone", "email", "hours", "position")


def _checked(values: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    clean = {name: values.get(name) for name in FIELDS}
    for name in ("name", "establishment", "hours", "email"):
        clean[name] = (clean[name] or "").strip()
    if clean["kind"] not in contact_kinds().labels:
        errors["kind"] = "Choisissez un rôle de la liste."
    if not clean["name"]:
        errors["name"] = "Indiquez l'intitulé du contact."
    if not clean["establishment"]:
        errors["establishment"] = "Indiquez l'établissement."
    raw_phone = str(clean["phone"] or "").strip()
    phone = check_phone(raw_phone)
    if not raw_phone:
        errors["phone"] = "Indiquez le numéro de téléphone."
    elif re.fullmatch(r"\d{2,4}", raw_phone):
        # A short number (15, 112, 3114) is a number people call too.
        clean["phone"] = raw_phone
    elif phone.error:
        errors["phone"] = phone.error
    else:
        clean["phone"] = phone.value
    position = clean["position"]
    number = 10
    if position not in (None, ""):
        try:
            number = int(str(position))
        except ValueError:
            number = -1
        if not 0 <= number <= 999:
            errors["position"] = "L'ordre est un nombre entre 0 et 999."
    clean["position"] = number
    if errors:
        raise ValidationError(errors)
    return clean


def contact_save(
    *, actor: User, cpts: Cpts, contact: AnnouncementContact | None = None, **values: Any
) -> AnnouncementContact:
    """Create (`contact` None) or change a contact of `cpts`; bad input changes nothing."""
    authorize(actor, CONTACTS_EDIT, cpts)
    if contact is not None and contact.cpts_id != cpts.pk:
        authorize(actor, CONTACTS_EDIT, contact.cpts)
        raise ValidationError("Ce contact n'appartient pas à cette CPTS.")
    clean = _checked(values)
    with transaction.atomic():
        created = contact is None
        if contact is None:
            contact = AnnouncementContact(cpts=cpts)
        for name, value in clean.items():
            setattr(contact, name, value)
        contact.updated_by = actor
        contact.save()
        audit_record(
            actor=actor,
            action="announcement_contact.create" if created else "announcement_contact.update",
            target=contact,
            details={"cpts": cpts.pk, "kind": contact.kind},
        )
    return contact


def contact_delete(*, actor: User, contact: AnnouncementContact) -> None:
    authorize(actor, CONTACTS_EDIT, contact.cpts)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="announcement_contact.delete",
            target=contact,
            details={"cpts": contact.cpts_id, "name": contact.name},
        )
        contact.delete()
