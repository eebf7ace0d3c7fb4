"""The ARS activity file: exact figures on hand-built data (`world`, in conftest.py),
per structure and in total, the semester boundaries, who sees which structure."""

from datetime import date
from decimal import Decimal

import pytest

from oncolien.accounts.authorization import AccessDenied
from oncolien.aftercare.ars_file import SATISFACTION_UNAVAILABLE, _programme_end, ars_file
from oncolien.aftercare.semesters import (
    InvalidSemester,
    Semester,
    choices,
    last_complete,
    parse,
    semester_of,
)
from oncolien.aftercare.tests.ars_world import TODAY, A, B, C

pytestmark = pytest.mark.django_db

S1 = Semester(2026, 1)
S2 = Semester(2026, 2)


def by_name(ars):
    return {s.name: s for s in [*ars.structures, ars.total]}


def shares(items):
    return {share.label: share.count for share in items if share.count}


def acts(structure):
    return {
        act.kind: (act.prescribed, str(act.prescribed_amount), act.done, str(act.done_amount))
        for act in structure.acts
        if act.prescribed or act.done
    }


def test_the_coordinator_gets_exact_figures_per_structure_and_in_total(coordinator, world):
    ars = ars_file(coordinator, S1)
    assert ars.structure_names == [B, A]  # by organisation name
    figures = by_name(ars)
    a, b, total = figures[A], figures[B], figures["Ensemble des structures"]
    assert (a.file_active, a.new_inclusions.text, a.without_act.text) == (
        3,
        "2 sur 3 (67\u00a0%)",
        "1 sur 3 (33\u00a0%)",
    )
    assert shares(a.age_bands) == {"40 à 49 ans": 1, "60 à 69 ans": 1, "80 ans et plus": 1}
    assert shares(a.sexes) == {"Femme": 1, "Homme": 2}
    assert shares(a.cancer_sites) == {"Sein": 1, "Colorectal": 1, "Non renseignée": 1}
    assert shares(a.treatments) == {
        "Chirurgie": 1,  # twice on Martin's pathway: one patient
        "Chimiothérapie": 1,
        "Radiothérapie": 1,
        "Aucun traitement renseigné": 1,
    }
    assert all(share.of == 3 for share in a.age_bands + a.treatments)
    assert acts(a) == {
        "dietary_assessment": (1, "45.00", 1, "45.00"),
        "dietary_follow_up": (2, "45.00", 1, "22.50"),
        "psychological_assessment": (1, "45.00", 0, "0.00"),
        "psychological_follow_up": (1, "22.50", 0, "0.00"),
    }
    assert (a.acts_prescribed, str(a.prescribed_amount), a.acts_done, str(a.done_amount)) == (
        5,
        "157.50",
        2,
        "67.50",
    )
    assert (b.file_active, b.new_inclusions.text, b.without_act.text) == (
        1,
        "0 sur 1 (0\u00a0%)",
        "1 sur 1 (100\u00a0%)",
    )
    assert shares(b.age_bands) == {"Moins de 18 ans": 1}
    assert acts(b) == {}
    assert (total.file_active, total.new_inclusions.count, total.without_act.count) == (4, 2, 2)
    assert shares(total.sexes) == {"Femme": 1, "Homme": 3}
    assert shares(total.treatments)["Chimiothérapie"] == 2
    assert (total.acts_prescribed, total.done_amount) == (5, Decimal("67.50"))
    # The one-year questionnaire is loaded, and nobody's first year ended in the semester.
    for structure in (a, b, total):
        assert structure.satisfaction.due == 0
        assert structure.satisfaction_text == "aucun questionnaire à un an dû sur le semestre"


def test_regional_staff_get_every_structure_and_the_region_total(regional, world):
    figures = by_name(ars_file(regional, S1))
    assert set(figures) >= {A, B, C, "Ensemble des structures"}
    c, total = figures[C], figures["Ensemble des structures"]
    assert (c.file_active, c.new_inclusions.count, c.without_act.count) == (1, 1, 0)
    assert shares(c.age_bands) == {"50 à 59 ans": 1}
    assert acts(c) == {"dietary_assessment": (1, "45.00", 1, "45.00")}
    assert (total.file_active, total.acts_prescribed, str(total.done_amount)) == (5, 6, "112.50")


def test_the_coordinator_of_another_cpts_sees_only_its_structures(outsider, world):
    ars = ars_file(outsider, S1)
    assert ars.structure_names == [C]
    assert ars.total.file_active == 1


def test_the_semester_boundary_is_30_june_against_1_july(coordinator, world):
    a = by_name(ars_file(coordinator, S2))[A]
    # Roques (prescribed 30 June) stays, not new; Cayla (1 July) is new; Vidal's window
    # ended on 15 March 2026, before S2.
    assert (a.file_active, a.new_inclusions.count, a.without_act.count) == (3, 1, 0)
    assert acts(a) == {
        "physical_activity_assessment": (1, "45.00", 1, "45.00"),
        "dietary_follow_up": (0, "0.00", 1, "22.50"),
        "psychological_assessment": (0, "0.00", 1, "40.00"),
    }


def test_a_programme_ends_with_its_window_or_the_closing_of_its_pathway():
    assert _programme_end(date(2025, 3, 1), date(2025, 3, 15), None, "2020-12") == date(2026, 3, 15)
    assert _programme_end(date(2025, 2, 1), None, None, "2020-12") == date(2026, 2, 1)
    assert _programme_end(date(2025, 3, 1), date(2025, 3, 15), date(2025, 9, 1), "2020-12") == (
        date(2025, 9, 1)
    )


def test_a_user_without_the_report_permission_is_refused(physician, world):
    with pytest.raises(AccessDenied):
        ars_file(physician, S1)


def test_semesters_are_read_in_french_and_default_to_the_last_complete_one():
    assert (S1.first_day, S1.last_day, S2.first_day, S2.last_day) == (
        date(2026, 1, 1),
        date(2026, 6, 30),
        date(2026, 7, 1),
        date(2026, 12, 31),
    )
    assert semester_of(date(2026, 6, 30)) == S1
    assert semester_of(date(2026, 7, 1)) == S2
    assert last_complete(date(2026, 7, 1)) == S1
    assert last_complete(date(2026, 6, 30)) == Semester(2025, 2)
    assert parse("2026-S1", today=TODAY) == S1
    assert choices(date(2021, 3, 1)) == [Semester(2021, 1)]
    for wrong, message in (
        ("2026-S3", "Semestre illisible"),
        ("2027-S1", "hors de la plage"),
        ("2020-S2", "hors de la plage"),
    ):
        with pytest.raises(InvalidSemester, match=message):
            parse(wrong, today=TODAY)


def test_the_file_reads_the_one_year_questionnaire_sent_and_answered(
    settings, regional, coordinating_nurse, base_data, django_capture_on_commit_callbacks
):
    """A patient whose programme started a year ago today gets the one-year questionnaire
    (by the task queue's service) and answers « plutôt satisfaite »: the current
    semester's file says so, over its denominators."""
    from datetime import timedelta

    from django.utils import timezone

    from oncolien.aftercare.semesters import Semester
    from oncolien.aftercare.tests.factories import (
        make_eligible_pathway,
        make_labelled_service,
        prescribe,
    )
    from oncolien.assessments.models import SatisfactionSurvey
    from oncolien.assessments.services import assessment_complete, assessment_save_answers
    from oncolien.assessments.tests.satisfaction_helpers import GATEWAY, MOBILE, run

    settings.ONCOLIEN_SMS_BACKEND = GATEWAY
    service = make_labelled_service()
    year_ago = timezone.localdate() - timedelta(days=365)
    pathway = make_eligible_pathway(
        actor=coordinating_nurse, end_of_treatment=year_ago - timedelta(days=30), phone=MOBILE
    )
    prescribe(actor=coordinating_nurse, pathway=pathway, service=service, prescribed_on=year_ago)
    run(django_capture_on_commit_callbacks)
    survey = SatisfactionSurvey.objects.get(moment="programme_year")
    assessment_save_answers(
        assessment=survey.assessment,
        answers={"overall": "rather", "quality_of_life": "a_little", "sessions_done": "all"},
    )
    assessment_complete(assessment=survey.assessment)

    today = timezone.localdate()
    semester = Semester(today.year, 1 if today.month <= 6 else 2)
    total = by_name(ars_file(regional, semester))["Ensemble des structures"]
    assert (total.satisfaction.due, total.satisfaction.sent, total.satisfaction.answered) == (
        1,
        1,
        1,
    )
    assert total.satisfaction_text == (
        "questionnaires à un an : 1 envoyé sur 1 dû, 1 sur 1 (100\u00a0%) rempli ; "
        "satisfaits (très ou plutôt) : 1 sur 1 (100\u00a0%)"
    )


def test_without_the_questionnaire_the_file_says_not_available(regional, world):
    from oncolien.assessments.models import InstrumentVersion

    InstrumentVersion.objects.filter(code="satisfaction-patient-programme-year").delete()
    total = by_name(ars_file(regional, S1))["Ensemble des structures"]
    assert total.satisfaction is None and total.satisfaction_text == SATISFACTION_UNAVAILABLE
