"""The semesters of the ARS activity file: S1 = 1 January to 30 June, S2 = 1 July to
31 December, written « 2026-S1 » as in the indicators' addresses.

A semester is a range of days, both included, read in Paris time: an act done on
30 June counts in S1, one on 1 July in S2, whatever the server's clock.
"""

import re
from dataclasses import dataclass
from datetime import date

# The programme exists since the decree of December 2020: nothing to report before.
FIRST_YEAR = 2021
_CODE = re.compile(r"^(\d{4})-S([12])$")


class InvalidSemester(ValueError):
    """A semester that cannot be read; the message is French, for the user."""


@dataclass(frozen=True, order=True)
class Semester:
    year: int
    half: int  # 1 or 2

    @property
    def first_day(self) -> date:
        return date(self.year, 1 if self.half == 1 else 7, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, 6, 30) if self.half == 1 else date(self.year, 12, 31)

    @property
    def code(self) -> str:
        return f"{self.year}-S{self.half}"

    @property
    def label(self) -> str:
        ordinal = "1er" if self.half == 1 else "2d"
        return f"{ordinal} semestre {self.year}"

    @property
    def dates(self) -> str:
        return f"du {self.first_day:%d/%m/%Y} au {self.last_day:%d/%m/%Y}"

    def previous(self) -> "Semester":
        return Semester(self.year - 1, 2) if self.half == 1 else Semester(self.year, 1)


def semester_of(day: date) -> Semester:
    return Semester(day.year, 1 if day.month <= 6 else 2)


def last_complete(today: date) -> Semester:
    """The last semester whose every day is past (on 1 July 2026: 2026-S1)."""
    return semester_of(today).previous()


def choices(today: date) -> list[Semester]:
    """From the current semester (in progress) back to the programme's first one."""
    current = semester_of(today)
    found = [current]
    while found[-1].year > FIRST_YEAR or found[-1].half > 1:
        found.append(found[-1].previous())
    return found


def parse(code: str, *, today: date) -> Semester:
    match = _CODE.match(code.strip())
    if not match:
        raise InvalidSemester(
            f"Semestre illisible « {code} » : écrivez l'année et S1 ou S2, par exemple 2026-S1."
        )
    semester = Semester(int(match[1]), int(match[2]))
    if semester.year < FIRST_YEAR or semester > semester_of(today):
        raise InvalidSemester(
            f"Le semestre {semester.code} est hors de la plage du parcours "
            f"({FIRST_YEAR}-S1 au semestre en cours)."
        )
    return semester
