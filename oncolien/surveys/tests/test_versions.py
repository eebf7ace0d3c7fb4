"""A survey's life and its versions: what earlier respondents saw never changes."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from oncolien.accounts.authorization import AccessDenied
from oncolien.audit.models import AuditEntry
from oncolien.surveys import builder, services
from oncolien.surveys.models import (
    Response,
    ResponseSource,
    Survey,
    SurveyStatus,
    SurveyVersion,
)
from oncolien.surveys.tests.definitions import small

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
IN_A_MONTH = TODAY + datetime.timedelta(days=30)


def make_survey(actor, **kwargs) -> Survey:
    return services.survey_create(
        actor=actor,
        code=kwargs.pop("code", "sos-2026"),
        title="Enquête SOS 2026",
        opens_on=kwargs.pop("opens_on", TODAY),
        closes_on=kwargs.pop("closes_on", IN_A_MONTH),
        definition=kwargs.pop("definition", small()),
    )


def test_a_new_survey_has_its_version_1_and_is_audited(regional):
    survey = make_survey(regional)
    assert survey.status == SurveyStatus.DRAFT
    version = services.latest_version(survey)
    assert version.number == 1 and version.definition == small()
    assert AuditEntry.objects.filter(action="survey.create", target_id=str(survey.pk)).exists()


def test_a_blank_survey_starts_with_an_empty_questionnaire(regional):
    survey = services.survey_create(actor=regional, code="vide", title="Vide")
    assert services.latest_version(survey).definition == {
        "title": "Vide",
        "introduction": "",
        "sections": [],
    }


def test_codes_are_unique_and_dates_ordered(regional):
    make_survey(regional)
    with pytest.raises(ValidationError, match="Une enquête a déjà ce code"):
        make_survey(regional)
    with pytest.raises(ValidationError, match="La clôture doit suivre l'ouverture"):
        make_survey(regional, code="autre", opens_on=IN_A_MONTH, closes_on=TODAY)
    assert Survey.objects.count() == 1


def test_an_invalid_definition_creates_nothing(regional):
    broken = small()
    broken["sections"][0]["questions"][1]["choices"] = []
    with pytest.raises(ValidationError, match="il faut au moins deux choix"):
        make_survey(regional, definition=broken)
    assert not Survey.objects.exists() and not SurveyVersion.objects.exists()


def test_a_draft_is_edited_in_place(regional):
    survey = make_survey(regional)
    edited = builder.header_set(small(), title="Nouveau titre", introduction="Bonjour")
    version = services.definition_save(actor=regional, survey=survey, definition=edited)
    assert version.number == 1
    assert survey.versions.count() == 1
    assert services.latest_version(survey).definition["title"] == "Nouveau titre"
    assert AuditEntry.objects.filter(action="survey.definition_edit").exists()


def test_a_draft_whose_version_has_a_response_gets_a_new_version(regional):
    survey = make_survey(regional)
    Response.objects.create(
        survey=survey, version=services.latest_version(survey), source=ResponseSource.IMPORT
    )
    edited = builder.question_delete(small(), "libre")
    assert services.definition_save(actor=regional, survey=survey, definition=edited).number == 2


def test_editing_an_open_survey_makes_version_2_and_the_response_keeps_version_1(regional):
    survey = make_survey(regional)
    services.survey_open(actor=regional, survey=survey)
    first = services.latest_version(survey)
    response = Response.objects.create(
        survey=survey,
        version=first,
        source=ResponseSource.OPEN_LINK,
        answers={"connait": "oui", "temps": ["diagnostic"]},
    )
    edited = builder.question_delete(small(), "libre")
    edited["sections"][0]["questions"][0]["label"] = "Connaissez-vous bien les SOS ?"
    second = services.definition_save(actor=regional, survey=survey, definition=edited)

    assert second.number == 2
    assert services.latest_version(survey) == second
    response.refresh_from_db()
    assert response.version.number == 1
    kept = response.version.definition
    assert kept == small()
    assert kept["sections"][0]["questions"][0]["label"] == "Connaissez-vous les SOS ?"
    assert [q["code"] for q in kept["sections"][1]["questions"]][-1] == "libre"


def test_each_edit_of_an_open_survey_is_a_new_version_even_without_responses(regional):
    # A respondent may have the page open before saving anything: what they see stays.
    survey = make_survey(regional)
    services.survey_open(actor=regional, survey=survey)
    one = builder.header_set(small(), title="Un", introduction="")
    two = builder.header_set(small(), title="Deux", introduction="")
    assert services.definition_save(actor=regional, survey=survey, definition=one).number == 2
    assert services.definition_save(actor=regional, survey=survey, definition=two).number == 3
    assert services.definition_save(actor=regional, survey=survey, definition=two).number == 3


def test_an_invalid_edit_saves_nothing(regional):
    survey = make_survey(regional)
    services.survey_open(actor=regional, survey=survey)
    broken = small()
    broken["sections"][0]["questions"][1]["show_if"] = {"question": "libre", "in": ["oui"]}
    with pytest.raises(ValidationError, match="n'est pas une question placée avant"):
        services.definition_save(actor=regional, survey=survey, definition=broken)
    assert survey.versions.count() == 1
    assert services.latest_version(survey).definition == small()


def test_opening_requires_questions_and_coherent_dates(regional):
    blank = services.survey_create(actor=regional, code="vide", title="Vide")
    with pytest.raises(ValidationError) as refused:
        services.survey_open(actor=regional, survey=blank)
    messages = refused.value.messages
    assert "Le questionnaire n'a encore aucune question." in messages
    assert "Donnez les dates d'ouverture et de clôture de l'enquête." in messages
    past = make_survey(
        regional,
        code="passee",
        opens_on=TODAY - datetime.timedelta(days=60),
        closes_on=TODAY - datetime.timedelta(days=30),
    )
    with pytest.raises(ValidationError, match="La date de clôture est passée"):
        services.survey_open(actor=regional, survey=past)
    past.refresh_from_db()
    assert past.status == SurveyStatus.DRAFT


def test_open_then_close_then_a_closed_questionnaire_does_not_change(regional):
    survey = make_survey(regional)
    services.survey_open(actor=regional, survey=survey)
    services.survey_close(actor=regional, survey=survey)
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.CLOSED
    with pytest.raises(ValidationError, match="Cette enquête est clôturée"):
        services.definition_save(
            actor=regional,
            survey=survey,
            definition=builder.header_set(small(), title="Autre", introduction=""),
        )
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"survey.open", "survey.close"} <= actions


def test_a_survey_is_created_from_a_field_template(regional):
    survey = services.survey_create_from_template(
        actor=regional, template="sos-2025", code="sos-2026"
    )
    assert survey.template == "sos-2025"
    assert survey.title.startswith("Enquête Guichet CPTS et Onco-Occitanie")
    with pytest.raises(ValidationError, match="Ce modèle n'existe pas"):
        services.survey_create_from_template(actor=regional, template="inconnu", code="x")


def test_only_regional_staff_build_surveys(coordinator, regional):
    with pytest.raises(AccessDenied):
        make_survey(coordinator)
    survey = make_survey(regional)
    with pytest.raises(AccessDenied):
        services.definition_save(actor=coordinator, survey=survey, definition=small())
    with pytest.raises(AccessDenied):
        services.survey_open(actor=coordinator, survey=survey)
