"""The survey builder's pages, for regional staff (`SURVEYS_MANAGE`; 404 for anyone
else): the list of surveys, a survey's page, its sections and questions, a preview,
and the JSON of a definition. Every save goes through `services.definition_save`,
which validates the whole questionnaire and saves nothing when it does not."""

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from oncolien.accounts.models import User
from oncolien.audit.services import audit_record
from oncolien.surveys import builder, services
from oncolien.surveys.access import SURVEYS_MANAGE
from oncolien.surveys.conditions import YES_NO
from oncolien.surveys.definition import KINDS, choice_label
from oncolien.surveys.definition import question as find_question
from oncolien.surveys.forms_builder import (
    DefinitionUploadForm,
    HeaderForm,
    QuestionForm,
    SectionForm,
    SurveyCreateForm,
    SurveySettingsForm,
)
from oncolien.surveys.models import ResponseStatus, Survey, SurveyStatus, SurveyVersion
from oncolien.web.forms import show_errors
from oncolien.web.http import NOT_FOUND, authorized_or_404, user_of


def survey_url(survey: Survey) -> str:
    return reverse("surveys:detail", kwargs={"pk": survey.pk})


def _manager(request: HttpRequest) -> User:
    user = user_of(request)
    authorized_or_404(user, SURVEYS_MANAGE)
    return user


def _survey(request: HttpRequest, pk: int) -> tuple[User, Survey, SurveyVersion]:
    user = _manager(request)
    survey = get_object_or_404(Survey, pk=pk)
    return user, survey, services.latest_version(survey)


def _code_locked(survey: Survey) -> bool:
    # A draft never opened, with no response (imported ones included), has no
    # respondent yet: its codes may still be corrected. Afterwards, responses,
    # imports and exports name them.
    return (
        survey.status != SurveyStatus.DRAFT
        or survey.versions.count() > 1
        or survey.responses.exists()
    )


def _condition_text(definition: dict, show_if: dict | None) -> str:
    if not show_if:
        return ""
    target = find_question(definition, show_if.get("question", ""))
    values = show_if.get("in", [])
    labels = [choice_label(target, v) if target else str(v) for v in values]
    return f"« {show_if.get('question')} » a pour réponse : {' ou '.join(labels)}"


def _outline(definition: dict) -> list[dict[str, Any]]:
    """The sections and questions as the survey's page and the preview list them."""
    outline = []
    for section in definition.get("sections", []):
        questions = [
            {
                **item,
                "kind_label": KINDS.get(item.get("kind", ""), item.get("kind")),
                "condition": _condition_text(definition, item.get("show_if")),
                "values": _values(item),
            }
            for item in section.get("questions", [])
        ]
        outline.append(
            {
                **section,
                "condition": _condition_text(definition, section.get("show_if")),
                "questions": questions,
            }
        )
    return outline


def _values(item: dict) -> list[tuple[str, str]]:
    if item.get("kind") == "yes_no":
        return list(YES_NO)
    pairs = [(c["code"], c["label"]) for c in item.get("choices", [])]
    return pairs


def _save(request: HttpRequest, user: User, survey: Survey, definition: dict, form: Any) -> bool:
    """Save the edited definition; on refusal its French errors go on the form."""
    try:
        version = services.definition_save(actor=user, survey=survey, definition=definition)
    except ValidationError as error:
        show_errors(form, error)
        return False
    messages.success(request, f"Questionnaire enregistré (version {version.number}).")
    return True


def _save_or_message(request: HttpRequest, user: User, survey: Survey, definition: dict) -> None:
    try:
        version = services.definition_save(actor=user, survey=survey, definition=definition)
    except ValidationError as error:
        messages.error(request, "Rien n'a été enregistré : " + " ".join(error.messages))
    else:
        messages.success(request, f"Questionnaire enregistré (version {version.number}).")


# --- Surveys


@login_required
def index(request: HttpRequest) -> HttpResponse:
    _manager(request)
    surveys = Survey.objects.annotate(
        version_number=Max("versions__number"),
        response_count=Count("responses", distinct=True),
        submitted_count=Count(
            "responses", filter=Q(responses__status=ResponseStatus.SUBMITTED), distinct=True
        ),
    ).order_by("-created_at", "-pk")
    return render(request, "surveys/index.html", {"surveys": surveys})


@login_required
def create(request: HttpRequest) -> HttpResponse:
    user = _manager(request)
    form = SurveyCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["template"]:
                survey = services.survey_create_from_template(
                    actor=user,
                    template=data["template"],
                    code=data["code"],
                    title=data["title"],
                    opens_on=data["opens_on"],
                    closes_on=data["closes_on"],
                )
            else:
                survey = services.survey_create(
                    actor=user,
                    code=data["code"],
                    title=data["title"],
                    opens_on=data["opens_on"],
                    closes_on=data["closes_on"],
                )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, "Enquête créée.")
            return redirect("surveys:detail", pk=survey.pk)
    return render(request, "surveys/builder_create.html", {"form": form})


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    _user, survey, version = _survey(request, pk)
    versions = survey.versions.annotate(response_count=Count("responses")).order_by("-number")
    responses = survey.responses.aggregate(
        total=Count("pk"), submitted=Count("pk", filter=Q(status=ResponseStatus.SUBMITTED))
    )
    return render(
        request,
        "surveys/detail.html",
        {
            "survey": survey,
            "version": version,
            "versions": versions,
            "responses": responses,
            "outline": _outline(version.definition),
            "opening_errors": services.opening_errors(survey)
            if survey.status != SurveyStatus.OPEN
            else [],
            "editable": survey.status != SurveyStatus.CLOSED,
            "new_version_on_edit": survey.status != SurveyStatus.DRAFT
            or version.responses.exists(),
        },
    )


@login_required
def settings(request: HttpRequest, pk: int) -> HttpResponse:
    user, survey, _version = _survey(request, pk)
    form = SurveySettingsForm(
        request.POST or None,
        initial={
            "title": survey.title,
            "opens_on": survey.opens_on,
            "closes_on": survey.closes_on,
            "register": survey.register,
            "reminder_days": survey.reminder_days,
            "max_reminders": survey.max_reminders,
            "results_shared": survey.results_shared,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_update(actor=user, survey=survey, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, "Enquête modifiée.")
            return redirect("surveys:detail", pk=survey.pk)
    return render(request, "surveys/builder_settings.html", {"form": form, "survey": survey})


@login_required
@require_POST
def open_survey(request: HttpRequest, pk: int) -> HttpResponse:
    user, survey, _version = _survey(request, pk)
    try:
        services.survey_open(actor=user, survey=survey)
    except ValidationError as error:
        messages.error(request, "L'enquête n'est pas ouverte : " + " ".join(error.messages))
    else:
        messages.success(request, "Enquête ouverte : toute modification fera une nouvelle version.")
    return redirect("surveys:detail", pk=survey.pk)


@login_required
@require_POST
def close_survey(request: HttpRequest, pk: int) -> HttpResponse:
    user, survey, _version = _survey(request, pk)
    try:
        services.survey_close(actor=user, survey=survey)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Enquête clôturée.")
    return redirect("surveys:detail", pk=survey.pk)


# --- The questionnaire


@login_required
def header_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user, survey, version = _survey(request, pk)
    definition = version.definition
    form = HeaderForm(
        request.POST or None,
        initial={"title": definition["title"], "introduction": definition.get("introduction", "")},
    )
    if request.method == "POST" and form.is_valid():
        edited = builder.header_set(definition, **form.cleaned_data)
        if _save(request, user, survey, edited, form):
            return redirect("surveys:detail", pk=survey.pk)
    return render(request, "surveys/builder_header.html", {"form": form, "survey": survey})


def _section_page(
    request: HttpRequest, form: SectionForm, survey: Survey, title: str, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "surveys/builder_section.html",
        {"form": form, "survey": survey, "title": title},
        status=400 if form.errors else status,
    )


@login_required
def section_add(request: HttpRequest, pk: int) -> HttpResponse:
    user, survey, version = _survey(request, pk)
    definition = version.definition
    form = SectionForm(request.POST or None)
    form.set_condition_targets(builder.questions_before(definition))
    if request.method == "POST" and form.is_valid():
        edited, code = builder.section_add(
            definition,
            title=form.cleaned_data["title"].strip(),
            code=form.cleaned_data["code"],
            show_if=form.show_if(),
        )
        if _save(request, user, survey, edited, form):
            return redirect(f"{survey_url(survey)}#section-{code}")
    return _section_page(request, form, survey, "Nouvelle section")


def _existing_section(definition: dict, code: str) -> dict:
    try:
        return builder.find_section(definition, code)
    except KeyError:
        raise Http404(NOT_FOUND) from None


def _existing_question(definition: dict, code: str) -> dict:
    try:
        return builder.find_question(definition, code)
    except KeyError:
        raise Http404(NOT_FOUND) from None


@login_required
def section_edit(request: HttpRequest, pk: int, section: str) -> HttpResponse:
    user, survey, version = _survey(request, pk)
    definition = version.definition
    current = _existing_section(definition, section)
    form = SectionForm(
        request.POST or None,
        initial={
            "title": current["title"],
            "code": current["code"],
            **SectionForm.condition_initial(current.get("show_if")),
        },
    )
    if _code_locked(survey):
        form.fields["code"].disabled = True
        form.fields["code"].help_text = "Le code ne change plus : l'enquête a été ouverte."
    form.set_condition_targets(builder.questions_before(definition, section=section))
    if request.method == "POST" and form.is_valid():
        edited = builder.section_update(
            definition,
            section,
            title=form.cleaned_data["title"].strip(),
            code=form.cleaned_data["code"] or section,
            show_if=form.show_if(),
        )
        if _save(request, user, survey, edited, form):
            return redirect(f"{survey_url(survey)}#section-{form.cleaned_data['code'] or section}")
    return _section_page(request, form, survey, f"Section « {current['title']} »")


def _confirm_delete(
    request: HttpRequest, survey: Survey, *, title: str, consequence: str
) -> HttpResponse:
    return render(
        request,
        "surveys/builder_delete.html",
        {"survey": survey, "title": title, "consequence": consequence},
    )


@login_required
def section_delete(request: HttpRequest, pk: int, section: str) -> HttpResponse:
    """GET asks for confirmation; POST deletes the section and its questions."""
    user, survey, version = _survey(request, pk)
    current = _existing_section(version.definition, section)
    if request.method != "POST":
        count = len(current["questions"])
        return _confirm_delete(
            request,
            survey,
            title=f"Supprimer la section « {current['title']} »",
            consequence=f"La section et ses {count} question(s) seront retirées du questionnaire.",
        )
    _save_or_message(request, user, survey, builder.section_delete(version.definition, section))
    return redirect("surveys:detail", pk=survey.pk)


@login_required
@require_POST
def section_move(request: HttpRequest, pk: int, section: str, direction: str) -> HttpResponse:
    user, survey, version = _survey(request, pk)
    _existing_section(version.definition, section)
    offset = -1 if direction == "monter" else 1
    _save_or_message(
        request, user, survey, builder.section_move(version.definition, section, offset)
    )
    return redirect(f"{survey_url(survey)}#section-{section}")


def _question_page(
    request: HttpRequest, form: QuestionForm, survey: Survey, title: str
) -> HttpResponse:
    return render(
        request,
        "surveys/builder_question.html",
        {"form": form, "survey": survey, "title": title},
        status=400 if form.errors else 200,
    )


@login_required
def question_add(request: HttpRequest, pk: int, section: str) -> HttpResponse:
    user, survey, version = _survey(request, pk)
    definition = version.definition
    current = _existing_section(definition, section)
    initial = {"kind": request.GET.get("type", "single")}
    form = QuestionForm(request.POST or None, initial=initial)
    form.set_condition_targets(builder.questions_before(definition, through=section))
    if request.method == "POST" and form.is_valid():
        edited, code = builder.question_add(definition, section, form.question())
        if _save(request, user, survey, edited, form):
            return redirect(f"{survey_url(survey)}#question-{code}")
    return _question_page(request, form, survey, f"Nouvelle question — {current['title']}")


@login_required
def question_edit(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    user, survey, version = _survey(request, pk)
    definition = version.definition
    current = _existing_question(definition, code)
    form = QuestionForm(
        request.POST or None,
        initial=QuestionForm.initial_of(current),
        code_locked=_code_locked(survey),
    )
    form.set_condition_targets(builder.questions_before(definition, question=code))
    if request.method == "POST" and form.is_valid():
        edited = builder.question_replace(definition, code, form.question())
        if _save(request, user, survey, edited, form):
            return redirect(f"{survey_url(survey)}#question-{form.cleaned_data['code'] or code}")
    return _question_page(request, form, survey, f"Question « {code} »")


@login_required
def question_delete(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """GET asks for confirmation; POST deletes the question."""
    user, survey, version = _survey(request, pk)
    current = _existing_question(version.definition, code)
    if request.method != "POST":
        return _confirm_delete(
            request,
            survey,
            title=f"Supprimer la question « {code} »",
            consequence=f"« {current['label']} » sera retirée du questionnaire.",
        )
    _save_or_message(request, user, survey, builder.question_delete(version.definition, code))
    return redirect("surveys:detail", pk=survey.pk)


@login_required
@require_POST
def question_move(request: HttpRequest, pk: int, code: str, direction: str) -> HttpResponse:
    user, survey, version = _survey(request, pk)
    _existing_question(version.definition, code)
    offset = -1 if direction == "monter" else 1
    _save_or_message(request, user, survey, builder.question_move(version.definition, code, offset))
    return redirect(f"{survey_url(survey)}#question-{code}")


@login_required
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    _user, survey, version = _survey(request, pk)
    number = request.GET.get("version", "")
    if number.isdigit():
        version = get_object_or_404(SurveyVersion, survey=survey, number=int(number))
    return render(
        request,
        "surveys/preview.html",
        {
            "survey": survey,
            "version": version,
            "definition": version.definition,
            "outline": _outline(version.definition),
        },
    )


# --- The definition as JSON (for maintainers)


@login_required
def definition_download(request: HttpRequest, pk: int) -> HttpResponse:
    user, survey, version = _survey(request, pk)
    number = request.GET.get("version", "")
    if number.isdigit():
        version = get_object_or_404(SurveyVersion, survey=survey, number=int(number))
    audit_record(
        actor=user,
        action="survey.definition_download",
        target=survey,
        details={"version": version.number},
    )
    content = json.dumps(version.definition, ensure_ascii=False, indent=2) + "\n"
    response = HttpResponse(content, content_type="application/json; charset=utf-8")
    filename = f"{survey.code}-v{version.number}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def definition_upload(request: HttpRequest, pk: int) -> HttpResponse:
    user, survey, _version = _survey(request, pk)
    form = DefinitionUploadForm(request.POST or None, request.FILES or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _save(request, user, survey, form.cleaned_data["file"], form)
    ):
        return redirect("surveys:detail", pk=survey.pk)
    return render(
        request,
        "surveys/builder_upload.html",
        {"form": form, "survey": survey},
        status=400 if form.errors else 200,
    )
