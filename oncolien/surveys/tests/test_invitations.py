"""Distribution by regional staff: personal links by form and by table, each token
only in its e-mail; the open link; what the distribution page says of each one."""

import html
import re

import pytest
from django.core import mail
from django.urls import reverse

from oncolien.notifications.models import Delivery
from oncolien.surveys.invitations import hash_token
from oncolien.surveys.models import Invitation, Response, SurveyStatus
from oncolien.surveys.tests import responding_fixtures
from oncolien.surveys.tests.responding_fixtures import invite, make_survey

pytestmark = pytest.mark.django_db
# The shared fixtures, under the names the tests ask for.
register = responding_fixtures.register
survey = responding_fixtures.survey


def page_text(page) -> str:
    return html.unescape(page.content.decode())


def link_in(body: str) -> str:
    found = re.search(r"https?://\S+/enquetes/r/(\S+)/", body)
    assert found is not None, body
    return found.group(1)


def test_a_contact_gets_a_personal_link_by_email(
    login, regional, survey, register, django_capture_on_commit_callbacks
):
    client = login(regional)
    entry = register.entries.get(name="CPTS Sud Tarn")
    with django_capture_on_commit_callbacks(execute=True):
        reply = client.post(
            reverse("surveys:distribution", args=[survey.pk]),
            {
                "action": "contact",
                "entry": entry.pk,
                "contact_name": "Claire Martin",
                "email": "Claire@cpts-sud-tarn.test",
                "group": "coordination",
            },
        )
    assert reply.status_code == 302
    invitation = Invitation.objects.get(survey=survey)
    assert invitation.email == "claire@cpts-sud-tarn.test"
    (message,) = mail.outbox
    assert message.to == ["claire@cpts-sud-tarn.test"]
    assert "CPTS Sud Tarn" in message.body
    token = link_in(message.body)
    # Only the hash is stored; the link of the message opens the survey.
    assert invitation.token_hash == hash_token(token)
    assert token not in invitation.token_hash
    assert login(regional).get(reverse("surveys:r_start", args=[token])).status_code == 200

    page = page_text(client.get(reverse("surveys:distribution", args=[survey.pk])))
    assert "Claire Martin" in page
    assert "Envoyé le" in page
    assert "Pas de réponse" in page


def test_a_pending_delivery_is_not_said_sent(login, regional, survey, register, queue):
    client = login(regional)
    entry = register.entries.first()
    reply = client.post(
        reverse("surveys:distribution", args=[survey.pk]),
        {"action": "contact", "entry": entry.pk, "email": "a@cpts.test"},
        follow=True,
    )
    text = page_text(reply)
    assert "En attente d'envoi : 1" in text
    assert "Courriel envoyé" not in text
    assert "En attente" in text  # the delivery's status in the table
    assert Delivery.objects.get().outcome == "pending"


def test_contacts_from_a_pasted_table(login, regional, survey, django_capture_on_commit_callbacks):
    client = login(regional)
    pasted = (
        "cpts;nom;courriel;groupe\n"
        "CPTS Nord Aveyron;Anne;anne@na.test;professionnel de santé\n"
        "cpts sud tarn;Bruno;bruno@st.test;coordination\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        reply = client.post(
            reverse("surveys:distribution", args=[survey.pk]), {"action": "table", "pasted": pasted}
        )
    assert reply.status_code == 302
    assert sorted(Invitation.objects.values_list("email", "group")) == [
        ("anne@na.test", "health_professional"),
        ("bruno@st.test", "coordination"),
    ]
    assert len(mail.outbox) == 2


def test_an_uploaded_table_with_a_bad_line_creates_nothing(login, regional, survey):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(regional)
    data = (
        "cpts;nom;courriel\n"
        "CPTS Nord Aveyron;Anne;anne@na.test\n"
        "CPTS Inconnue;Bruno;bruno@st.test\n"
        "CPTS Sud Tarn;Chloé;pas-une-adresse\n"
    ).encode()
    reply = client.post(
        reverse("surveys:distribution", args=[survey.pk]),
        {"action": "table", "file": SimpleUploadedFile("contacts.csv", data)},
    )
    assert reply.status_code == 400
    text = page_text(reply)
    assert "Aucune invitation n'a été créée" in text
    assert "Ligne 3 : CPTS absente du registre : « CPTS Inconnue »." in text
    assert "Ligne 4 : Adresse électronique non valide" in text
    assert not Invitation.objects.exists()
    assert not Delivery.objects.exists()


def test_the_same_contact_is_not_invited_twice(login, regional, survey, register):
    client = login(regional)
    entry = register.entries.first()
    data = {"action": "contact", "entry": entry.pk, "email": "a@cpts.test"}
    client.post(reverse("surveys:distribution", args=[survey.pk]), data)
    again = client.post(reverse("surveys:distribution", args=[survey.pk]), data)
    assert again.status_code == 400
    assert "est déjà invité·e" in page_text(again)
    assert Invitation.objects.count() == 1


def test_a_survey_not_open_cannot_be_distributed(login, regional, register):
    draft = make_survey(register, code="brouillon", status=SurveyStatus.DRAFT)
    client = login(regional)
    reply = client.post(
        reverse("surveys:distribution", args=[draft.pk]),
        {"action": "contact", "entry": register.entries.first().pk, "email": "a@cpts.test"},
    )
    assert reply.status_code == 400
    assert "aucune invitation ne peut être envoyée" in page_text(reply)
    assert not Invitation.objects.exists()


def test_revoking_a_link(login, regional, survey, client):
    invitation, token = invite(survey)
    staff = login(regional)
    staff.post(reverse("surveys:invitation_revoke", args=[invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    staff.logout()
    assert staff.get(reverse("surveys:r_start", args=[token])).status_code == 410


def test_the_open_link_is_shown_once(login, regional, survey):
    client = login(regional)
    reply = client.post(reverse("surveys:distribution_open_link", args=[survey.pk]))
    text = page_text(reply)
    url = re.search(r"<code>(https?://\S+/enquetes/o/(\S+)/)</code>", text)
    survey.refresh_from_db()
    assert survey.open_token_hash == hash_token(url.group(2))
    # Not shown again, and a new one disables the previous one.
    assert url.group(1) not in page_text(
        client.get(reverse("surveys:distribution", args=[survey.pk]))
    )
    client.post(reverse("surveys:distribution_open_link", args=[survey.pk]))
    assert client.get(reverse("surveys:o_start", args=[url.group(2)])).status_code == 404


def test_the_page_says_who_answered(login, regional, survey):
    invitation, _ = invite(survey)
    other, _ = invite(survey, email="b@cpts.test")
    Response.objects.create(
        survey=survey,
        version=survey.versions.get(),
        invitation=invitation,
        entry=invitation.entry,
        source="invitation",
        status="submitted",
        submitted_at=invitation.sent_at,
    )
    Response.objects.create(
        survey=survey,
        version=survey.versions.get(),
        invitation=other,
        entry=other.entry,
        source="invitation",
    )
    text = page_text(login(regional).get(reverse("surveys:distribution", args=[survey.pk])))
    assert "Répondu le" in text
    assert "Commencée, non envoyée" in text
    assert re.search(r"<th scope=\"row\">Lien personnel</th><td>1</td><td>1</td>", text)


@pytest.mark.parametrize("persona", ["coordinator", "outsider", "coordinating_nurse"])
def test_only_regional_staff_distribute(login, request, survey, persona):
    client = login(request.getfixturevalue(persona))
    assert client.get(reverse("surveys:distribution", args=[survey.pk])).status_code == 404
    assert client.get(reverse("surveys:response_import", args=[survey.pk])).status_code == 404
