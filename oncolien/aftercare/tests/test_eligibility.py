"""Who may enter the programme, at the edges of each criterion (no database: the
criteria read the pathway's fields only)."""

from datetime import date

from oncolien.aftercare.eligibility import Prescriber, eligibility_for
from oncolien.aftercare.rules import rules_on
from oncolien.pathways.models import Pathway

RULES = rules_on(date(2026, 1, 1))
END = date(2026, 1, 10)
GP = Prescriber(role="gp", name="Dr Paul Costes")


def check(*, ald=True, end=END, on, prescriber=GP, today=date(2027, 6, 1)):
    pathway = Pathway(cancer_ald=ald, end_of_active_treatment_on=end)
    return eligibility_for(
        pathway=pathway, prescriber=prescriber, prescribed_on=on, rules=RULES, today=today
    )


def test_eleven_months_and_thirty_days_after_the_end_of_treatment_is_eligible():
    result = check(on=date(2027, 1, 9))
    assert result.eligible and result.last_day == date(2027, 1, 10)


def test_twelve_months_to_the_day_is_still_eligible_as_the_decree_says_until():
    # « jusqu'à douze mois après la fin de son traitement » (art. R. 1415-1-11).
    assert check(on=date(2027, 1, 10)).eligible


def test_twelve_months_and_one_day_is_refused_with_the_last_possible_day():
    result = check(on=date(2027, 1, 11))
    assert result.reasons == [
        "Les traitements actifs ont pris fin le 10/01/2026, plus de 12 mois avant la "
        "prescription : le parcours pouvait être prescrit jusqu'au 10/01/2027 inclus."
    ]


def test_the_day_treatment_ends_is_eligible_but_not_the_day_before():
    assert check(on=END).eligible
    [reason] = check(on=date(2026, 1, 9)).reasons
    assert "précède la fin des traitements actifs (le 10/01/2026)" in reason


def test_a_cancer_not_under_ald_is_refused():
    [reason] = check(ald=False, on=date(2026, 6, 1)).reasons
    assert "affection de longue durée (ALD)" in reason


def test_an_unknown_end_of_treatment_is_refused():
    [reason] = check(end=None, on=date(2026, 6, 1)).reasons
    assert reason.startswith("La date de fin des traitements actifs n'est pas connue")


def test_oncologist_paediatrician_and_gp_may_prescribe_and_no_other_physician():
    for role in ("oncologist", "paediatrician", "gp"):
        assert check(on=date(2026, 6, 1), prescriber=Prescriber(role, "Dr X")).eligible
    [reason] = check(on=date(2026, 6, 1), prescriber=Prescriber("other_physician", "Dr X")).reasons
    assert reason == (
        "Seuls ces médecins peuvent prescrire le parcours : Oncologue (cancérologue), "
        "Pédiatre, Médecin traitant."
    )


def test_every_reason_is_given_at_once():
    result = check(
        ald=False, end=None, on=date(2026, 6, 1), prescriber=Prescriber("other_physician", " ")
    )
    assert len(result.reasons) == 4


def test_a_badly_formed_rpps_is_refused_and_a_doubtful_key_only_warned():
    [reason] = check(on=date(2026, 6, 1), prescriber=Prescriber("gp", "Dr X", "1234")).reasons
    assert "RPPS invalide" in reason
    doubtful = check(on=date(2026, 6, 1), prescriber=Prescriber("gp", "Dr X", "10000000001"))
    assert doubtful.eligible and "semble incorrecte" in doubtful.rpps_warning


def test_a_prescription_in_the_future_is_refused():
    [reason] = check(on=date(2026, 6, 2), today=date(2026, 6, 1)).reasons
    assert "dans le futur" in reason
