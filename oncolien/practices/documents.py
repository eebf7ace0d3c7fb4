"""Documents attached to a practice: PDF or PNG only, recognised by their content.

The name a browser sends proves nothing (an HTML page renamed « flyer.pdf » is
still a page that could run script in a reader's browser): the type is read from
the file's first bytes, and the stored name takes the extension of that type.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
MAX_DOCUMENT_LABEL = "5 Mo"

# Signature -> (content type, extension).
SIGNATURES = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)


@dataclass(frozen=True)
class CheckedFile:
    content: bytes
    content_type: str
    filename: str


def _safe_stem(name: str) -> str:
    stem = name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1].rsplit(".", 1)[0]
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-")
    return (stem or "document")[:80]


def check_file(*, name: str, content: bytes) -> CheckedFile:
    """The file as it will be stored, or ValidationError (in French) when it is
    empty, too large or neither a PDF nor a PNG by its content."""
    if not content:
        raise ValidationError({"file": "Le fichier est vide."})
    if len(content) > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            {"file": f"Le fichier dépasse {MAX_DOCUMENT_LABEL} : réduisez-le avant de l'envoyer."}
        )
    for signature, content_type, extension in SIGNATURES:
        if content.startswith(signature):
            return CheckedFile(content, content_type, f"{_safe_stem(name)}.{extension}")
    raise ValidationError(
        {
            "file": "Ce fichier n'est ni un PDF ni une image PNG (son contenu a été vérifié, "
            "pas seulement son nom) : envoyez le flyer, l'affiche ou la fiche en PDF ou en PNG."
        }
    )
