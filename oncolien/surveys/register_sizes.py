"""The size class (« taille 1–4 ») and the ACI maturity of a CPTS of the register.

The thresholds are the ACI's (Accord conventionnel interprofessionnel of 2019):
taille 1 below 40,000 inhabitants, 2 from 40,000 to 80,000, 3 from 80,000 to
175,000, 4 above 175,000. The Baromètre 2024 (field document 004) shows its
tables by « Taille 1 … Taille 4 » without stating these thresholds: they are
taken from the ACI, and from the one rule OncoLien already applies to its own
CPTS (`territories.models.size_class_for`), so that a CPTS has the same size
class in the register as in the rest of the application.
"""

from datetime import date

from oncolien.surveys.models import SizeClass
from oncolien.territories.models import size_class_for

# Short labels for table headings, as document 004 writes them.
SIZE_LABELS = {value: f"Taille {value}" for value in SizeClass.values}


def size_class_of(population: int) -> int:
    """The ACI size class (1–4) of a CPTS of this population."""
    return size_class_for(population)


def maturity_years(signed_on: date | None, *, on: date) -> int | None:
    """Full years since the ACI was signed (the Baromètre's « maturité »), or None
    when the date is unknown. A CPTS that signed less than a year ago is 0."""
    if signed_on is None:
        return None
    years = on.year - signed_on.year
    if (on.month, on.day) < (signed_on.month, signed_on.day):
        years -= 1
    return max(years, 0)


def population_text(population: int | None) -> str:
    """« 41 745 », the thousands apart as French writes them (narrow no-break space)."""
    if population is None:
        return "–"
    return f"{population:,}".replace(",", "\u202f")
