"""What the booklets hold about a patient, for the export and the anonymisation.

Editions and links hold no identity or free text (numbers, dates, formats, the
hashes of a token and a code): the export lists them, the secrets hidden; the
anonymisation revokes the open links, so that no address keeps opening the booklet,
and changes nothing else."""

from collections.abc import Sequence

from django.utils import timezone

from oncolien.booklets.models import BookletEdition, BookletLink
from oncolien.pathways.models import Pathway
from oncolien.privacy.extensions import HeldSection, PatientDataPart


def held(pathways: Sequence[Pathway]) -> list[HeldSection]:
    ids = [pathway.pk for pathway in pathways]
    return [
        HeldSection(
            "booklet_editions",
            "Éditions imprimées du livret de suivi",
            list(BookletEdition.objects.filter(booklet__pathway_id__in=ids).order_by("pk")),
        ),
        HeldSection(
            "booklet_links",
            "Liens personnels vers le livret de suivi",
            list(BookletLink.objects.filter(booklet__pathway_id__in=ids).order_by("pk")),
            hidden=frozenset({"token_hash", "code_hash"}),
        ),
    ]


def erase(pathways: Sequence[Pathway]) -> dict[str, int]:
    ids = [pathway.pk for pathway in pathways]
    revoked = BookletLink.objects.filter(
        booklet__pathway_id__in=ids, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    return {"booklet_links": revoked}


PART = PatientDataPart(name="booklets", held=held, erase=erase)
