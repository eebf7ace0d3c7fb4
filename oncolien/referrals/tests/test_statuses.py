"""The state machine, every pair of statuses: legal moves apply and are traced,
illegal ones are refused with a French message and change nothing."""

from datetime import date, time

import pytest
from django.core.exceptions import ValidationError

from oncolien.audit.models import AuditEntry
from oncolien.referrals import statuses
from oncolien.referrals.models import Referral
from oncolien.referrals.services import Answer, referral_transition
from oncolien.referrals.statuses import ReferralStatus

ALL = ReferralStatus.values
LEGAL = {
    ("proposed", "sent"),
    ("proposed", "cancelled"),
    ("sent", "accepted"),
    ("sent", "declined"),
    ("sent", "cancelled"),
    ("accepted", "appointment_set"),
    ("accepted", "not_honoured"),
    ("accepted", "cancelled"),
    ("appointment_set", "done"),
    ("appointment_set", "not_honoured"),
    ("appointment_set", "cancelled"),
    # « Soin réalisé » can be undone (by the provider as by the team).
    ("done", "appointment_set"),
}
PROVIDER_FORBIDDEN = {("proposed", "sent"), ("proposed", "cancelled")} | {
    (a, b) for a, b in LEGAL if b == "cancelled"
}
PAIRS = [(a, b) for a in ALL for b in ALL]


def test_the_table_is_the_documented_machine():
    table = {(a.value, m.to.value) for a, moves in statuses.TRANSITIONS.items() for m in moves}
    assert table == LEGAL


@pytest.mark.parametrize(("start", "end"), PAIRS)
def test_every_pair_for_the_team(start, end, make_referral, coordinating_nurse):
    referral = make_referral(start)
    events_before = referral.events.count()
    answer = Answer(
        end,
        reason="Le patient a déménagé",
        appointment_on=date(2026, 12, 20),
        appointment_time=time(9, 0),
    )
    if (start, end) in LEGAL:
        referral_transition(actor=coordinating_nurse, referral=referral, answer=answer)
        referral.refresh_from_db()
        assert referral.status == end
        last = referral.events.last()
        assert (last.from_status, last.to_status, last.by) == (start, end, coordinating_nurse)
        assert AuditEntry.objects.filter(
            action="referral.status", target_id=str(referral.pk), details__to=end
        ).exists()
    else:
        with pytest.raises(ValidationError) as refused:
            referral_transition(actor=coordinating_nurse, referral=referral, answer=answer)
        assert "Passage impossible" in str(refused.value)
        referral.refresh_from_db()
        assert referral.status == start
        assert referral.events.count() == events_before


@pytest.mark.parametrize(("start", "end"), sorted(LEGAL))
def test_the_provider_may_only_answer(start, end):
    if (start, end) in PROVIDER_FORBIDDEN:
        with pytest.raises(ValidationError, match="Seule l'équipe de soins"):
            statuses.check_move(
                start,
                end,
                by="provider",
                reason="x",
                appointment_on=date.today(),
                appointment_time=time(9, 0),
            )
    else:
        statuses.check_move(
            start,
            end,
            by="provider",
            reason="x",
            appointment_on=date.today(),
            appointment_time=time(9, 0),
        )


@pytest.mark.parametrize(
    ("start", "end"),
    [("sent", "declined"), ("accepted", "not_honoured"), ("appointment_set", "not_honoured")]
    + [(start, "cancelled") for start in ("proposed", "sent", "accepted", "appointment_set")],
)
@pytest.mark.parametrize("reason", ["", "   "])
def test_an_end_without_care_needs_a_reason(start, end, reason, make_referral, coordinating_nurse):
    referral = make_referral(start)
    with pytest.raises(ValidationError) as refused:
        referral_transition(
            actor=coordinating_nurse, referral=referral, answer=Answer(end, reason=reason)
        )
    assert "Indiquez le motif" in str(refused.value)
    assert Referral.objects.get(pk=referral.pk).status == start


def test_an_appointment_needs_its_date(make_referral, coordinating_nurse):
    referral = make_referral("accepted")
    with pytest.raises(ValidationError, match="date du rendez-vous"):
        referral_transition(
            actor=coordinating_nurse, referral=referral, answer=Answer("appointment_set")
        )
    assert Referral.objects.get(pk=referral.pk).status == "accepted"


def test_an_unknown_status_is_refused(make_referral, coordinating_nurse):
    referral = make_referral("sent")
    with pytest.raises(ValidationError, match="Statut inconnu"):
        referral_transition(actor=coordinating_nurse, referral=referral, answer=Answer("lost"))


def test_the_reason_is_kept_on_the_referral(make_referral, coordinating_nurse):
    referral = make_referral("sent")
    referral_transition(
        actor=coordinating_nurse,
        referral=referral,
        answer=Answer("declined", reason="Plus de place avant mars"),
    )
    referral.refresh_from_db()
    assert referral.reason == "Plus de place avant mars"
    assert referral.events.last().reason == "Plus de place avant mars"


def test_someone_off_the_care_team_cannot_move_a_referral(make_referral, outsider, community_nurse):
    from oncolien.accounts.authorization import AccessDenied

    referral = make_referral("sent")
    for user in (outsider, community_nurse):
        with pytest.raises(AccessDenied):
            referral_transition(actor=user, referral=referral, answer=Answer("accepted"))
    assert Referral.objects.get(pk=referral.pk).status == "sent"
