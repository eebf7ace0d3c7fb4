"""Whether a survey takes answers today (Paris time): open, and between its dates."""

from datetime import date

from django.utils import timezone

from oncolien.surveys.models import Survey, SurveyStatus


def today() -> date:
    return timezone.localdate()


def closed_reason(survey: Survey, *, on: date | None = None) -> str | None:
    """Why the survey takes no answer today ("not_open", "closed"), None when it does."""
    on = on or today()
    if survey.status == SurveyStatus.CLOSED or (survey.closes_on and on > survey.closes_on):
        return "closed"
    if survey.status != SurveyStatus.OPEN or (survey.opens_on and on < survey.opens_on):
        return "not_open"
    return None
