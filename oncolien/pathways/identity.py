"""The patient's INS / NIR, optional, checked with its key (Corsica's 2A/2B included)."""

import re

from django.core.exceptions import ValidationError
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import nir


def clean_ins(value: str) -> str:
    """The compact 15-character NIR, or "" when none was given. Raises ValidationError."""
    compact = re.sub(r"[\s.\-]", "", value or "").upper()
    if not compact:
        return ""
    try:
        return nir.validate(compact)
    except StdnumError:
        raise ValidationError(
            {"ins": f"INS / NIR invalide : « {value} » (15 caractères dont la clé de contrôle)."}
        ) from None
