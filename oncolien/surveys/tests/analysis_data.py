"""A known synthetic set for the analysis tests: a survey with conditional questions
and 32 submitted responses built by hand, so that every figure can be checked.

Respondent r (0 to 31):
- connait_sos: oui for r 0–18 (19), non for 19–28 (10), nsp for 29–30, no answer for 31;
- the section « Vos connaissances » is shown to the 19 who said oui;
  trois_phases: oui for 0–5 (6), non for 6–15 (10), nsp for 16–17, no answer for 18;
  r 19 (non) also carries a left-over trois_phases = oui, which must not count;
  soins_connus (multiple, « autre »): 0–3 all five choices, 4–11 douleur + nutrition,
  12–16 psy + autre (« sophrologie »), 17–18 no answer;
- actions: oui for even r (16), non for odd r (16); nb_actions (shown if oui) = r // 2
  for even r but 30, which left it empty (15 answers: 0 to 14);
- satisfaction (scale 1–5): 4 for 0–9, 3 for 10–19, 5 for 20–24, 1 for 25–27, none 28–31;
- attentes (text): 10 answers, r 0–9;
- grille: r 0–19 info = besoin for r < 12 else pas_besoin, formation = besoin for even r
  else pas_besoin; r 20–21 info = besoin only;
- CPTS: r % 5 = 0 Alpha (12, taille 1, ACI 2024-06-01), 1 Beta (31, taille 2, ACI
  2023-05-01), 2 Gamma (81, taille 3, ACI 2019-01-15), 3 Delta (31, taille 4, ACI
  unknown), 4 none; group: health professional for r < 20, coordination for 20–30,
  none for 31.
Plus one response in progress (never counted).
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from oncolien.surveys.models import (
    CptsRegister,
    CptsRegisterEntry,
    Response,
    ResponseSource,
    ResponseStatus,
    Survey,
    SurveyStatus,
    SurveyVersion,
)

PARIS = ZoneInfo("Europe/Paris")
YES_NO_Q = "yes_no"


def definition() -> dict:
    return {
        "title": "Enquête SOS 2025",
        "introduction": "Les soins oncologiques de support dans votre CPTS.",
        "sections": [
            {
                "code": "connaissance",
                "title": "Connaissance",
                "show_if": None,
                "questions": [
                    {
                        "code": "connait_sos",
                        "kind": "yes_no",
                        "label": "Connaissez-vous les SOS ?",
                        "help": "",
                        "required": True,
                    }
                ],
            },
            {
                "code": "savoirs",
                "title": "Vos connaissances",
                "show_if": {"question": "connait_sos", "in": ["oui"]},
                "questions": [
                    {
                        "code": "trois_phases",
                        "kind": "yes_no",
                        "label": "Les SOS concernent-ils les trois phases ?",
                        "help": "",
                        "required": False,
                    },
                    {
                        "code": "soins_connus",
                        "kind": "multiple",
                        "label": "Quels soins connaissez-vous ?",
                        "help": "",
                        "required": False,
                        "other": True,
                        "choices": [
                            {"code": "douleur", "label": "Douleur"},
                            {"code": "nutrition", "label": "Nutrition"},
                            {"code": "psy", "label": "Soutien psychologique"},
                            {"code": "social", "label": "Social"},
                            {"code": "apa", "label": "Activité physique adaptée"},
                        ],
                    },
                ],
            },
            {
                "code": "actions",
                "title": "Vos actions",
                "show_if": None,
                "questions": [
                    {
                        "code": "actions",
                        "kind": "yes_no",
                        "label": "Avez-vous mené des actions ?",
                        "help": "",
                        "required": True,
                    },
                    {
                        "code": "nb_actions",
                        "kind": "number",
                        "label": "Combien d'actions ?",
                        "help": "",
                        "required": False,
                        "number": {"min": 0, "max": 100, "unit": "actions"},
                        "show_if": {"question": "actions", "in": ["oui"]},
                    },
                    {
                        "code": "satisfaction",
                        "kind": "scale",
                        "label": "Votre satisfaction",
                        "help": "",
                        "required": False,
                        "scale": {"min": 1, "max": 5, "min_label": "faible", "max_label": "forte"},
                    },
                    {
                        "code": "attentes",
                        "kind": "text",
                        "label": "Vos attentes",
                        "help": "",
                        "required": False,
                    },
                    {
                        "code": "grille",
                        "kind": "grid",
                        "label": "Vos besoins",
                        "help": "",
                        "required": False,
                        "items": [
                            {"code": "info", "label": "Information"},
                            {"code": "formation", "label": "Formation"},
                        ],
                        "choices": [
                            {"code": "besoin", "label": "Besoin"},
                            {"code": "pas_besoin", "label": "Pas de besoin"},
                        ],
                    },
                ],
            },
        ],
    }


def answers_of(r: int) -> tuple[dict, dict]:
    answers: dict = {}
    other: dict = {}
    if r <= 18:
        answers["connait_sos"] = "oui"
    elif r <= 28:
        answers["connait_sos"] = "non"
    elif r <= 30:
        answers["connait_sos"] = "nsp"
    if r <= 5:
        answers["trois_phases"] = "oui"
    elif r <= 15:
        answers["trois_phases"] = "non"
    elif r <= 17:
        answers["trois_phases"] = "nsp"
    if r == 19:
        answers["trois_phases"] = "oui"  # left over: not shown, not counted
    if r <= 3:
        answers["soins_connus"] = ["douleur", "nutrition", "psy", "social", "apa"]
    elif r <= 11:
        answers["soins_connus"] = ["douleur", "nutrition"]
    elif r <= 16:
        answers["soins_connus"] = ["psy", "autre"]
        other["soins_connus"] = "sophrologie" if r % 2 else "socio-esthétique"
    answers["actions"] = "oui" if r % 2 == 0 else "non"
    if r % 2 == 0 and r != 30:
        answers["nb_actions"] = r // 2
    if r <= 9:
        answers["satisfaction"] = 4
    elif r <= 19:
        answers["satisfaction"] = 3
    elif r <= 24:
        answers["satisfaction"] = 5
    elif r <= 27:
        answers["satisfaction"] = 1
    if r <= 9:
        answers["attentes"] = f"Attente numéro {r}"
    if r <= 19:
        answers["grille"] = {
            "info": "besoin" if r < 12 else "pas_besoin",
            "formation": "besoin" if r % 2 == 0 else "pas_besoin",
        }
    elif r <= 21:
        answers["grille"] = {"info": "besoin"}
    return answers, other


def build(*, shared: bool = False) -> Survey:
    register = CptsRegister.objects.create(title="Registre test", region="Occitanie")
    entries = [
        CptsRegisterEntry.objects.create(
            register=register,
            name="CPTS Alpha",
            department="12",
            size_class=1,
            aci_signed_on=date(2024, 6, 1),
        ),
        CptsRegisterEntry.objects.create(
            register=register,
            name="CPTS Beta",
            department="31",
            size_class=2,
            aci_signed_on=date(2023, 5, 1),
        ),
        CptsRegisterEntry.objects.create(
            register=register,
            name="CPTS Gamma",
            department="81",
            size_class=3,
            aci_signed_on=date(2019, 1, 15),
        ),
        CptsRegisterEntry.objects.create(
            register=register, name="CPTS Delta", department="31", size_class=4
        ),
    ]
    survey = Survey.objects.create(
        code="sos-test",
        title="Enquête SOS 2025",
        status=SurveyStatus.OPEN,
        opens_on=date(2025, 3, 1),
        closes_on=date(2025, 4, 30),
        register=register,
        results_shared=shared,
    )
    version = SurveyVersion.objects.create(survey=survey, number=1, definition=definition())
    start = datetime(2025, 3, 3, 10, 0, tzinfo=PARIS)
    for r in range(32):
        answers, other = answers_of(r)
        Response.objects.create(
            survey=survey,
            version=version,
            entry=entries[r % 5] if r % 5 < 4 else None,
            group="" if r == 31 else "health_professional" if r < 20 else "coordination",
            source=ResponseSource.OPEN_LINK,
            status=ResponseStatus.SUBMITTED,
            answers=answers,
            other_texts=other,
            submitted_at=start + timedelta(days=r),
        )
    Response.objects.create(
        survey=survey,
        version=version,
        source=ResponseSource.OPEN_LINK,
        status=ResponseStatus.IN_PROGRESS,
        answers={"connait_sos": "oui"},
    )
    return survey
