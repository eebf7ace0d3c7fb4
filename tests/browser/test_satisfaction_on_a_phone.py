"""A patient whose follow-up has ended answers the satisfaction questionnaire from the
SMS link the task queue sent, on a phone-sized screen; the page is accessible."""

import re

import pytest

from oncolien.assessments.loader import load_instruments
from oncolien.assessments.models import SatisfactionSurvey
from oncolien.assessments.satisfaction import satisfaction_run
from oncolien.assessments.tests.satisfaction_helpers import GATEWAY, MOBILE, at, close
from oncolien.notifications import sms
from oncolien.pathways.tests.factories import make_pathway
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
    _choose(
        page,
        "Conseilleriez-vous cet accompagnement à une personne dans votre situation ? (de 0 à 10)",
        "9",
    )
    page.get_by_role("button", name="Envoyer mes réponses").click()
    page.get_by_role("heading", name="Merci, vos réponses ont été envoyées").wait_for()
    assert "Merci pour votre avis" in page.content()
    assert_accessible(page)

    survey = SatisfactionSurvey.objects.get(moment="end_of_follow_up")
    assert survey.assessment.status == "completed"
    assert survey.assessment.answers["recommend"] == 9
    sms.outbox.clear()
