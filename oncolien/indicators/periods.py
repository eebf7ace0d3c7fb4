"""The period an indicator is computed over: a month, a quarter, a semester, a
year, or custom dates, written as in the page's address (« 2026-11 »,
« 2026-T3 », « 2026-S2 », « 2026 », « 2026-01-15..2026-03-31 »).

A period is a range of days, first and last included, in Paris time: a call at
23:30 on 31 March, Paris time, belongs to March whatever the server's clock.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import translation
from django.utils.dates import MONTHS

PARIS = ZoneInfo("Europe/Paris")
# Beyond this, a custom period is refused: a figure over decades says nothing.
MAX_DAYS = 366 * 5

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-T([1-4])$")
_SEMESTER = re.compile(r"^(\d{4})-S([12])$")
_YEAR = re.compile(r"^(\d{4})$")
_CUSTOM = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")


class InvalidPeriod(ValueError):
    """A period that cannot be read; the message is French, for the user."""


@dataclass(frozen=True)
class Period:
    first_day: date
    last_day: date
    code: str
    label: str

    @property
    def starts_at(self) -> datetime:
        """The first instant of the period, Paris time."""
        return datetime.combine(self.first_day, time.min, tzinfo=PARIS)

    @property
    def ends_before(self) -> datetime:
        """The first instant after the period, Paris time."""
        return datetime.combine(self.last_day + timedelta(days=1), time.min, tzinfo=PARIS)

    def previous(self) -> "Period":
        """The period of the same length just before (the same kind for calendar ones)."""
        kind = self.code[5:6] if len(self.code) > 4 else ""
        if _MONTH.match(self.code):
            return month(self.first_day - timedelta(days=1))
        if kind in ("T", "S"):
            return parse(_shift(self.code, -1))
        if _YEAR.match(self.code):
            return parse(str(self.first_day.year - 1))
        days = (self.last_day - self.first_day).days + 1
        last = self.first_day - timedelta(days=1)
        return custom(last - timedelta(days=days - 1), last)


def _shift(code: str, step: int) -> str:
    year, kind, number = int(code[:4]), code[5], int(code[6])
    per_year = 4 if kind == "T" else 2
    index = year * per_year + number - 1 + step
    return f"{index // per_year}-{kind}{index % per_year + 1}"


def _year(text: str) -> int:
    year = int(text)
    if not 2000 <= year <= 2100:
        raise InvalidPeriod(f"L'année {year} est hors de la plage acceptée (2000 à 2100).")
    return year


def _month_name(number: int) -> str:
    # Django's own month names, in French whatever the language of the request.
    with translation.override("fr"):
        return str(MONTHS[number]).lower()


def month(day: date) -> Period:
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return Period(
        first,
        following - timedelta(days=1),
        f"{first:%Y-%m}",
        f"{_month_name(first.month)} {first.year}",
    )


def custom(first_day: date, last_day: date) -> Period:
    if last_day < first_day:
        raise InvalidPeriod("La date de fin de la période précède sa date de début.")
    if (last_day - first_day).days >= MAX_DAYS:
        raise InvalidPeriod("Une période sur mesure dure au plus cinq ans.")
    return Period(
        first_day,
        last_day,
        f"{first_day.isoformat()}..{last_day.isoformat()}",
        f"du {first_day:%d/%m/%Y} au {last_day:%d/%m/%Y}",
    )


def parse(code: str) -> Period:
    """The period a code names; InvalidPeriod (French message) otherwise."""
    code = (code or "").strip()
    if found := _MONTH.match(code):
        year, number = _year(found[1]), int(found[2])
        if not 1 <= number <= 12:
            raise InvalidPeriod(f"Le mois {number} n'existe pas : indiquez un mois de 01 à 12.")
        return month(date(year, number, 1))
    if found := _QUARTER.match(code):
        year, number = _year(found[1]), int(found[2])
        first = date(year, 3 * number - 2, 1)
        last = month(date(year, 3 * number, 1)).last_day
        return Period(first, last, code, f"{number}{'er' if number == 1 else 'e'} trimestre {year}")
    if found := _SEMESTER.match(code):
        year, number = _year(found[1]), int(found[2])
        first = date(year, 6 * number - 5, 1)
        last = month(date(year, 6 * number, 1)).last_day
        return Period(first, last, code, f"{number}{'er' if number == 1 else 'e'} semestre {year}")
    if found := _YEAR.match(code):
        year = _year(found[1])
        return Period(date(year, 1, 1), date(year, 12, 31), code, f"année {year}")
    if found := _CUSTOM.match(code):
        try:
            first_day, last_day = date.fromisoformat(found[1]), date.fromisoformat(found[2])
        except ValueError:
            raise InvalidPeriod("Une des deux dates de la période n'existe pas.") from None
        _year(found[1][:4])
        _year(found[2][:4])
        return custom(first_day, last_day)
    raise InvalidPeriod(
        "Période illisible : indiquez un mois (2026-11), un trimestre (2026-T3), un semestre "
        "(2026-S2), une année (2026) ou deux dates (2026-01-15..2026-03-31)."
    )
