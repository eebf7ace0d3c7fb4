"""The pathway's statuses and the moves between them, as one table.

first_contact → included → followed → closed; a first contact or an inclusion may
also be closed directly (the patient declines, moves, dies…). "closed" is final:
a new intake opens a new pathway, so that each pathway's dates stay true.
"""

from django.core.exceptions import ValidationError
from django.db import models


class PathwayStatus(models.TextChoices):
    FIRST_CONTACT = "first_contact", "Premier contact"
    INCLUDED = "included", "Inclus"
    FOLLOWED = "followed", "Suivi"
    CLOSED = "closed", "Clôturé"


S = PathwayStatus

# from status -> the statuses it may move to. Anything not listed is refused.
TRANSITIONS: dict[PathwayStatus, frozenset[PathwayStatus]] = {
    S.FIRST_CONTACT: frozenset({S.INCLUDED, S.CLOSED}),
    S.INCLUDED: frozenset({S.FOLLOWED, S.CLOSED}),
    S.FOLLOWED: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
}


def allowed_moves(status: str) -> list[tuple[str, str]]:
    """(value, label) of the statuses a pathway in `status` may move to, in order."""
    allowed = TRANSITIONS[PathwayStatus(status)]
    return [(value, label) for value, label in PathwayStatus.choices if value in allowed]


def check_move(current: str, wanted: str) -> None:
    """Raise a French ValidationError unless `current` may move to `wanted`."""
    current_status = PathwayStatus(current)
    if wanted not in PathwayStatus.values:
        raise ValidationError(f"Statut inconnu : « {wanted} ».")
    if PathwayStatus(wanted) not in TRANSITIONS[current_status]:
        raise ValidationError(
            f"Passage impossible de « {current_status.label} » à « {PathwayStatus(wanted).label} »."
        )
