"""Coding free text into themes: several themes per answer, counts with denominators,
for the regional team only."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from oncolien.accounts.authorization import AccessDenied
from oncolien.surveys import coding, filters
from oncolien.surveys.analysis import survey_data
from oncolien.surveys.models import AnswerCoding
from oncolien.surveys.tests import analysis_data

pytestmark = pytest.mark.django_db
P = "\u202f%"


def test_themes_counted_over_answered_and_coded(regional):
    survey = analysis_data.build()
    data = survey_data(survey)
    codable = coding.codable(data, "attentes")
    formation = coding.theme_create(
        survey=survey, key="attentes", label="Formation", author=regional
    )
    annuaire = coding.theme_create(survey=survey, key="attentes", label="Annuaire", author=regional)
    answers = coding.answers_to_code(codable, data.respondents)
    assert len(answers) == 10
    ids = [r.id for r, _ in answers]
    chosen = {ids[0]: {formation.pk, annuaire.pk}, ids[1]: {formation.pk}, ids[2]: set()}
    assert coding.answers_code(survey=survey, key="attentes", chosen=chosen, author=regional) == 3
    counts = coding.theme_counts(survey, codable, data.respondents)
    assert (counts.answered, counts.coded) == (10, 3)
    rows = {row[0]: row[1:] for row in counts.table.rows}
    assert rows["Formation"] == ["2", f"2 sur 10 (20{P})", f"2 sur 3 (67{P})"]
    assert rows["Annuaire"] == ["1", f"1 sur 10 (10{P})", f"1 sur 3 (33{P})"]
    assert rows["Réponses codées"][:2] == ["3", f"3 sur 10 (30{P})"]
    # A filter narrows the denominators: respondents 0–9 who did actions (even r).
    kept = filters.parse(data, ["actions:oui"]).apply(data.respondents)
    narrowed = coding.theme_counts(survey, codable, kept)
    assert (narrowed.answered, narrowed.coded) == (5, 2)


def test_other_texts_are_codable(regional):
    survey = analysis_data.build()
    data = survey_data(survey)
    codable = coding.codable(data, "soins_connus.autre")
    texts = [text for _, text in coding.answers_to_code(codable, data.respondents)]
    assert sorted(texts) == ["socio-esthétique"] * 3 + ["sophrologie"] * 2


def test_bad_coding_changes_nothing(regional):
    survey = analysis_data.build()
    theme = coding.theme_create(survey=survey, key="attentes", label="Formation", author=regional)
    with pytest.raises(ValidationError, match="existe déjà"):
        coding.theme_create(survey=survey, key="attentes", label="formation", author=regional)
    response = survey.responses.first()
    with pytest.raises(ValidationError):
        coding.answers_code(
            survey=survey,
            key="attentes",
            chosen={response.pk: {theme.pk}, 999999: set()},
            author=regional,
        )
    assert not AnswerCoding.objects.exists()


def test_only_the_regional_team_codes(coordinator):
    survey = analysis_data.build()
    with pytest.raises(AccessDenied):
        coding.theme_create(survey=survey, key="attentes", label="Formation", author=coordinator)


def test_the_coding_page_lists_answers_with_checkboxes(regional, coordinator, login):
    survey = analysis_data.build()
    client = login(regional)
    url = reverse("surveys:coding_question", args=[survey.pk, "attentes"])
    response = client.post(url, {"action": "theme", "theme": "Formation"})
    assert response.status_code == 302
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Attente numéro 0" in body and 'type="checkbox"' in body
    assert page["Cache-Control"] == "private, no-store"
    theme = survey.themes.get()
    first = survey.responses.filter(answers__has_key="attentes").order_by("pk").first()
    client.post(url, {"action": "code", "reponse": [first.pk], f"theme-{first.pk}": [theme.pk]})
    assert list(AnswerCoding.objects.get(response=first).themes.all()) == [theme]
    assert "1 sur 10" in client.get(url).content.decode()
    assert login(coordinator).get(url).status_code == 404
