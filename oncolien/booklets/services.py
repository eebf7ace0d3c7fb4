"""Writes on booklets: printed editions, and the patient's personal links.

Every write is authorised on the pathway (`pathway.read` to print, as reading it;
`pathway.write` to issue or revoke a link) and audited. The patient's uses of a link
carry no actor; each attempt, granted or refused, is in the audit trail.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from oncolien import link_tokens
from oncolien.accounts.authorization import authorize
from oncolien.accounts.models import User
from oncolien.audit.services import audit_record
from oncolien.booklets import links
from oncolien.booklets.models import Booklet, BookletEdition, BookletLink, LinkChannel, PageFormat
from oncolien.notifications.models import Delivery
from oncolien.notifications.services import notify, sms_available
from oncolien.pathways.access import PATHWAY_READ, PATHWAY_WRITE
from oncolien.pathways.models import Pathway


def booklet_of(pathway: Pathway) -> Booklet:
    """The booklet of a pathway (already authorised by the caller), made on first use."""
    booklet, _ = Booklet.objects.get_or_create(pathway=pathway)
    return booklet


@transaction.atomic
def edition_record(*, actor: User, pathway: Pathway, page_format: str) -> BookletEdition:
    """Record one printing of the booklet: the next edition number, now, by `actor`."""
    authorize(actor, PATHWAY_READ, pathway)
    if page_format not in PageFormat.values:
        raise ValidationError({"page_format": "Choisissez le format A4 ou A5."})
    booklet = booklet_of(pathway)
    # The booklet row is locked so that two printings at once get two numbers.
    Booklet.objects.select_for_update().filter(pk=booklet.pk).first()
    last = booklet.editions.aggregate(last=Max("number"))["last"] or 0
    edition = BookletEdition.objects.create(
        booklet=booklet,
        number=last + 1,
        page_format=page_format,
        printed_at=timezone.now(),
        printed_by=actor,
    )
    audit_record(
        actor=actor,
        action="booklet.print",
        target=pathway,
        details={"edition": edition.number, "format": page_format},
    )
    return edition


# --- The patient's personal link ------------------------------------------------------


@dataclass(frozen=True)
class IssuedLink:
    link: BookletLink
    token: str
    url: str
    # Shown once to the professional, who gives it to the patient apart from the link.
    code: str
    delivery: Delivery | None = None


LINK_MESSAGE = (
    "Votre équipe de soins vous donne accès à votre livret de suivi, jusqu'au {until}. "
    "Ouvrez ce lien personnel et saisissez le code qui vous a été remis à part : {url}"
)


def link_issue(
    *,
    actor: User,
    pathway: Pathway,
    channel: str,
    build_url: Callable[[str], str],
    phone: str = "",
    email: str = "",
) -> IssuedLink:
    """Give the patient a personal link to the booklet; any earlier open link is revoked.

    The link leaves by SMS or e-mail (or is printed as a QR code); the code never
    travels with it: the page shows it once to the professional, who tells it or
    writes it down for the patient. The message names no patient and no illness.
    """
    authorize(actor, PATHWAY_WRITE, pathway)
    with transaction.atomic():
        phone, email = (phone or "").strip(), (email or "").strip()
        if channel not in LinkChannel.values:
            raise ValidationError({"channel": "Choisissez comment transmettre le lien."})
        if channel == LinkChannel.SMS and not sms_available():
            raise ValidationError(
                {
                    "channel": "Aucune passerelle SMS n'est configurée sur cette installation : "
                    "transmettez le lien par courriel ou par code QR imprimé."
                }
            )
        if channel == LinkChannel.SMS and not phone:
            raise ValidationError({"phone": "Indiquez le numéro de téléphone portable du patient."})
        if channel == LinkChannel.EMAIL and not email:
            raise ValidationError({"email": "Indiquez l'adresse électronique du patient."})
        booklet = booklet_of(pathway)
        now = timezone.now()
        replaced = list(
            booklet.links.filter(revoked_at__isnull=True, expires_at__gt=now).values_list(
                "pk", flat=True
            )
        )
        booklet.links.filter(pk__in=replaced).update(revoked_at=now, revoked_by=actor)
        token, code = link_tokens.new_token(), links.new_code()
        link = BookletLink.objects.create(
            booklet=booklet,
            token_hash=link_tokens.hash_token(token),
            code_hash=make_password(code),
            channel=channel,
            expires_at=now + links.link_lifetime(),
            created_by=actor,
        )
        url = build_url(token)
        until = timezone.localtime(link.expires_at).strftime("%d/%m/%Y")
        delivery = None
        if channel in (LinkChannel.SMS, LinkChannel.EMAIL):
            delivery = notify(
                channel=channel,
                to=phone if channel == LinkChannel.SMS else email,
                subject="Votre livret de suivi OncoLien",
                body=LINK_MESSAGE.format(until=until, url=url),
                kind="booklet.link",
                target=link,
            )
        audit_record(
            actor=actor,
            action="booklet.link.issue",
            target=link,
            details={"pathway": pathway.pk, "channel": channel, "replaced": replaced},
        )
        return IssuedLink(link=link, token=token, url=url, code=code, delivery=delivery)


def link_revoke(*, actor: User, link: BookletLink) -> BookletLink:
    authorize(actor, PATHWAY_WRITE, link.booklet.pathway)
    with transaction.atomic():
        if link.revoked_at is None:
            link.revoked_at = timezone.now()
            link.revoked_by = actor
            link.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(actor=actor, action="booklet.link.revoke", target=link)
        return link


def link_open(token: str) -> BookletLink:
    """The open link of a token, before its code; a refused one is audited (actor None)."""
    try:
        return links.find_link(token)
    except link_tokens.LinkUnavailable as refused:
        audit_record(
            actor=None,
            action="booklet.link.refused",
            target=refused.link,
            details={"reason": refused.reason},
        )
        raise


@dataclass(frozen=True)
class CodeCheck:
    link: BookletLink
    granted: bool
    # Wrong codes the link still accepts before it locks (0 once locked).
    attempts_left: int


def link_unlock(token: str, code: str) -> CodeCheck:
    """Check the code of an open link; a wrong one is counted and audited, and the link
    locks after `links.MAX_FAILED_CODES` of them. Raises LinkUnavailable for a dead link."""
    link = link_open(token)
    with transaction.atomic():
        # Locked so that concurrent wrong codes are each counted.
        link = BookletLink.objects.select_for_update().select_related("booklet").get(pk=link.pk)
        if links.link_state(link) == "open":
            typed = links.normalise_code(code)
            if len(typed) == links.CODE_DIGITS and check_password(typed, link.code_hash):
                return CodeCheck(link, True, links.MAX_FAILED_CODES - link.failed_attempts)
            link.failed_attempts += 1
            link.save(update_fields=["failed_attempts"])
            audit_record(
                actor=None,
                action="booklet.link.code_refused",
                target=link,
                details={"failed_attempts": link.failed_attempts},
            )
            return CodeCheck(link, False, max(0, links.MAX_FAILED_CODES - link.failed_attempts))
    # It died between the two reads (revoked, or locked by a concurrent wrong code).
    link_open(token)  # raises LinkUnavailable, the refusal audited
    return CodeCheck(link, False, 0)


def link_viewed(link: BookletLink) -> None:
    """The patient read the booklet through `link` (after its code): audited, dated."""
    with transaction.atomic():
        now = timezone.now()
        BookletLink.objects.filter(pk=link.pk).update(last_opened_at=now)
        audit_record(
            actor=None,
            action="booklet.link.view",
            target=link,
            details={"pathway": link.booklet.pathway_id},
        )
