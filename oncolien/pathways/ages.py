"""The age bands every table of patients uses (the dashboard's profile, the ARS file).

The field documents name « tranches d'âge » without their bounds (the PACA
evaluation among them): these are ours, under 18 apart because paediatricians
prescribe the post-cancer programme too. One list, so that two tables of the
same patients never band them differently.
"""

from datetime import date

AGE_BANDS: tuple[tuple[int, int | None, str], ...] = (
    (0, 17, "Moins de 18 ans"),
    (18, 39, "18 à 39 ans"),
    (40, 49, "40 à 49 ans"),
    (50, 59, "50 à 59 ans"),
    (60, 69, "60 à 69 ans"),
    (70, 79, "70 à 79 ans"),
    (80, None, "80 ans et plus"),
)


def age_on(birth_date: date, day: date) -> int:
    """Age in whole years on `day` (born on 29 February: a year older on 1 March)."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def age_band(age: int) -> str:
    return next(
        label for first, last, label in AGE_BANDS if age >= first and (last is None or age <= last)
    )
