"""Answering a survey without an account: through a personal link or the open link.

One response per link: a personal link's invitation has at most one response, and
the open link's response is found again by a random cookie (`resume_hash`, its
SHA-256 only). A response is saved section by section, and its answers to questions
that a later change hid are dropped on each save (`answers.keep_shown`); once
submitted it never changes, and its link opens only the « Merci » page.

A response keeps the version it was started on: a respondent who began on version 1
finishes on version 1, whatever was published since.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from oncolien.audit.models import AuditEntry
from oncolien.audit.services import audit_record, client_address
from oncolien.rate_limits import seconds_before_next
from oncolien.surveys.answers import (
    AnswerError,
    RawAnswer,
    clean_answer,
    keep_shown,
    missing_required,
)
from oncolien.surveys.conditions import shown_questions
from oncolien.surveys.invitations import hash_token
from oncolien.surveys.models import (
    CptsRegisterEntry,
    Invitation,
    Response,
    ResponseSource,
    ResponseStatus,
    Survey,
    SurveyVersion,
)
from oncolien.surveys.schedule import closed_reason

# New responses through the open link, per client address: a CPTS's office behind one
# address may hold several respondents, a script filling the survey may not.
OPEN_LINK_LIMIT = 30
OPEN_LINK_WINDOW = timedelta(hours=1)
OPEN_LINK_START = "survey.open_link.start"
REVIEW = "review"


class LinkUnavailable(Exception):
    """A link that cannot be used: `status` 404 (unknown) or 410 (no longer usable);
    `reason` names the page to show: unknown, revoked, closed, not_open."""

    def __init__(self, reason: str, status: int, survey: Survey | None = None):
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.survey = survey


class AlreadySubmitted(Exception):
    """The response was submitted (by another tab, a moment ago): nothing changed."""


class RateLimited(Exception):
    def __init__(self, seconds: int):
        super().__init__(seconds)
        self.seconds = seconds


def current_version(survey: Survey) -> SurveyVersion | None:
    return survey.versions.order_by("-number").first()


@dataclass
class Access:
    """What a link opens: the survey, the response (None before the first page), and
    for a personal link its invitation."""

    survey: Survey
    response: Response | None
    invitation: Invitation | None = None

    @property
    def is_submitted(self) -> bool:
        return self.response is not None and self.response.status == ResponseStatus.SUBMITTED

    @property
    def definition(self) -> dict[str, Any]:
        if self.response is not None:
            return self.response.version.definition
        version = current_version(self.survey)
        return version.definition if version else {}


def _usable(survey: Survey, access: Access) -> Access:
    # A submitted response shows its « Merci » page even after the survey closed.
    if access.is_submitted:
        return access
    reason = closed_reason(survey)
    if reason is None and current_version(survey) is None:
        reason = "not_open"
    if reason:
        raise LinkUnavailable(reason, 410, survey)
    return access


def personal_access(token: str) -> Access:
    if not token or len(token) > 100:
        raise LinkUnavailable("unknown", 404)
    invitation = (
        Invitation.objects.select_related("survey", "entry")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invitation is None:
        raise LinkUnavailable("unknown", 404)
    response = Response.objects.select_related("version").filter(invitation=invitation).first()
    access = Access(survey=invitation.survey, response=response, invitation=invitation)
    if invitation.revoked_at is not None and not access.is_submitted:
        raise LinkUnavailable("revoked", 410, invitation.survey)
    return _usable(invitation.survey, access)


def open_survey_pk(token: str) -> int | None:
    """The survey of an open link (to find its cookie), None when unknown."""
    if not token or len(token) > 100:
        return None
    return (
        Survey.objects.filter(open_token_hash=hash_token(token))
        .values_list("pk", flat=True)
        .first()
    )


def open_access(token: str, resume_token: str | None) -> Access:
    if not token or len(token) > 100:
        raise LinkUnavailable("unknown", 404)
    survey = Survey.objects.filter(open_token_hash=hash_token(token)).first()
    if survey is None:
        raise LinkUnavailable("unknown", 404)
    response = None
    if resume_token and len(resume_token) <= 100:
        response = (
            Response.objects.select_related("version")
            .filter(
                survey=survey,
                source=ResponseSource.OPEN_LINK,
                resume_hash=hash_token(resume_token),
            )
            .first()
        )
    return _usable(survey, Access(survey=survey, response=response))


@transaction.atomic
def response_start(
    access: Access, *, entry: CptsRegisterEntry | None, group: str, resume_token: str = ""
) -> Response:
    """The response of a link, begun on the survey's current version."""
    version = current_version(access.survey)
    if version is None:
        raise LinkUnavailable("not_open", 410, access.survey)
    if access.invitation is not None:
        invitation = Invitation.objects.select_for_update().get(pk=access.invitation.pk)
        existing = Response.objects.filter(invitation=invitation).first()
        if existing is not None:
            return existing
        response = Response.objects.create(
            survey=access.survey,
            version=version,
            invitation=invitation,
            entry=invitation.entry,
            group=invitation.group or group,
            source=ResponseSource.INVITATION,
        )
        audit_record(actor=None, action="survey.response.start", target=response)
        return response
    wait = seconds_before_next(
        AuditEntry.objects.filter(action=OPEN_LINK_START, ip_address=client_address()).annotate(
            created_at=F("at")
        ),
        limit=OPEN_LINK_LIMIT,
        window=OPEN_LINK_WINDOW,
    )
    if wait is not None:
        raise RateLimited(wait)
    response = Response.objects.create(
        survey=access.survey,
        version=version,
        entry=entry,
        group=group,
        source=ResponseSource.OPEN_LINK,
        resume_hash=hash_token(resume_token),
    )
    audit_record(actor=None, action=OPEN_LINK_START, target=response)
    return response


# --- Sections


def sections(definition: dict[str, Any]) -> list[dict[str, Any]]:
    return list(definition.get("sections", []))


def section_shown(definition: dict[str, Any], answers: dict[str, Any], index: int) -> bool:
    section = sections(definition)[index]
    codes = {question["code"] for question in section.get("questions", [])}
    if not codes:
        return False
    # A section whose every question is hidden (the section itself, or each question
    # by its condition) has no page.
    return bool(codes & shown_questions(definition, answers))


def questions_on_page(
    definition: dict[str, Any], answers: dict[str, Any], index: int
) -> list[tuple[dict[str, Any], dict[str, Any] | None]]:
    """The questions a section's page shows: (question, condition) where condition is
    the `show_if` on a question of this same page (the page asks « si vous avez
    répondu … » and the server applies it on save), None otherwise."""
    section = sections(definition)[index]
    shown = shown_questions(definition, answers)
    on_page: list[tuple[dict[str, Any], dict[str, Any] | None]] = []
    codes_on_page: set[str] = set()
    for question in section.get("questions", []):
        condition = question.get("show_if")
        if condition and condition["question"] in codes_on_page:
            on_page.append((question, condition))
            codes_on_page.add(question["code"])
        elif question["code"] in shown:
            on_page.append((question, None))
            codes_on_page.add(question["code"])
    return on_page


def next_section(definition: dict[str, Any], answers: dict[str, Any], after: int) -> int | None:
    for index in range(after + 1, len(sections(definition))):
        if section_shown(definition, answers, index):
            return index
    return None


def previous_section(
    definition: dict[str, Any], answers: dict[str, Any], before: int
) -> int | None:
    for index in range(before - 1, -1, -1):
        if section_shown(definition, answers, index):
            return index
    return None


def resume_point(definition: dict[str, Any], answers: dict[str, Any]) -> int | str:
    """Where a returning respondent picks up: the first shown section with nothing
    answered or a required answer missing, else the review page."""
    missing = missing_required(definition, answers)
    for index in range(len(sections(definition))):
        if not section_shown(definition, answers, index):
            continue
        codes = [q["code"] for q, _ in questions_on_page(definition, answers, index)]
        if not any(code in answers for code in codes) or any(code in missing for code in codes):
            return index
    return REVIEW


def _in_progress(response: Response) -> None:
    if response.status != ResponseStatus.IN_PROGRESS:
        raise AlreadySubmitted()
    reason = closed_reason(response.survey)
    if reason:
        raise LinkUnavailable(reason, 410, response.survey)


@transaction.atomic
def section_save(
    response: Response, index: int, posted: dict[str, RawAnswer], *, require: bool
) -> dict[str, str]:
    """Save one section's answers; {question code: French error} when an answer is
    not valid (or, with `require`, a shown required question is unanswered): then
    nothing is saved."""
    response = (
        Response.objects.select_for_update().select_related("version", "survey").get(pk=response.pk)
    )
    _in_progress(response)
    definition = response.version.definition
    answers = dict(response.answers)
    texts = dict(response.other_texts)
    errors: dict[str, str] = {}
    for question, _ in questions_on_page(definition, answers, index):
        code = question["code"]
        try:
            value, other = clean_answer(question, posted.get(code, RawAnswer()))
        except AnswerError as error:
            errors[code] = str(error)
            continue
        answers.pop(code, None)
        texts.pop(code, None)
        if value is not None:
            answers[code] = value
            if other:
                texts[code] = other
    if errors:
        return errors
    answers, texts = keep_shown(definition, answers, texts)
    if require:
        page_codes = [q["code"] for q, _ in questions_on_page(definition, answers, index)]
        errors = missing_required(definition, answers, page_codes)
        if errors:
            return errors
    response.answers, response.other_texts = answers, texts
    response.save(update_fields=["answers", "other_texts", "updated_at"])
    return {}


@transaction.atomic
def response_submit(response: Response) -> dict[str, str]:
    """Submit the response; {question code: error} for the required answers still
    missing (then nothing changes), AlreadySubmitted when it was submitted before."""
    response = (
        Response.objects.select_for_update().select_related("version", "survey").get(pk=response.pk)
    )
    _in_progress(response)
    definition = response.version.definition
    answers, texts = keep_shown(definition, response.answers, response.other_texts)
    missing = missing_required(definition, answers)
    if missing:
        return missing
    # The conditional update is the single-use guard: a second submission updates nothing.
    done = Response.objects.filter(pk=response.pk, status=ResponseStatus.IN_PROGRESS).update(
        status=ResponseStatus.SUBMITTED,
        submitted_at=timezone.now(),
        answers=answers,
        other_texts=texts,
        updated_at=timezone.now(),
    )
    if not done:
        raise AlreadySubmitted()
    audit_record(actor=None, action="survey.response.submit", target=response)
    return {}
