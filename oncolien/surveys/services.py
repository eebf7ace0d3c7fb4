"""A survey's life: created (blank or from a field template) with version 1, its
questionnaire edited, opened, closed. Each write checks `SURVEYS_MANAGE` and goes to
the audit trail in the same transaction.

    draft ──open──▶ open ──close──▶ closed ──open──▶ open

Versions: a draft's latest version is edited in place while no response uses it;
otherwise (an open survey, or a version some response already uses) an edit makes a
new version, number + 1, so that what earlier respondents saw never changes. Each
response points at its version (`Response.version`, protected from deletion).
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from oncolien.accounts.authorization import authorize
from oncolien.accounts.models import User
from oncolien.audit.services import audit_record
from oncolien.surveys import field_templates
from oncolien.surveys.access import SURVEYS_MANAGE
from oncolien.surveys.definition import CODE_PATTERN, all_questions, empty, validate
from oncolien.surveys.models import CptsRegister, Survey, SurveyStatus, SurveyVersion

MAX_CODE = 80


def latest_version(survey: Survey) -> SurveyVersion:
    """The version a new respondent answers, and the one the builder edits."""
    version = survey.versions.order_by("-number").first()
    if version is None:  # every survey is created with its version 1
        raise SurveyVersion.DoesNotExist(f"L'enquête {survey.code} n'a pas de version.")
    return version


def _check_dates(opens_on: datetime.date | None, closes_on: datetime.date | None) -> None:
    if opens_on and closes_on and closes_on < opens_on:
        raise ValidationError({"closes_on": "La clôture doit suivre l'ouverture."})


def _check_definition(definition: Any) -> None:
    errors = validate(definition)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def survey_create(
    *,
    actor: User,
    code: str,
    title: str,
    opens_on: datetime.date | None = None,
    closes_on: datetime.date | None = None,
    definition: dict | None = None,
    template: str = "",
) -> Survey:
    authorize(actor, SURVEYS_MANAGE)
    code, title = code.strip(), title.strip()
    if not title:
        raise ValidationError({"title": "Donnez un titre à l'enquête."})
    if len(code) > MAX_CODE or not CODE_PATTERN.match(code):
        raise ValidationError(
            {"code": "Le code s'écrit en lettres minuscules sans accent, chiffres et tirets."}
        )
    if Survey.objects.filter(code=code).exists():
        raise ValidationError({"code": "Une enquête a déjà ce code."})
    _check_dates(opens_on, closes_on)
    definition = definition if definition is not None else empty(title)
    _check_definition(definition)
    survey = Survey.objects.create(
        code=code,
        title=title,
        opens_on=opens_on,
        closes_on=closes_on,
        template=template,
        created_by=actor,
    )
    SurveyVersion.objects.create(survey=survey, number=1, definition=definition, created_by=actor)
    audit_record(
        actor=actor,
        action="survey.create",
        target=survey,
        details={"code": code, "template": template},
    )
    return survey


def survey_create_from_template(
    *,
    actor: User,
    template: str,
    code: str,
    title: str = "",
    opens_on: datetime.date | None = None,
    closes_on: datetime.date | None = None,
) -> Survey:
    """A new survey whose version 1 is a copy of a field survey (`field_templates`)."""
    if template not in field_templates.TEMPLATES:
        raise ValidationError({"template": "Ce modèle n'existe pas."})
    definition = field_templates.load(template)
    return survey_create(
        actor=actor,
        code=code,
        title=title or definition["title"],
        opens_on=opens_on,
        closes_on=closes_on,
        definition=definition,
        template=template,
    )


@transaction.atomic
def _plain(value: object) -> object:
    """A setting as the audit trail keeps it (a register by its id)."""
    return value.pk if isinstance(value, CptsRegister) else value


def survey_update(
    *,
    actor: User,
    survey: Survey,
    title: str,
    opens_on: datetime.date | None,
    closes_on: datetime.date | None,
    register: CptsRegister | None = None,
    reminder_days: int | None = None,
    max_reminders: int | None = None,
    results_shared: bool | None = None,
) -> Survey:
    """The survey's own settings: title, dates, the register it is sent to and compared
    with, reminders, sharing of results (not its questionnaire: no new version)."""
    authorize(actor, SURVEYS_MANAGE)
    title = title.strip()
    if not title:
        raise ValidationError({"title": "Donnez un titre à l'enquête."})
    _check_dates(opens_on, closes_on)
    if survey.status == SurveyStatus.OPEN and (opens_on is None or closes_on is None):
        raise ValidationError("Une enquête ouverte garde ses dates d'ouverture et de clôture.")
    new_register = register.pk if register is not None else None
    if (
        survey.register_id is not None
        and survey.register_id != new_register
        and survey.invitations.exists()
    ):
        raise ValidationError(
            {
                "register": "Des liens personnels ont été envoyés aux CPTS du registre actuel : "
                "il ne peut plus changer."
            }
        )
    fields = [
        "title",
        "opens_on",
        "closes_on",
        "register",
        "reminder_days",
        "max_reminders",
        "results_shared",
    ]
    before = {name: _plain(getattr(survey, name)) for name in fields}
    survey.title, survey.opens_on, survey.closes_on = title, opens_on, closes_on
    survey.register = register
    for name, value in (
        ("reminder_days", reminder_days),
        ("max_reminders", max_reminders),
        ("results_shared", results_shared),
    ):
        if value is not None:
            setattr(survey, name, value)
    survey.save(update_fields=fields)
    audit_record(
        actor=actor,
        action="survey.update",
        target=survey,
        details={
            "before": before,
            "after": {name: _plain(getattr(survey, name)) for name in fields},
        },
    )
    return survey


def _locked(survey: Survey) -> Survey:
    # Two saves of the same survey at once would both read the same latest version
    # and make the same number: the second waits for the first.
    return Survey.objects.select_for_update().get(pk=survey.pk)


@transaction.atomic
def definition_save(*, actor: User, survey: Survey, definition: dict) -> SurveyVersion:
    """Save an edited questionnaire, validated as a whole; nothing is saved when it
    does not validate (ValidationError with every French message)."""
    authorize(actor, SURVEYS_MANAGE)
    locked = _locked(survey)
    if locked.status == SurveyStatus.CLOSED:
        raise ValidationError(
            "Cette enquête est clôturée : son questionnaire ne change plus. "
            "Rouvrez-la pour le modifier."
        )
    _check_definition(definition)
    current = latest_version(locked)
    if current.definition == definition:
        return current
    in_place = locked.status == SurveyStatus.DRAFT and not current.responses.exists()
    if in_place:
        current.definition = definition
        current.save(update_fields=["definition"])
        version = current
    else:
        version = SurveyVersion.objects.create(
            survey=locked, number=current.number + 1, definition=definition, created_by=actor
        )
    audit_record(
        actor=actor,
        action="survey.definition_edit",
        target=locked,
        details={"version": version.number, "new_version": not in_place},
    )
    return version


def opening_errors(survey: Survey) -> list[str]:
    """Why the survey cannot be opened now ([] when it can)."""
    definition = latest_version(survey).definition
    errors = list(validate(definition))
    if not errors and not all_questions(definition):
        errors.append("Le questionnaire n'a encore aucune question.")
    if survey.opens_on is None or survey.closes_on is None:
        errors.append("Donnez les dates d'ouverture et de clôture de l'enquête.")
    elif survey.closes_on < survey.opens_on:
        errors.append("La clôture doit suivre l'ouverture.")
    elif survey.closes_on < timezone.localdate():
        errors.append("La date de clôture est passée : repoussez-la pour ouvrir l'enquête.")
    return errors


@transaction.atomic
def survey_open(*, actor: User, survey: Survey) -> Survey:
    authorize(actor, SURVEYS_MANAGE)
    locked = _locked(survey)
    if locked.status == SurveyStatus.OPEN:
        return locked
    errors = opening_errors(locked)
    if errors:
        raise ValidationError(errors)
    locked.status = SurveyStatus.OPEN
    locked.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="survey.open",
        target=locked,
        details={"version": latest_version(locked).number},
    )
    survey.status = locked.status
    return locked


@transaction.atomic
def survey_close(*, actor: User, survey: Survey) -> Survey:
    authorize(actor, SURVEYS_MANAGE)
    locked = _locked(survey)
    if locked.status != SurveyStatus.OPEN:
        raise ValidationError("Seule une enquête ouverte peut être clôturée.")
    locked.status = SurveyStatus.CLOSED
    locked.save(update_fields=["status"])
    audit_record(actor=actor, action="survey.close", target=locked)
    survey.status = locked.status
    return locked
