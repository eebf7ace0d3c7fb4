"""The satisfaction breakdowns on known data: questionnaires sent by the task queue's
service at the pathways' closing, answered through their links, one reminded; each
figure over its stated denominator (sent of due, answered of sent)."""

import pytest
from django.utils import timezone

from oncolien.assessments.models import SatisfactionSurvey
from oncolien.assessments.services import assessment_complete, assessment_save_answers
from oncolien.assessments.tests.satisfaction_helpers import GATEWAY, MOBILE, at, close, run
from oncolien.indicators.breakdowns import BREAKDOWNS
from oncolien.indicators.dashboard import dashboard_for
from oncolien.indicators.figures import Figure
from oncolien.indicators.periods import month
from oncolien.pathways.tests.factories import make_pathway

pytestmark = pytest.mark.django_db
END = "Votre avis sur l'accompagnement de la CPTS"


def share(numerator: int, denominator: int) -> Figure:
    return Figure(numerator, numerator=numerator, denominator=denominator)


def _answer(pathway, **answers):
    survey = SatisfactionSurvey.objects.get(pathway=pathway, recipient_key="patient")
    assessment_save_answers(assessment=survey.assessment, answers=answers)
    assessment_complete(assessment=survey.assessment)


@pytest.fixture
def surveyed(settings, base_data, coordinating_nurse, django_capture_on_commit_callbacks):
    """Three pathways closed today: two patients with a mobile (one answers), one
    without a number (nothing can be sent); the one who did not answer is reminded,
    as is the nurse of each care team."""
    from oncolien.assessments.loader import load_instruments

    load_instruments()
    settings.ONCOLIEN_SMS_BACKEND = GATEWAY
    pathways = [make_pathway(actor=coordinating_nurse, phone=MOBILE) for _ in range(2)]
    pathways.append(make_pathway(actor=coordinating_nurse))
    for pathway in pathways:
        close(coordinating_nurse, pathway)
    run(django_capture_on_commit_callbacks)
    _answer(
        pathways[0],
        overall="very",
        knew_whom="yes",
        needs_met="fully",
        team_together="yes",
        recommend=8,
    )
    run(django_capture_on_commit_callbacks, at(days=8))
    return pathways[0].cpts


def _rows(code, cpts):
    period = month(timezone.localdate())
    return {row.label: row.figures for row in BREAKDOWNS[code].compute(cpts, period)}


def test_sent_of_due_and_answered_of_sent(surveyed):
    rows = _rows("satisfaction_sending", surveyed)
    assert rows[END] == {
        "sent": share(2, 3),
        "answered": share(1, 2),
        "reminders": Figure(1),
        "not_sent": Figure(1),
    }
    # The nurse of each closed pathway's care team was asked too (by e-mail), and
    # reminded; nobody was due the one-year questionnaire: 0 sur 0, never 0 %.
    assert rows["Votre avis sur la coordination d'un parcours par la CPTS"] == {
        "sent": share(3, 3),
        "answered": share(0, 3),
        "reminders": Figure(3),
        "not_sent": Figure(0),
    }
    year = rows["Votre avis, un an après le début de votre parcours de soins après cancer"]
    assert year["sent"] == share(0, 0) and year["answered"] == share(0, 0)


def test_each_answer_over_those_who_answered_and_the_scales_mean(surveyed):
    rows = _rows("satisfaction_answers", surveyed)
    overall = [label for label in rows if label.startswith(f"{END} — Dans l'ensemble")]
    assert len(overall) == 4  # one row per answer, zeros included
    very = next(label for label in overall if label.endswith("Très satisfait·e"))
    assert rows[very]["answers"] == share(1, 1)
    recommend = next(label for label in rows if label.startswith(f"{END} — Conseilleriez"))
    assert rows[recommend]["mean"] == Figure(8, numerator=1, denominator=1)
    # Free text is never quoted: no row for it.
    assert not any("aurait pu être mieux" in label for label in rows)


def test_the_dashboard_states_them_with_their_denominators(surveyed):
    board = dashboard_for(surveyed, month(timezone.localdate()))
    sending = next(t for t in board.breakdowns if t.breakdown.code == "satisfaction_sending")
    row = next(r for r in sending.rows if r.label == END)
    assert [cell.text for cell in row.cells][:2] == ["2 sur 3 (67\u202f%)", "1 sur 2 (50\u202f%)"]
    answers = next(t for t in board.breakdowns if t.breakdown.code == "satisfaction_answers")
    scale = next(r for r in answers.rows if "Conseilleriez" in r.label)
    assert scale.cells[1].text == "8 sur 10 — 1 sur 1 réponses"
