"""A patient whose follow-up has ended answers the satisfaction questionnaire from the
SMS link the task queue sent, on a phone-sized screen; the page is accessible."""

import re
import time

import pytest

from oncolien.assessments.loader import load_instruments
from oncolien.assessments.models import SatisfactionSurvey
from oncolien.assessments.satisfaction import satisfaction_run
from oncolien.assessments.tests.satisfaction_helpers import GATEWAY, MOBILE, at, close
from oncolien.notifications import sms
from oncolien.pathways.tests.factories import make_pathway
from tests.browser.autosave import background_save
from tests.browser.axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
    }


def _choose(page, question: str, answer: str) -> None:
    page.get_by_role("group", name=question).get_by_label(answer, exact=True).check()


RECOMMEND = (
    "Conseilleriez-vous cet accompagnement à une personne dans votre situation ? (de 0 à 10)"
)


def _answer_all(page, recommend: str) -> None:
    """The five questions, the last save waited for (tests/browser/autosave.py)."""
    _choose(
        page,
        "Dans l'ensemble, êtes-vous satisfait·e de l'accompagnement que vous avez reçu ?",
        "Très satisfait·e",
    )
    _choose(page, "Saviez-vous qui appeler quand vous aviez une question ou un souci ?", "Oui")
    _choose(
        page,
        "Les soins de support proposés (diététique, psychologie, activité physique…) "
        "ont-ils répondu à vos besoins ?",
        "En partie",
    )
    _choose(
        page,
        "Les professionnels qui vous suivaient (médecin traitant, infirmier·ère, hôpital…) "
        "vous ont-ils semblé travailler ensemble ?",
        "Oui",
    )
    with background_save(page, "recommend", recommend):
        _choose(page, RECOMMEND, recommend)


def test_a_patient_gives_her_opinion_on_a_phone_from_the_sms_link(
    live_server, page, settings, coordinating_nurse
):
    settings.ONCOLIEN_SMS_BACKEND = GATEWAY
    settings.ONCOLIEN_SITE_URL = live_server.url
    sms.outbox.clear()
    load_instruments()
    close(coordinating_nurse, make_pathway(actor=coordinating_nurse, phone=MOBILE))
    satisfaction_run(now=at())
    ((_, body),) = sms.outbox
    url = re.search(r"https?://\S+/evaluations/lien/\S+/", body).group(0)

    page.goto(url)
    page.get_by_role(
        "heading", level=1, name="Votre avis sur l'accompagnement de la CPTS"
    ).wait_for()
    assert "Martin" not in page.content()
    assert_accessible(page)
    _answer_all(page, "9")
    page.get_by_role("button", name="Envoyer mes réponses").click()
    page.get_by_role("heading", name="Merci, vos réponses ont été envoyées").wait_for()
    assert "Merci pour votre avis" in page.content()
    assert_accessible(page)

    survey = SatisfactionSurvey.objects.get(moment="end_of_follow_up")
    assert survey.assessment.status == "completed"
    assert survey.assessment.answers["recommend"] == 9
    sms.outbox.clear()


def test_no_background_save_leaves_after_the_answers_are_sent(
    live_server, page, settings, coordinating_nurse
):
    """She changes her last answer and sends at once: the save that change scheduled
    (250 ms later) is not sent after the sending, which a slow answer leaves time for."""
    settings.ONCOLIEN_SMS_BACKEND = GATEWAY
    settings.ONCOLIEN_SITE_URL = live_server.url
    sms.outbox.clear()
    load_instruments()
    close(coordinating_nurse, make_pathway(actor=coordinating_nurse, phone=MOBILE))
    satisfaction_run(now=at())
    ((_, body),) = sms.outbox
    page.goto(re.search(r"https?://\S+/evaluations/lien/\S+/", body).group(0))
    _answer_all(page, "9")
    saves_after_sending: list[str] = []
    sending = []

    def slow_sending(route, request):
        if request.method == "POST" and request.headers.get("x-autosave") != "1":
            sending.append(request.url)
            time.sleep(0.8)  # the answer takes its time: the page's timers run meanwhile
        elif request.method == "POST" and sending:
            saves_after_sending.append(request.url)
        route.continue_()

    page.route("**/evaluations/lien/**", slow_sending)
    _choose(page, RECOMMEND, "10")
    page.get_by_role("button", name="Envoyer mes réponses").click()
    page.get_by_role("heading", name="Merci, vos réponses ont été envoyées").wait_for()
    assert sending and saves_after_sending == []
    survey = SatisfactionSurvey.objects.get(moment="end_of_follow_up")
    assert survey.assessment.status == "completed"
    assert survey.assessment.answers["recommend"] == 10
