"""The builder's pages, as regional staff use them; anyone else is told « page
introuvable »."""

import datetime
import html
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from oncolien.surveys import services
from oncolien.surveys.models import Survey, SurveyStatus
from oncolien.surveys.tests.definitions import small

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def page(response) -> str:
    return html.unescape(response.content.decode())


def latest(survey: Survey) -> dict:
    return services.latest_version(survey).definition


def test_regional_staff_build_a_survey_with_a_conditional_question(login, regional):
    client = login(regional)
    assert reverse("surveys:index") in page(client.get("/"))
    assert "Aucune enquête pour l'instant." in page(client.get("/enquetes/"))

    response = client.post(
        "/enquetes/nouvelle/",
        {"code": "sos-2026", "title": "Enquête SOS 2026", "template": ""},
    )
    survey = Survey.objects.get(code="sos-2026")
    assert response.status_code == 302 and response["Location"] == f"/enquetes/{survey.pk}/"
    base = f"/enquetes/{survey.pk}"

    response = client.post(f"{base}/sections/ajouter/", {"title": "Connaissance des SOS"})
    assert response.status_code == 302
    assert latest(survey)["sections"][0]["code"] == "connaissance-des-sos"

    response = client.post(
        f"{base}/sections/connaissance-des-sos/questions/ajouter/",
        {
            "kind": "single",
            "label": "Connaissez-vous les SOS ?",
            "code": "connait_sos",
            "required": "on",
            "choices": "oui | Oui\nnon | Non\nJe ne sais pas",
        },
    )
    assert response.status_code == 302
    response = client.post(
        f"{base}/sections/connaissance-des-sos/questions/ajouter/",
        {
            "kind": "multiple",
            "label": "À quels temps du parcours ?",
            "choices": "Lors de la phase diagnostique\nPendant la phase de traitement",
            "other": "on",
            "condition_question": "connait_sos",
            "condition_values": "Oui",
        },
    )
    assert response.status_code == 302
    questions = latest(survey)["sections"][0]["questions"]
    assert questions[0]["choices"][2] == {"code": "je-ne-sais-pas", "label": "Je ne sais pas"}
    assert questions[1]["code"] == "a-quels-temps-du-parcours"
    assert questions[1]["other"] is True
    assert questions[1]["show_if"] == {"question": "connait_sos", "in": ["oui"]}
    assert "Questionnaire enregistré (version 1)." in page(client.get(f"{base}/"))

    detail = page(client.get(f"{base}/"))
    assert "Affichée si « connait_sos » a pour réponse : Oui" in detail
    preview = page(client.get(f"{base}/apercu/"))
    assert "Connaissez-vous les SOS ?" in preview
    assert "Lors de la phase diagnostique" in preview and "Autre, précisez" in preview
    assert "Affichée si « connait_sos » a pour réponse : Oui" in preview

    index = page(client.get("/enquetes/"))
    assert "Enquête SOS 2026" in index and "En préparation" in index


def test_an_invalid_condition_is_refused_in_french_and_nothing_is_saved(login, regional):
    client = login(regional)
    survey = services.survey_create(actor=regional, code="test", title="Test", definition=small())
    before = latest(survey)
    response = client.post(
        f"/enquetes/{survey.pk}/sections/suite/questions/ajouter/",
        {
            "kind": "text",
            "label": "Pourquoi ?",
            "condition_question": "connait",
            "condition_values": "peut-être",
        },
    )
    assert response.status_code == 400
    text = page(response)
    assert "rien n'a été enregistré" in text
    assert "la condition attend « peut-être », qui n'est pas une réponse possible" in text
    assert latest(survey) == before and survey.versions.count() == 1

    # A condition on a question placed after is not even offered, and refused if sent.
    response = client.post(
        f"/enquetes/{survey.pk}/questions/connait/",
        {
            "kind": "yes_no",
            "label": "Connaissez-vous les SOS ?",
            "condition_question": "libre",
            "condition_values": "oui",
        },
    )
    assert response.status_code == 400
    assert "« libre » n'est pas une question placée avant celle-ci" in page(response)
    assert latest(survey) == before


def test_deleting_a_question_a_condition_needs_is_refused(login, regional):
    client = login(regional)
    survey = services.survey_create(actor=regional, code="test", title="Test", definition=small())
    confirm = page(client.get(f"/enquetes/{survey.pk}/questions/connait/supprimer/"))
    assert "« Connaissez-vous les SOS ? » sera retirée du questionnaire." in confirm
    assert latest(survey) == small()
    response = client.post(f"/enquetes/{survey.pk}/questions/connait/supprimer/", follow=True)
    assert "Rien n'a été enregistré" in page(response)
    assert "la condition porte sur « connait »" in page(response)
    assert latest(survey) == small()
    client.post(f"/enquetes/{survey.pk}/questions/libre/supprimer/")
    assert "libre" not in json.dumps(latest(survey))
    client.post(f"/enquetes/{survey.pk}/sections/suite/supprimer/")
    assert [s["code"] for s in latest(survey)["sections"]] == ["connaissance"]


def test_questions_and_sections_move(login, regional):
    client = login(regional)
    survey = services.survey_create(actor=regional, code="test", title="Test", definition=small())
    client.post(f"/enquetes/{survey.pk}/questions/libre/monter/")
    codes = [q["code"] for q in latest(survey)["sections"][1]["questions"]]
    assert codes == ["note", "effectif", "libre", "grille"]
    response = client.post(f"/enquetes/{survey.pk}/sections/suite/monter/", follow=True)
    assert "Rien n'a été enregistré" in page(response)  # its condition would look ahead
    assert [s["code"] for s in latest(survey)["sections"]] == ["connaissance", "suite"]


def test_editing_an_open_survey_through_its_pages_makes_a_new_version(login, regional):
    client = login(regional)
    survey = services.survey_create(
        actor=regional,
        code="test",
        title="Test",
        definition=small(),
        opens_on=TODAY,
        closes_on=TODAY + datetime.timedelta(days=10),
    )
    client.post(f"/enquetes/{survey.pk}/ouvrir/")
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.OPEN
    form = page(client.get(f"/enquetes/{survey.pk}/questions/libre/"))
    assert "Le code ne change plus" in form
    response = client.post(
        f"/enquetes/{survey.pk}/questions/libre/",
        {"kind": "text", "label": "Vos commentaires", "code": "autre-code"},
        follow=True,
    )
    assert "Questionnaire enregistré (version 2)." in page(response)
    assert survey.versions.get(number=1).definition == small()
    assert services.latest_version(survey).definition["sections"][1]["questions"][3] == {
        "code": "libre",
        "kind": "text",
        "label": "Vos commentaires",
        "required": False,
        "show_if": None,
    }
    version_1 = page(client.get(f"/enquetes/{survey.pk}/apercu/?version=1"))
    assert "Commentaires" in version_1 and "Vos commentaires" not in version_1


def test_opening_without_dates_is_refused_in_french(login, regional):
    client = login(regional)
    survey = services.survey_create(actor=regional, code="test", title="Test")
    response = client.post(f"/enquetes/{survey.pk}/ouvrir/", follow=True)
    text = page(response)
    assert "L'enquête n'est pas ouverte" in text
    assert "Le questionnaire n'a encore aucune question." in text
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.DRAFT


def test_a_survey_is_created_from_the_sos_template(login, regional):
    client = login(regional)
    client.post("/enquetes/nouvelle/", {"code": "sos-bis", "template": "sos-2025"})
    survey = Survey.objects.get(code="sos-bis")
    assert survey.template == "sos-2025"
    detail = page(client.get(f"/enquetes/{survey.pk}/"))
    assert "Connaissez-vous les soins oncologiques de support (SOS) ?" in detail
    assert "Section affichée si « connait_sos » a pour réponse : Oui" in detail


def test_a_definition_goes_out_and_comes_back_as_json(login, regional):
    client = login(regional)
    survey = services.survey_create(actor=regional, code="test", title="Test", definition=small())
    response = client.get(f"/enquetes/{survey.pk}/questionnaire.json")
    assert response["Content-Disposition"] == 'attachment; filename="test-v1.json"'
    document = json.loads(response.content)
    assert document == small()

    document["sections"][0]["questions"][1]["show_if"] = {"question": "libre", "in": ["x"]}
    upload = io.BytesIO(json.dumps(document).encode())
    upload.name = "questionnaire.json"
    response = client.post(f"/enquetes/{survey.pk}/questionnaire/importer/", {"file": upload})
    assert response.status_code == 400
    assert "n'est pas une question placée avant celle-ci" in page(response)
    assert latest(survey) == small()

    broken = io.BytesIO(b"{pas du json")
    broken.name = "questionnaire.json"
    response = client.post(f"/enquetes/{survey.pk}/questionnaire/importer/", {"file": broken})
    assert "JSON invalide ligne 1" in page(response)

    document["sections"][0]["questions"][1]["show_if"] = None
    document["title"] = "Titre importé"
    upload = io.BytesIO(json.dumps(document).encode())
    upload.name = "questionnaire.json"
    response = client.post(f"/enquetes/{survey.pk}/questionnaire/importer/", {"file": upload})
    assert response.status_code == 302
    assert latest(survey)["title"] == "Titre importé"


def test_a_coordinator_is_told_page_not_found(login, coordinator, regional):
    survey = services.survey_create(actor=regional, code="test", title="Test", definition=small())
    client = login(coordinator)
    home = page(client.get("/"))
    assert f'href="{reverse("surveys:index")}"' not in home
    # A coordinator reads the results shared with the CPTS instead.
    assert f'href="{reverse("surveys:shared_index")}"' in home
    for url in (
        "/enquetes/",
        "/enquetes/nouvelle/",
        f"/enquetes/{survey.pk}/",
        f"/enquetes/{survey.pk}/apercu/",
        f"/enquetes/{survey.pk}/questionnaire.json",
        f"/enquetes/{survey.pk}/sections/suite/questions/ajouter/",
    ):
        assert client.get(url).status_code == 404, url
    response = client.post("/enquetes/nouvelle/", {"code": "x", "title": "X"})
    assert response.status_code == 404
    response = client.post(f"/enquetes/{survey.pk}/questions/libre/supprimer/")
    assert response.status_code == 404
    assert not Survey.objects.filter(code="x").exists()
    assert latest(survey) == small()


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get("/enquetes/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_index_shows_each_surveys_status_version_dates_and_responses(login, regional):
    from oncolien.surveys.models import Response, ResponseSource, ResponseStatus

    survey = services.survey_create(
        actor=regional,
        code="test",
        title="Enquête à compter",
        definition=small(),
        opens_on=TODAY,
        closes_on=TODAY + datetime.timedelta(days=10),
    )
    services.survey_open(actor=regional, survey=survey)
    first = services.latest_version(survey)
    for status in (ResponseStatus.SUBMITTED, ResponseStatus.SUBMITTED, ResponseStatus.IN_PROGRESS):
        Response.objects.create(
            survey=survey, version=first, source=ResponseSource.OPEN_LINK, status=status
        )
    edited = small()
    edited["title"] = "Autre titre"
    services.definition_save(actor=regional, survey=survey, definition=edited)
    client = login(regional)
    row = next(
        line for line in page(client.get("/enquetes/")).split("<tr>") if "Enquête à compter" in line
    )
    cells = [cell.split("</td>")[0] for cell in row.split("<td>")[1:]]
    closes = (TODAY + datetime.timedelta(days=10)).strftime("%-d")
    assert cells[0] == "test" and cells[1] == "Ouverte" and cells[2] == "2"
    assert cells[3].startswith(TODAY.strftime("%-d ")) and cells[4].startswith(f"{closes} ")
    assert cells[5:7] == ["3", "2"]
    detail = page(client.get(f"/enquetes/{survey.pk}/"))
    assert "3 (dont 2 envoyées)" in detail


def test_the_survey_settings_refuse_a_closing_before_the_opening(login, regional):
    survey = services.survey_create(actor=regional, code="test", title="Test")
    client = login(regional)
    response = client.post(
        f"/enquetes/{survey.pk}/parametres/",
        {
            "title": "Nouveau titre",
            "opens_on": TODAY.isoformat(),
            "closes_on": (TODAY - datetime.timedelta(days=1)).isoformat(),
        },
    )
    assert "La clôture doit suivre l'ouverture." in page(response)
    survey.refresh_from_db()
    assert survey.title == "Test" and survey.closes_on is None
    client.post(
        f"/enquetes/{survey.pk}/parametres/",
        {"title": "Nouveau titre", "opens_on": TODAY.isoformat(), "closes_on": ""},
    )
    survey.refresh_from_db()
    assert survey.title == "Nouveau titre" and survey.opens_on == TODAY
