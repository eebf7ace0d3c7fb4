"""Answering without an account: a personal link end to end, resumable, single use;
revoked, unknown and closed links; the open link, one response per browser."""

import html
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from oncolien.surveys.models import (
    Response,
    ResponseSource,
    ResponseStatus,
    SurveyStatus,
    SurveyVersion,
)
from oncolien.surveys.tests import responding_fixtures
from oncolien.surveys.tests.responding_fixtures import DEFINITION, invite, make_survey

pytestmark = pytest.mark.django_db
# The shared fixtures, under the names the tests ask for.
register = responding_fixtures.register
survey = responding_fixtures.survey


def page_text(page) -> str:
    return html.unescape(page.content.decode())


def start_url(token, kind="r"):
    return reverse(f"surveys:{kind}_start", args=[token])


def section_url(token, index, kind="r"):
    return reverse(f"surveys:{kind}_section", args=[token, index])


def review_url(token, kind="r"):
    return reverse(f"surveys:{kind}_review", args=[token])


def test_personal_link_end_to_end_with_a_conditional_question(client, survey):
    invitation, token = invite(survey)
    page = client.get(start_url(token))
    assert page.status_code == 200
    assert "Vous répondez pour la <strong>CPTS Nord Aveyron</strong>" in page_text(page)
    reply = client.post(start_url(token))
    assert reply.status_code == 302 and reply.url == section_url(token, 0)

    page = client.get(section_url(token, 0))
    # The phases question depends on an answer of the same page: shown, with its condition.
    assert "À quelles phases" in page_text(page)
    assert "Uniquement si vous avez répondu « Oui »" in page_text(page)
    # « Oui » without the phases: the required question, shown, is asked for.
    refused = client.post(section_url(token, 0), {"q-connait_sos": "oui", "action": "next"})
    assert refused.status_code == 400
    assert "Cette question est obligatoire." in page_text(refused)
    assert Response.objects.get(invitation=invitation).answers == {}

    reply = client.post(
        section_url(token, 0),
        {"q-connait_sos": "oui", "q-phases": ["diagnostic", "apres"], "action": "next"},
    )
    # Knowing SOS opens the « actions » section.
    assert reply.url == section_url(token, 1)
    reply = client.post(
        section_url(token, 1), {"q-nb_actions": "3,5", "q-satisfaction": "4", "action": "next"}
    )
    assert reply.url == section_url(token, 2)

    # Back to the first page: « Non » now hides the phases and the actions section.
    reply = client.post(section_url(token, 0), {"q-connait_sos": "non", "action": "next"})
    assert reply.url == section_url(token, 2)
    response = Response.objects.get(invitation=invitation)
    assert response.answers == {"connait_sos": "non"}
    assert client.get(section_url(token, 1)).status_code == 302

    reply = client.post(
        section_url(token, 2),
        {
            "q-priorite": "autre",
            "q-priorite-autre": "Des réunions",
            "q-besoins__douleur": "fort",
            "action": "next",
        },
    )
    assert reply.url == review_url(token)
    review = client.get(review_url(token))
    assert "Autre, précisez : Des réunions" in page_text(review)
    assert "Combien d'actions" not in page_text(review)

    reply = client.post(review_url(token))
    assert reply.url == start_url(token)
    response.refresh_from_db()
    assert response.status == ResponseStatus.SUBMITTED
    assert response.source == ResponseSource.INVITATION
    assert response.entry.name == "CPTS Nord Aveyron"
    assert response.answers == {
        "connait_sos": "non",
        "priorite": "autre",
        "besoins": {"douleur": "fort"},
    }
    assert response.other_texts == {"priorite": "Des réunions"}
    thanks = client.get(start_url(token))
    assert "Merci, vos réponses ont été enregistrées le" in page_text(thanks)


def test_bad_value_saves_nothing_and_keeps_what_was_typed(client, survey):
    invitation, token = invite(survey)
    client.post(start_url(token))
    client.post(section_url(token, 0), {"q-connait_sos": "non", "action": "next"})
    refused = client.post(
        section_url(token, 2),
        {
            "q-priorite": "formation",
            "q-commentaire": "Bien",
            "q-besoins__douleur": "énorme",
            "action": "next",
        },
    )
    assert refused.status_code == 400
    assert "n'est pas un choix proposé" in page_text(refused)
    assert ">Bien</textarea>" in page_text(refused)
    assert Response.objects.get(invitation=invitation).answers == {"connait_sos": "non"}


def test_save_and_continue_later_reopens_at_the_answers_given(client, survey):
    invitation, token = invite(survey)
    client.post(start_url(token))
    client.post(
        section_url(token, 0), {"q-connait_sos": "oui", "q-phases": "traitement", "action": "next"}
    )
    saved = client.post(section_url(token, 1), {"q-nb_actions": "7", "action": "later"})
    assert "Vos réponses sont enregistrées." in page_text(saved)

    client.cookies.clear()  # another day, another device: the same link
    start = client.get(start_url(token))
    assert "Reprendre où j'en étais" in page_text(start)
    # Resumes at the first section with nothing answered yet.
    assert section_url(token, 2) in page_text(start)
    page = client.get(section_url(token, 1))
    assert 'value="7"' in page_text(page)
    page = client.get(section_url(token, 0))
    assert 'value="traitement" checked' in page_text(page)


def test_one_response_per_link(client, survey):
    invitation, token = invite(survey)
    client.post(start_url(token))
    client.post(section_url(token, 0), {"q-connait_sos": "non", "action": "next"})
    client.post(section_url(token, 2), {"q-priorite": "formation", "action": "next"})
    client.post(review_url(token))
    submitted_at = Response.objects.get(invitation=invitation).submitted_at

    # A second submission, and a late change of answer, are refused: the thanks page.
    again = client.post(review_url(token))
    assert again.status_code == 200
    assert "Merci, vos réponses ont été enregistrées le" in page_text(again)
    late = client.post(section_url(token, 2), {"q-priorite": "annuaire", "action": "next"})
    assert "ne peuvent plus être modifiées" in page_text(late)
    response = Response.objects.get(invitation=invitation)
    assert response.answers["priorite"] == "formation"
    assert response.submitted_at == submitted_at
    assert Response.objects.filter(survey=survey).count() == 1


def test_submit_refused_while_a_required_answer_is_missing(client, survey):
    invitation, token = invite(survey)
    client.post(start_url(token))
    client.post(section_url(token, 0), {"q-connait_sos": "non", "action": "next"})
    refused = client.post(review_url(token))
    assert refused.status_code == 400
    assert "Des réponses obligatoires manquent" in page_text(refused)
    assert Response.objects.get(invitation=invitation).status == ResponseStatus.IN_PROGRESS


def test_unknown_link_is_404_and_saves_nothing(client, survey):
    page = client.get(start_url("pas-un-vrai-lien"))
    assert page.status_code == 404
    assert "Lien introuvable" in page_text(page)
    assert (
        client.post(section_url("pas-un-vrai-lien", 0), {"q-connait_sos": "oui"}).status_code == 404
    )
    assert not Response.objects.exists()


def test_revoked_link_is_410(client, survey):
    invitation, token = invite(survey)
    client.post(start_url(token))
    invitation.revoked_at = timezone.now()
    invitation.save()
    page = client.post(section_url(token, 0), {"q-connait_sos": "oui", "action": "next"})
    assert page.status_code == 410
    assert "Ce lien n'est plus valide" in page_text(page)
    assert Response.objects.get(invitation=invitation).answers == {}


@pytest.mark.parametrize("closing", ["status", "date"])
def test_closed_survey_takes_no_answer(client, survey, closing):
    invitation, token = invite(survey)
    client.post(start_url(token))
    if closing == "status":
        survey.status = SurveyStatus.CLOSED
    else:
        survey.closes_on = timezone.localdate() - timedelta(days=1)
    survey.save()
    page = client.post(section_url(token, 0), {"q-connait_sos": "oui", "action": "next"})
    assert page.status_code == 410
    assert "Cette enquête est clôturée" in page_text(page)
    assert Response.objects.get(invitation=invitation).answers == {}


def test_draft_survey_takes_no_answer(client, register):
    draft = make_survey(register, code="brouillon", status=SurveyStatus.DRAFT)
    _, token = invite(draft)
    page = client.post(start_url(token))
    assert page.status_code == 410
    assert "n'est pas ouverte" in page_text(page)
    assert not Response.objects.exists()


def test_a_respondent_keeps_the_version_they_started_on(client, survey):
    invitation, token = invite(survey)
    client.post(start_url(token))
    changed = {**DEFINITION, "sections": DEFINITION["sections"][2:]}
    SurveyVersion.objects.create(survey=survey, number=2, definition=changed)
    page = client.get(section_url(token, 0))
    assert "Connaissance des SOS" in page_text(page)
    assert Response.objects.get(invitation=invitation).version.number == 1
    # A newcomer starts on version 2.
    _, other = invite(survey, email="autre@cpts.test")
    client.post(start_url(other))
    assert Response.objects.get(invitation__email="autre@cpts.test").version.number == 2


def test_invitation_without_group_asks_for_it(client, survey):
    invitation, token = invite(survey, group="")
    refused = client.post(start_url(token))
    assert refused.status_code == 400
    assert "Indiquez à quel titre vous répondez." in page_text(refused)
    client.post(start_url(token), {"group": "health_professional"})
    assert Response.objects.get(invitation=invitation).group == "health_professional"


# --- The open link


def open_token(survey):
    from oncolien.surveys.invitations import hash_token, new_token

    token = new_token()
    survey.open_token_hash = hash_token(token)
    survey.save()
    return token


def test_open_link_asks_the_cpts_and_group_then_one_response_per_cookie(client, survey, register):
    token = open_token(survey)
    page = client.get(start_url(token, "o"))
    assert "Votre CPTS" in page_text(page) and "CPTS Sud Tarn" in page_text(page)
    entry = register.entries.get(name="CPTS Sud Tarn")
    reply = client.post(start_url(token, "o"), {"entry": entry.pk, "group": "coordination"})
    assert reply.url == section_url(token, 0, "o")
    response = Response.objects.get(survey=survey)
    assert response.source == ResponseSource.OPEN_LINK
    assert response.entry == entry and response.group == "coordination"
    assert response.resume_hash and response.resume_hash not in reply.cookies.output()

    client.post(section_url(token, 0, "o"), {"q-connait_sos": "non", "action": "next"})
    # The same browser comes back: the same response, resumed.
    assert "Reprendre où j'en étais" in page_text(client.get(start_url(token, "o")))
    client.post(section_url(token, 2, "o"), {"q-priorite": "annuaire", "action": "next"})
    client.post(review_url(token, "o"))
    assert "Merci, vos réponses ont été enregistrées" in page_text(
        client.get(start_url(token, "o"))
    )
    client.post(start_url(token, "o"), {"entry": entry.pk, "group": "coordination"})
    assert Response.objects.filter(survey=survey).count() == 1

    # Another browser is another respondent.
    client.cookies.clear()
    assert "Votre CPTS" in page_text(client.get(start_url(token, "o")))
    client.post(start_url(token, "o"), {"entry": entry.pk, "group": "health_professional"})
    assert Response.objects.filter(survey=survey).count() == 2


def test_open_link_needs_a_cpts_of_the_register(client, survey):
    token = open_token(survey)
    refused = client.post(start_url(token, "o"), {"entry": "999999", "group": "coordination"})
    assert refused.status_code == 400
    assert not Response.objects.exists()


def test_open_link_is_rate_limited(client, survey, register, monkeypatch):
    from oncolien.surveys import answering

    monkeypatch.setattr(answering, "OPEN_LINK_LIMIT", 2)
    token = open_token(survey)
    entry = register.entries.first()
    for _ in range(2):
        client.cookies.clear()
        client.post(start_url(token, "o"), {"entry": entry.pk, "group": "coordination"})
    client.cookies.clear()
    refused = client.post(start_url(token, "o"), {"entry": entry.pk, "group": "coordination"})
    assert refused.status_code == 429
    assert "Trop de réponses ont été commencées" in page_text(refused)
    assert Response.objects.count() == 2


def test_disabled_open_link_is_unknown(client, survey):
    token = open_token(survey)
    survey.open_token_hash = ""
    survey.save()
    assert client.get(start_url(token, "o")).status_code == 404
