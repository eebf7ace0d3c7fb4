"""Plausible ranges of the monitoring sheet's measurements, with French messages.

A value outside its range is refused (never stored): it is far more likely a
typing error than a real measurement, and an alert computed from it would mislead.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError


@dataclass(frozen=True)
class Range:
    label: str
    minimum: Decimal
    maximum: Decimal
    unit: str
    integer: bool = False


RANGES: dict[str, Range] = {
    "weight_kg": Range("le poids", Decimal(20), Decimal(300), "kg"),
    "systolic_bp": Range("la pression systolique", Decimal(50), Decimal(260), "mmHg", True),
    "diastolic_bp": Range("la pression diastolique", Decimal(30), Decimal(160), "mmHg", True),
    "pulse_bpm": Range("le pouls", Decimal(30), Decimal(220), "/min", True),
    "saturation_pct": Range("la saturation", Decimal(50), Decimal(100), "%", True),
    "temperature_c": Range("la température", Decimal(30), Decimal(45), "°C"),
    "pain_score": Range("l'EVA (douleur)", Decimal(0), Decimal(10), "", True),
}


def french_number(value) -> str:
    """A decimal as French writes it: "38,6", "38" (no trailing zeros)."""
    return format(Decimal(value).normalize(), "f").replace(".", ",")


def clean_measurements(values: dict) -> dict:
    """Check every measurement present in `values`; return them as Decimal/int.

    Raises ValidationError with one French message per wrong field, all at once.
    """
    errors: dict[str, str] = {}
    cleaned = dict(values)
    for field, spec in RANGES.items():
        raw = values.get(field)
        if raw is None or raw == "":
            cleaned[field] = None
            continue
        try:
            number = Decimal(str(raw).replace(",", "."))
        except (InvalidOperation, ValueError):
            errors[field] = f"Un nombre est attendu pour {spec.label}."
            continue
        if spec.integer and number != number.to_integral_value():
            errors[field] = f"Un nombre entier est attendu pour {spec.label}."
            continue
        if not spec.minimum <= number <= spec.maximum:
            unit = f" {spec.unit}" if spec.unit else ""
            errors[field] = (
                f"Valeur impossible pour {spec.label} : {french_number(number)}{unit} "
                f"(attendu entre {french_number(spec.minimum)} et {french_number(spec.maximum)}{unit})."
            )
            continue
        cleaned[field] = int(number) if spec.integer else number.quantize(Decimal("0.1"))
    systolic, diastolic = cleaned.get("systolic_bp"), cleaned.get("diastolic_bp")
    both_valid = "systolic_bp" not in errors and "diastolic_bp" not in errors
    if both_valid and systolic and diastolic and diastolic >= systolic:
        errors["diastolic_bp"] = "La pression diastolique doit être inférieure à la systolique."
    if errors:
        raise ValidationError(errors)
    return cleaned
