"""The allowance rules at their edges, on plain values (no database)."""

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest

from oncolien.aftercare import rules
from oncolien.aftercare.rules import (
    DIETARY_ASSESSMENT,
    DIETARY_FOLLOW_UP,
    PHYSICAL_ACTIVITY_ASSESSMENT,
    PSYCHOLOGICAL_ASSESSMENT,
    PSYCHOLOGICAL_FOLLOW_UP,
    Act,
    add_months,
    check_done,
    check_prescribed,
)

RULES = rules.rules_on(date(2026, 1, 1))
FIRST = date(2026, 1, 15)


def assessment(kind=DIETARY_ASSESSMENT, on=FIRST, amount="45.00"):
    return Act(kind=kind, on=on, amount=Decimal(amount))


def follow_up(on=FIRST + timedelta(days=30), amount="22.50", kind=PSYCHOLOGICAL_FOLLOW_UP):
    return Act(kind=kind, on=on, amount=Decimal(amount))


def test_the_default_rules_are_the_2020_texts_with_their_source():
    assert RULES.version == "2020-12"
    assert "2020-1665" in RULES.source and "arrêté du 24 décembre 2020" in RULES.source
    assert (RULES.cap, RULES.assessment_amount, RULES.follow_up_amount) == (
        Decimal("180.00"),
        Decimal("45.00"),
        Decimal("22.50"),
    )
    assert RULES.max_follow_ups == 6 and RULES.window_months == 12


def test_a_new_version_applies_from_its_date_and_the_old_one_stays_available():
    document = json.loads(rules.RULES_FILE.read_text(encoding="utf-8"))
    newer = json.loads(json.dumps(document["versions"][0]))
    newer.update(version="2027-01", valid_from="2027-01-01", source="Arrêté imaginaire de test")
    newer["allowance"]["cap_eur"] = "200.00"
    versions = rules.parse_rules({"versions": [document["versions"][0], newer]})
    assert [v.cap for v in versions] == [Decimal("180.00"), Decimal("200.00")]


def test_a_rules_file_without_source_is_refused_in_french():
    document = json.loads(rules.RULES_FILE.read_text(encoding="utf-8"))
    document["versions"][0]["source"] = " "
    with pytest.raises(rules.RulesFileError, match="source réglementaire est obligatoire"):
        rules.parse_rules(document)


def test_twelve_calendar_months_include_the_anniversary_and_clamp_29_february():
    assert add_months(date(2026, 1, 15), 12) == date(2027, 1, 15)
    assert add_months(date(2028, 2, 29), 12) == date(2029, 2, 28)
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)


# --- The 180 € cap -------------------------------------------------------------------


def test_exactly_180_euros_is_allowed_and_nothing_remains():
    # 2 assessments (90 €) + 4 follow-ups (90 €) = 180 €.
    done = [assessment(), assessment(PSYCHOLOGICAL_ASSESSMENT), *[follow_up()] * 3]
    assert check_done(RULES, done, follow_up()) == []
    status = rules.allowance(RULES, [*done, follow_up()])
    assert status.used == Decimal("180.00") and status.remaining == Decimal("0.00")


def test_a_cent_over_180_euros_is_refused_saying_what_remains():
    done = [
        assessment(),
        assessment(PSYCHOLOGICAL_ASSESSMENT),
        *[follow_up()] * 3,
        follow_up(amount="22.49"),
    ]
    [message] = check_done(RULES, done, follow_up(amount="0.02"))
    assert "forfait de 180,00 €" in message
    assert "179,99 € déjà utilisés, il reste 0,01 €" in message


def test_three_assessments_leave_room_for_two_follow_ups_only():
    done = [
        assessment(PHYSICAL_ACTIVITY_ASSESSMENT),
        assessment(),
        assessment(PSYCHOLOGICAL_ASSESSMENT),
        follow_up(),
        follow_up(),
    ]
    [message] = check_done(RULES, done, follow_up())
    assert "il reste 0,00 €" in message


# --- Amounts ---------------------------------------------------------------------------


def test_an_act_above_its_tariff_is_refused():
    [message] = check_done(RULES, [], assessment(amount="45.01"))
    assert "au plus de 45,00 €" in message
    assert check_done(RULES, [assessment()], follow_up(amount="23.00")) == [
        "Le montant d'un acte « Consultation de suivi psychologique » est au plus de 22,50 € "
        "(règles 2020-12)."
    ]


def test_an_act_below_its_tariff_is_allowed():
    assert check_done(RULES, [], assessment(amount="30.00")) == []


# --- Follow-ups -----------------------------------------------------------------------


def test_the_sixth_follow_up_is_allowed_and_the_seventh_refused():
    # At tariff the 180 € cap binds first (1 assessment + 6 follow-ups = 180 €), so
    # the count rule is seen with follow-ups priced below tariff.
    done = [assessment(), *[follow_up(amount="10.00")] * 5]
    assert check_done(RULES, done, follow_up(amount="10.00")) == []
    messages = check_done(RULES, [*done, follow_up(amount="10.00")], follow_up(amount="10.00"))
    assert messages == [
        "Au plus 6 consultations de suivi sont prises en charge : 6 sont déjà réalisées, "
        "il n'en reste aucune."
    ]


def test_a_follow_up_before_any_assessment_is_refused_and_explained():
    [message] = check_done(RULES, [], follow_up())
    assert "vient après un bilan" in message and "Enregistrez d'abord le bilan" in message


def test_a_follow_up_dated_before_the_first_assessment_is_refused():
    [message] = check_done(RULES, [assessment()], follow_up(on=FIRST - timedelta(days=1)))
    assert "ne peut pas précéder le premier bilan (réalisé le 15/01/2026)" in message


def test_a_follow_up_on_the_day_of_the_first_assessment_is_allowed():
    assert check_done(RULES, [assessment()], follow_up(on=FIRST)) == []


def test_an_assessment_is_paid_once_per_kind():
    [message] = check_done(RULES, [assessment()], assessment(on=FIRST + timedelta(days=3)))
    assert "« Bilan diététique » a déjà été réalisé" in message


# --- The 12-month window --------------------------------------------------------------


def test_day_365_after_the_first_assessment_is_inside_and_day_366_outside():
    day_365, day_366 = FIRST + timedelta(days=365), FIRST + timedelta(days=366)
    assert day_365 == date(2027, 1, 15)
    assert check_done(RULES, [assessment()], follow_up(on=day_365)) == []
    [message] = check_done(RULES, [assessment()], follow_up(on=day_366))
    assert (
        "dans les 12 mois suivant le premier bilan (du 15/01/2026 au 15/01/2027 inclus)" in message
    )
    assert "le 16/01/2027 est en dehors" in message


def test_an_assessment_dated_before_the_first_one_moves_the_window_if_all_acts_stay_in_it():
    done = [assessment(), follow_up(on=date(2026, 12, 1))]
    earlier = assessment(PSYCHOLOGICAL_ASSESSMENT, on=date(2026, 1, 1))
    assert check_done(RULES, done, earlier) == []
    much_earlier = assessment(PSYCHOLOGICAL_ASSESSMENT, on=date(2025, 11, 1))
    [message] = check_done(RULES, done, much_earlier)
    assert "du 01/11/2025 au 01/11/2026 inclus" in message and "01/12/2026" in message


# --- Prescriptions ----------------------------------------------------------------------


def test_a_prescription_must_fit_in_the_allowance():
    assert check_prescribed(RULES, [DIETARY_ASSESSMENT, *[DIETARY_FOLLOW_UP] * 6]) == []
    assert check_prescribed(RULES, [DIETARY_ASSESSMENT, *[DIETARY_FOLLOW_UP] * 7]) == [
        "Au plus 6 consultations de suivi sont prises en charge : 7 sont prescrites.",
        "Les actes prescrits coûtent 202,50 €, au-delà du forfait de 180,00 € par patient et "
        "par an : retirez des actes.",
    ]


def test_a_prescription_of_follow_ups_without_an_assessment_is_refused():
    assert check_prescribed(RULES, [PSYCHOLOGICAL_FOLLOW_UP]) == [
        "Les consultations de suivi viennent après un bilan : prescrivez un bilan."
    ]
    assert check_prescribed(RULES, []) == [
        "Prescrivez au moins un bilan ou une consultation de suivi."
    ]
