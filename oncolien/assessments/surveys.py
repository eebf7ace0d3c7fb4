"""The `survey` block of a satisfaction questionnaire's file: when the task queue sends
it, and when it reminds (see INSTRUMENT_FORMAT.md, « Questionnaires de satisfaction »).

An instrument with a `survey` block is sent only by the task queue: it is not offered
when a professional starts an assessment or issues a link by hand.
"""

from dataclasses import dataclass

from oncolien.assessments.models import Audience, SurveyMoment
from oncolien.pathways.models import ClosingReason

AUDIENCE_OF_MOMENT = {
    SurveyMoment.END_OF_FOLLOW_UP: Audience.PATIENT,
    SurveyMoment.PROGRAMME_YEAR: Audience.PATIENT,
    SurveyMoment.CARE_TEAM: Audience.PROFESSIONAL,
}
# Moments read from a pathway's closing, which need the closing reasons that count.
CLOSING_MOMENTS = (SurveyMoment.END_OF_FOLLOW_UP, SurveyMoment.CARE_TEAM)


@dataclass(frozen=True)
class Survey:
    moment: str
    reminder_after_days: int
    # A moment older than this is not sent: switching the sending on, or a task
    # stopped for a while, never sends questionnaires about long-past moments.
    send_within_days: int
    closing_reasons: tuple[str, ...] = ()


def survey_of(definition: dict) -> Survey | None:
    """The sending rules of an instrument already validated, or None (not a survey)."""
    block = definition.get("survey")
    if not isinstance(block, dict):
        return None
    return Survey(
        moment=block["moment"],
        reminder_after_days=block["reminder_after_days"],
        send_within_days=block["send_within_days"],
        closing_reasons=tuple(block.get("closing_reasons", ())),
    )


def _days(block: dict, key: str, highest: int, errors: list[str]) -> None:
    value = block.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= highest:
        errors.append(f"« survey.{key} » : un nombre de jours entre 1 et {highest}.")


def check_survey(definition: dict) -> list[str]:
    """French messages for every problem of the `survey` block (none when absent)."""
    if "survey" not in definition:
        return []
    block = definition["survey"]
    if not isinstance(block, dict):
        return ["« survey » doit être un objet."]
    errors: list[str] = []
    moment = block.get("moment")
    if moment not in SurveyMoment.values:
        errors.append(f"« survey.moment » doit valoir l'une de : {', '.join(SurveyMoment.values)}.")
    elif definition.get("audience") != AUDIENCE_OF_MOMENT[SurveyMoment(moment)]:
        errors.append(
            f"« survey.moment » {moment} : le questionnaire doit s'adresser à "
            f"« {AUDIENCE_OF_MOMENT[SurveyMoment(moment)]} »."
        )
    _days(block, "reminder_after_days", 60, errors)
    _days(block, "send_within_days", 365, errors)
    reasons = block.get("closing_reasons")
    if moment in CLOSING_MOMENTS:
        if (
            not isinstance(reasons, list)
            or not reasons
            or any(r not in ClosingReason.values for r in reasons)
        ):
            errors.append(
                "« survey.closing_reasons » : la liste des motifs de clôture qui déclenchent "
                f"l'envoi, parmi : {', '.join(ClosingReason.values)}."
            )
    elif reasons is not None:
        errors.append("« survey.closing_reasons » ne vaut que pour un envoi à la clôture.")
    if "default_for" in definition:
        errors.append("Un questionnaire de satisfaction n'est proposé par défaut à personne.")
    return errors
