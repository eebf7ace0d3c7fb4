"""The demo's regional survey: the 2025 SOS survey template, closed, with 32 fictitious
responses of CPTS of the fictitious register, made to give back the figures the field
document reports (field/000: 32 responses, 7 health professionals and 25 of
coordination teams, at least one CPTS per department; 19 know SOS, of whom 6 name the
three times of the pathway, 4 the 9 cares of the INCa basket and 12 have consulted
resources; 12 of 32 have engaged actions, 5 of them created tools; of the 20 others,
7 do not know whether they wish to). The document's « 39 % en phase de déploiement »
is no whole number of 32 (12 is 37.5 %, 13 is 40.6 %): 13 are used.

The responses are marked imported (`source=import`, `import_key` « demo-N »): loading
again changes nothing.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from oncolien.accounts.models import User
from oncolien.surveys import services
from oncolien.surveys.demo_register import load_demo_register
from oncolien.surveys.models import (
    RespondentGroup,
    Response,
    ResponseSource,
    ResponseStatus,
    Survey,
    SurveyStatus,
)

CODE = "sos-2025-demo"
TITLE = "Enquête SOS 2025 (démonstration : réponses fictives)"
OPENED = datetime.date(2025, 6, 17)
CLOSED = datetime.date(2025, 7, 11)
BASKET = [
    "pain",
    "nutrition",
    "psychological",
    "social",
    "physical_activity",
    "fertility",
    "sexual_health",
    "healthy_lifestyle",
    "carer_support",
]
ACTIONS = ["depistage", "parcours", "communication", "appels-a-projet", "partenariats"]


def _answers(index: int, department: str) -> dict:
    """The answers of the index-th respondent (0 to 31)."""
    answers: dict = {
        "departement": department,
        "deploiement": "oui" if index % 5 in (0, 2) else "non",
        "profil": "health_professional" if index < 7 else "coordination",
        "connait_sos": "oui" if index < 19 else ("non" if index < 29 else "nsp"),
    }
    if index < 19:
        answers["temps_parcours"] = (
            ["diagnostic", "traitement", "apres-traitement"] if index < 6 else ["traitement"]
        )
        answers["types_sos"] = BASKET if index in (0, 3, 7, 11) else BASKET[: 3 + index % 5]
        answers["ressources_consultees"] = "oui" if index < 12 else "non"
        if index < 12:
            answers["ressources_sources"] = "Site de l'INCa" if index % 2 else "Onco-Occitanie"
        answers["acteurs_oncologie"] = ["inca"] if index % 3 else ["inca", "onco-occitanie"]
    engaged = index % 8 < 3  # 12 of 32
    answers["actions_engagees"] = "oui" if engaged else "non"
    if engaged:
        answers["actions_types"] = [ACTIONS[index % 5], "parcours"] if index % 5 else ["parcours"]
        answers["outils_crees"] = "oui" if index % 8 == 0 or index == 9 else "non"
        if answers["outils_crees"] == "oui":
            answers["outils"] = ["communication-ps", "coordination-interne"]
        answers["financement"] = ["fir"] if index % 2 else ["sources-internes"]
        answers["professionnels_mobilises"] = ["infirmiers", "medecins-generalistes"]
    else:
        answers["souhait_actions"] = "nsp" if index % 3 == 0 else "oui"
        answers["raisons_aucune_action"] = ["ressources-humaines"]
    if index % 4 == 1:
        answers["freins"] = "Manque de temps de coordination et de professionnels formés."
    return answers


@transaction.atomic
def load_demo_survey(actor: User) -> Survey:
    """The demo survey and its 32 responses, created once."""
    register = load_demo_register()
    survey = Survey.objects.filter(code=CODE).first()
    if survey is None:
        survey = services.survey_create_from_template(
            actor=actor, template="sos-2025", code=CODE, title=TITLE
        )
        # A survey of the past: its dates and its closing are set as they were, which
        # opening through the service (dates to come) would refuse.
        Survey.objects.filter(pk=survey.pk).update(
            opens_on=OPENED,
            closes_on=CLOSED,
            status=SurveyStatus.CLOSED,
            register=register,
            results_shared=True,
        )
        survey.refresh_from_db()
    version = survey.versions.order_by("-number").first()
    assert version is not None
    entries = list(register.entries.order_by("department", "name"))
    departments = sorted({entry.department for entry in entries})
    # One CPTS per department first, then others: « au moins 1 CPTS par département ».
    chosen = [next(e for e in entries if e.department == d) for d in departments]
    # The others every third CPTS of the list: spread over the departments as the
    # register is, roughly.
    chosen += [e for e in entries[1::3] if e not in chosen][: 32 - len(chosen)]
    submitted = timezone.make_aware(datetime.datetime(2025, 6, 20, 10, 0))
    for index, entry in enumerate(chosen[:32]):
        Response.objects.get_or_create(
            survey=survey,
            import_key=f"demo-{index + 1}",
            defaults={
                "version": version,
                "entry": entry,
                "group": RespondentGroup.HEALTH_PROFESSIONAL
                if index < 7
                else RespondentGroup.COORDINATION,
                "source": ResponseSource.IMPORT,
                "status": ResponseStatus.SUBMITTED,
                "answers": _answers(index, entry.department),
                "submitted_at": submitted + datetime.timedelta(hours=index * 7),
            },
        )
    return survey
