"""Reads of a CPTS's contacts after the announcement (no patient data)."""

from oncolien.contacts.models import AnnouncementContact
from oncolien.territories.models import Cpts


def contacts_of(cpts: Cpts | int) -> list[AnnouncementContact]:
    """The contacts of a CPTS, in their curated order."""
    cpts_id = cpts if isinstance(cpts, int) else cpts.pk
    return list(AnnouncementContact.objects.filter(cpts_id=cpts_id).order_by("position", "pk"))


def contact_line(contact: AnnouncementContact) -> str:
    """One contact as the booklet prints it, in one sentence-like line."""
    label = contact.kind_label
    named = contact.name if label.lower() in contact.name.lower() else f"{contact.name} ({label})"
    parts = [f"{named} — {contact.establishment}"]
    parts.append(f"tél. {contact.phone}")
    if contact.email:
        parts.append(contact.email)
    if contact.hours:
        parts.append(contact.hours)
    return " ; ".join(parts)
