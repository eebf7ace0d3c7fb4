"""The demo survey gives back the field document's figures, is shared with the CPTS, and loads once."""

import pytest

from oncolien.surveys.conditions import shown_questions
from oncolien.surveys.demo import load_demo_survey

pytestmark = pytest.mark.django_db


def test_the_demo_survey_gives_back_the_field_figures_and_loads_once(regional, base_data):
    survey = load_demo_survey(regional)
    assert load_demo_survey(regional).pk == survey.pk
    responses = list(survey.responses.all())
    assert len(responses) == 32 and survey.register.is_fictitious and survey.results_shared
    assert len({r.entry_id for r in responses}) == 32
    answers = [r.answers for r in responses]
    know = [a for a in answers if a["connait_sos"] == "oui"]
    assert len(know) == 19
    assert sum(len(a["temps_parcours"]) == 3 for a in know) == 6
    assert sum(len(a["types_sos"]) == 9 for a in know) == 4
    assert sum(a["ressources_consultees"] == "oui" for a in know) == 12
    engaged = [a for a in answers if a["actions_engagees"] == "oui"]
    assert len(engaged) == 12 and sum(a["outils_crees"] == "oui" for a in engaged) == 5
    others = [a for a in answers if a["actions_engagees"] != "oui"]
    assert sum(a["souhait_actions"] == "nsp" for a in others) == 7
    assert sum(r.group == "health_professional" for r in responses) == 7
    assert len({r.entry.department for r in responses}) == 13
    # Nothing answered that the respondent would not have been shown.
    for response in responses:
        assert set(response.answers) <= shown_questions(
            response.version.definition, response.answers
        )
