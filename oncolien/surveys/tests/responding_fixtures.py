"""What the distribution, answering and import tests share: a register of three
CPTS, an open survey with conditional questions built by hand, and its invitations.
(Not a conftest.py: other parts of the surveys app keep their own fixtures.)"""

from datetime import timedelta

import pytest
from django.utils import timezone

from oncolien.surveys.invitations import hash_token, new_token
from oncolien.surveys.models import (
    CptsRegister,
    CptsRegisterEntry,
    Invitation,
    RespondentGroup,
    Survey,
    SurveyStatus,
    SurveyVersion,
)

YES_NO_Q = {
    "code": "connait_sos",
    "kind": "yes_no",
    "label": "Connaissez-vous les soins oncologiques de support ?",
    "help": "",
    "required": True,
}
PHASES_Q = {
    "code": "phases",
    "kind": "multiple",
    "label": "À quelles phases du parcours s'adressent-ils ?",
    "help": "",
    "required": True,
    "choices": [
        {"code": "diagnostic", "label": "Diagnostic"},
        {"code": "traitement", "label": "Traitement"},
        {"code": "apres", "label": "Après le traitement"},
    ],
    "other": True,
    "show_if": {"question": "connait_sos", "in": ["oui"]},
}
DEFINITION = {
    "title": "Enquête SOS (test)",
    "introduction": "Une enquête de test.",
    "sections": [
        {
            "code": "connaissance",
            "title": "Connaissance des SOS",
            "show_if": None,
            "questions": [YES_NO_Q, PHASES_Q],
        },
        {
            "code": "actions",
            "title": "Vos actions",
            "show_if": {"question": "connait_sos", "in": ["oui"]},
            "questions": [
                {
                    "code": "nb_actions",
                    "kind": "number",
                    "label": "Combien d'actions SOS menez-vous ?",
                    "required": False,
                    "number": {"min": 0, "max": 100, "unit": "actions"},
                },
                {
                    "code": "satisfaction",
                    "kind": "scale",
                    "label": "Votre satisfaction",
                    "required": False,
                    "scale": {"min": 1, "max": 5, "min_label": "faible", "max_label": "forte"},
                },
            ],
        },
        {
            "code": "attentes",
            "title": "Vos attentes",
            "show_if": None,
            "questions": [
                {
                    "code": "priorite",
                    "kind": "single",
                    "label": "Votre priorité",
                    "required": True,
                    "choices": [
                        {"code": "formation", "label": "Formation"},
                        {"code": "annuaire", "label": "Annuaire"},
                    ],
                    "other": True,
                },
                {
                    "code": "besoins",
                    "kind": "grid",
                    "label": "Vos besoins",
                    "required": False,
                    "items": [
                        {"code": "douleur", "label": "Douleur"},
                        {"code": "nutrition", "label": "Nutrition"},
                    ],
                    "choices": [
                        {"code": "fort", "label": "Fort"},
                        {"code": "faible", "label": "Faible"},
                    ],
                },
                {"code": "commentaire", "kind": "text", "label": "Commentaire", "required": False},
            ],
        },
    ],
}


@pytest.fixture
def register(db):
    register = CptsRegister.objects.create(title="Registre test", region="Occitanie")
    for name, department in (
        ("CPTS Nord Aveyron", "12"),
        ("CPTS Sud Tarn", "81"),
        ("CPTS Toulouse Est", "31"),
    ):
        CptsRegisterEntry.objects.create(register=register, name=name, department=department)
    return register


def make_survey(register, *, code="sos-test", definition=None, status=SurveyStatus.OPEN, **fields):
    survey = Survey.objects.create(
        code=code,
        title="Enquête SOS (test)",
        status=status,
        register=register,
        opens_on=timezone.localdate() - timedelta(days=30),
        closes_on=timezone.localdate() + timedelta(days=30),
        **fields,
    )
    SurveyVersion.objects.create(survey=survey, number=1, definition=definition or DEFINITION)
    return survey


@pytest.fixture
def survey(register):
    return make_survey(register)


def invite(
    survey,
    *,
    entry_name="CPTS Nord Aveyron",
    email="contact@cpts.test",
    group=RespondentGroup.COORDINATION,
):
    """An invitation made directly, its token returned (as the e-mail would carry it)."""
    token = new_token()
    invitation = Invitation.objects.create(
        survey=survey,
        entry=survey.register.entries.get(name=entry_name),
        email=email,
        group=group,
        token_hash=hash_token(token),
        sent_at=timezone.now(),
    )
    return invitation, token
