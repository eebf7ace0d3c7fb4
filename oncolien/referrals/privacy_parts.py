"""What the referrals hold about a patient, for the data rights (registered in
AppConfig.ready): the referrals and their changes. The erasure removes the free
texts (reason, message to the professional, answers) and the contact of a resource
outside the directory; the care type, statuses and dates stay, counted by the
indicators."""

from collections.abc import Sequence

from oncolien.pathways.models import Pathway
from oncolien.privacy.extensions import HeldSection, PatientDataPart
from oncolien.referrals.models import Referral, ReferralEvent, new_link_key


def held(pathways: Sequence[Pathway]) -> list[HeldSection]:
    ids = [p.pk for p in pathways]
    return [
        HeldSection(
            "referrals",
            "Orientations",
            list(Referral.objects.filter(pathway__in=ids).order_by("created_at", "pk")),
            hidden=frozenset({"link_key"}),
        ),
        HeldSection(
            "referral_events",
            "Changements des orientations",
            list(ReferralEvent.objects.filter(referral__pathway__in=ids).order_by("at", "pk")),
        ),
    ]


def erase(pathways: Sequence[Pathway]) -> dict[str, int]:
    ids = [p.pk for p in pathways]
    referrals = Referral.objects.filter(pathway__in=ids)
    # A resource outside the directory must keep a name (a referral has a recipient).
    referrals.exclude(external_name="").update(external_name="Ressource effacée")
    changed = referrals.update(
        external_contact="",
        reason="",
        note="",
        # A new key: any provider link still around stops working.
        link_key=new_link_key(),
    )
    events = ReferralEvent.objects.filter(referral__pathway__in=ids).update(reason="", detail="")
    return {"referrals": changed, "referral_events": events}


PART = PatientDataPart(name="referrals", held=held, erase=erase)
