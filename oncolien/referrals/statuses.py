"""The referral state machine, as one table.

proposed → sent → accepted | declined (by the provider) → appointment_set → done;
not_honoured from accepted or appointment_set; cancelled from proposed, sent,
accepted or appointment_set. « Done » is accepted from the appointment's day on
(Europe/Paris), and can be undone (back to appointment_set, the appointment kept) by
the provider or the care team: a tap on the wrong button must not end the loop. A referral that ends without care (declined, not
honoured, cancelled) always carries a reason: the field documents ask why
prescribed care was not received, and an empty answer teaches nothing.

Who may make a move: the care team ("team") may record every move, including a
provider's answer given by phone; the provider ("provider", through the signed
link or a provider account) may only answer what was sent to them.
"""

from dataclasses import dataclass
from datetime import date, time

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class ReferralStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposée"
    SENT = "sent", "Envoyée"
    ACCEPTED = "accepted", "Acceptée"
    DECLINED = "declined", "Refusée par le professionnel"
    APPOINTMENT_SET = "appointment_set", "Rendez-vous fixé"
    DONE = "done", "Réalisée"
    NOT_HONOURED = "not_honoured", "Non honorée"
    CANCELLED = "cancelled", "Annulée"


S = ReferralStatus
TEAM = "team"
PROVIDER = "provider"
BOTH = frozenset({TEAM, PROVIDER})
TEAM_ONLY = frozenset({TEAM})


@dataclass(frozen=True)
class Move:
    to: ReferralStatus
    by: frozenset[str]
    reason_required: bool = False
    date_required: bool = False  # the appointment's date and time
    label: str = ""  # the button's words
    not_before_appointment: bool = False  # refused before the appointment's day
    undo: bool = False  # goes back on the previous move, keeping the appointment


# from status -> the moves allowed from it. Anything not listed is refused.
TRANSITIONS: dict[ReferralStatus, tuple[Move, ...]] = {
    S.PROPOSED: (
        Move(S.SENT, TEAM_ONLY, label="Marquer comme envoyée"),
        Move(S.CANCELLED, TEAM_ONLY, reason_required=True, label="Annuler"),
    ),
    S.SENT: (
        Move(S.ACCEPTED, BOTH, label="Accepter"),
        Move(S.DECLINED, BOTH, reason_required=True, label="Refuser"),
        Move(S.CANCELLED, TEAM_ONLY, reason_required=True, label="Annuler"),
    ),
    S.ACCEPTED: (
        Move(S.APPOINTMENT_SET, BOTH, date_required=True, label="Fixer le rendez-vous"),
        Move(S.NOT_HONOURED, BOTH, reason_required=True, label="Non honorée"),
        Move(S.CANCELLED, TEAM_ONLY, reason_required=True, label="Annuler"),
    ),
    S.APPOINTMENT_SET: (
        Move(S.DONE, BOTH, label="Soin réalisé", not_before_appointment=True),
        Move(S.NOT_HONOURED, BOTH, reason_required=True, label="Non honorée"),
        Move(S.CANCELLED, TEAM_ONLY, reason_required=True, label="Annuler"),
    ),
    S.DECLINED: (),
    S.DONE: (Move(S.APPOINTMENT_SET, BOTH, label="Annuler « Soin réalisé »", undo=True),),
    S.NOT_HONOURED: (),
    S.CANCELLED: (),
}

# Statuses in which the referral waits for news from the provider or the patient.
WAITING = frozenset({S.SENT, S.ACCEPTED, S.APPOINTMENT_SET})
# Statuses that end the referral without the care having been given.
ENDED_WITHOUT_CARE = frozenset({S.DECLINED, S.NOT_HONOURED, S.CANCELLED})
FINAL = frozenset(status for status, moves in TRANSITIONS.items() if not moves)

# The provider's signed link, by status. It shows the patient (first name and
# initial, age, commune, phone, note) only while the provider has something to do
# for them; once the care is done it still opens, without any patient data, so that
# a « Soin réalisé » tapped by mistake can be undone; a referral ended without care
# (FINAL) revokes its link at once (`services` gives it a new `link_key`).
LINK_SHOWS_PATIENT = WAITING
LINK_OPENS = WAITING | {S.DONE}


def moves_from(status: str, *, by: str) -> list[Move]:
    return [move for move in TRANSITIONS[ReferralStatus(status)] if by in move.by]


def done_not_before(appointment_on: date | None) -> date | None:
    """The appointment's day while it is still ahead (« done » waits for it), else None."""
    if appointment_on is not None and timezone.localdate() < appointment_on:
        return appointment_on
    return None


def check_move(
    from_status: str,
    to_status: str,
    *,
    by: str,
    reason: str,
    appointment_on: date | None,
    appointment_time: time | None = None,
    current_appointment: date | None = None,
) -> Move:
    """The allowed move, or a ValidationError with a French message (nothing changes).

    `appointment_on`/`appointment_time` are the ones given with the move;
    `current_appointment` is the day already recorded on the referral.
    """
    if to_status not in ReferralStatus.values:
        raise ValidationError({"to_status": f"Statut inconnu : « {to_status} »."})
    current, wanted = ReferralStatus(from_status), ReferralStatus(to_status)
    move = next((m for m in TRANSITIONS[current] if m.to == wanted), None)
    if move is None:
        raise ValidationError(
            {
                "to_status": f"Passage impossible de « {current.label} » à « {wanted.label} »"
                " pour cette orientation."
            }
        )
    if by not in move.by:
        raise ValidationError(
            {
                "to_status": f"Seule l'équipe de soins peut passer l'orientation à « {wanted.label} »."
            }
        )
    if move.reason_required and not reason.strip():
        raise ValidationError(
            {"reason": f"Indiquez le motif : une orientation « {wanted.label} » en exige un."}
        )
    if move.date_required and appointment_on is None:
        raise ValidationError({"appointment_on": "Indiquez la date du rendez-vous."})
    if move.date_required and appointment_time is None:
        raise ValidationError({"appointment_time": "Indiquez l'heure du rendez-vous."})
    if (
        move.not_before_appointment
        and current_appointment is not None
        and timezone.localdate() < current_appointment
    ):
        raise ValidationError(
            {
                "to_status": "Le soin ne peut pas être déclaré réalisé avant le rendez-vous du "
                f"{current_appointment:%d/%m/%Y}."
            }
        )
    return move
