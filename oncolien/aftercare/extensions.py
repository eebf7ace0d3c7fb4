"""What other apps add to the post-cancer programme (registered in their AppConfig.ready).

The ARS file reports the patients' satisfaction one year after the programme's
start. The questionnaires are the assessments app's, which already reads the
programmes (to know when a year has passed): it registers the figures here, so
that neither app imports the other both ways.
"""

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class ProgrammeSatisfaction:
    """The one-year questionnaire of some programmes' patients, whose first anniversary
    fell in the period: due, sent (really left), answered of sent, and those who said
    they were very or rather satisfied, of those who answered that question."""

    due: int
    sent: int
    answered: int
    satisfied: int
    rated: int


# {group: the programme ids of the group} -> {group: figures}, or None when the
# source has no such questionnaire. One call for every group of a file: one read.
SatisfactionSource = Callable[
    [dict[Hashable, list[int]], date, date], dict[Hashable, ProgrammeSatisfaction] | None
]
_satisfaction_sources: list[SatisfactionSource] = []


def register_satisfaction_source(source: SatisfactionSource) -> None:
    if source not in _satisfaction_sources:
        _satisfaction_sources.append(source)


def satisfaction_by_group(
    groups: dict[Hashable, list[int]], start: date, end: date
) -> dict[Hashable, ProgrammeSatisfaction] | None:
    """Each group's figures; None when no app gives them (the questionnaire is not there)."""
    for source in _satisfaction_sources:
        found = source(groups, start, end)
        if found is not None:
            return found
    return None
