"""A CPTS contact answers a regional survey through the personal link of its e-mail,
on a phone-sized screen: a conditional section appears or not according to an
earlier answer, the answers are reviewed and sent once; every page is accessible."""

import re

import pytest
from django.core import mail

from oncolien.surveys.invitations import Contact, invitations_create
from oncolien.surveys.models import Response
from oncolien.surveys.tests import responding_fixtures
from tests.browser.axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
register = responding_fixtures.register
survey = responding_fixtures.survey


@pytest.fixture
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
    }


def test_a_contact_answers_the_survey_on_a_phone(live_server, page, regional, survey, register):
    invitations_create(
        actor=regional,
        survey=survey,
        contacts=[
            Contact(
                entry=register.entries.get(name="CPTS Nord Aveyron"),
                contact_name="Claire",
                email="claire@cpts.test",
                group="coordination",
            )
        ],
        build_url=lambda token: f"{live_server.url}/enquetes/r/{token}/",
    )
    (message,) = mail.outbox
    url = re.search(r"https?://\S+/enquetes/r/\S+/", message.body).group(0)

    page.goto(url)
    page.get_by_role("heading", level=1, name="Enquête SOS (test)").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Commencer").click()

    page.get_by_role("heading", level=1, name="Connaissance des SOS").wait_for()
    assert_accessible(page)
    page.get_by_role("group", name=re.compile("Connaissez-vous")).get_by_label("Non").check()
    page.get_by_role("button", name="Enregistrer et continuer", exact=True).click()

    # « Non »: the « actions » section is skipped.
    page.get_by_role("heading", level=1, name="Vos attentes").wait_for()
    assert_accessible(page)
    page.get_by_role("group", name=re.compile("Votre priorité")).get_by_label("Annuaire").check()
    page.get_by_label("Commentaire").fill("Un annuaire à jour.")
    page.get_by_role("button", name="Enregistrer et continuer", exact=True).click()

    page.get_by_role("heading", level=1, name="Relire mes réponses").wait_for()
    assert_accessible(page)
    assert "Un annuaire à jour." in page.content()
    assert "Combien d'actions" not in page.content()
    page.get_by_role("button", name="Envoyer mes réponses").click()
    page.get_by_text("Merci, vos réponses ont été enregistrées le").wait_for()
    assert_accessible(page)

    response = Response.objects.get(survey=survey)
    assert response.status == "submitted"
    assert response.answers == {
        "connait_sos": "non",
        "priorite": "annuaire",
        "commentaire": "Un annuaire à jour.",
    }
    # The same link again: the thanks page, never the form.
    page.goto(url)
    page.get_by_text("Merci, vos réponses ont été enregistrées le").wait_for()
    assert page.get_by_role("button", name="Commencer").count() == 0
