"""Pages where the regional team codes free-text answers into themes: the list of
questions with free text, then one question's answers, one by one with checkboxes.
Free text is shown to the regional team only (404 for anyone else, audited)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from oncolien.accounts.authorization import is_allowed
from oncolien.audit.services import audit_record
from oncolien.surveys import coding
from oncolien.surveys.access import SURVEYS_MANAGE
from oncolien.surveys.analysis import survey_data
from oncolien.surveys.models import Survey
from oncolien.web.http import NOT_FOUND, deny, user_of

PER_PAGE = 20


def _survey(request: HttpRequest, pk: int) -> Survey:
    user = user_of(request)
    if not is_allowed(user, SURVEYS_MANAGE):
        deny(user, SURVEYS_MANAGE)
    return get_object_or_404(Survey, pk=pk)


@login_required
def coding_list(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    data = survey_data(survey)
    rows = [
        (codable, coding.theme_counts(survey, codable, data.respondents))
        for codable in coding.codables(data)
    ]
    audit_record(actor=user_of(request), action="surveys.free_text_list", target=survey)
    return render(request, "surveys/analysis_coding.html", {"survey": survey, "rows": rows})


def _chosen(request: HttpRequest) -> dict[int, set[int]]:
    chosen: dict[int, set[int]] = {}
    try:
        for raw in request.POST.getlist("reponse"):
            response_id = int(raw)
            chosen[response_id] = {int(t) for t in request.POST.getlist(f"theme-{response_id}")}
    except ValueError:
        raise ValidationError("Réponse ou thème invalide.") from None
    return chosen


@login_required
def coding_question(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    survey = _survey(request, pk)
    user = user_of(request)
    data = survey_data(survey)
    codable = coding.codable(data, key)
    if codable is None:
        raise Http404(NOT_FOUND)
    errors: list[str] = []
    if request.method == "POST":
        try:
            if request.POST.get("action") == "theme":
                theme = coding.theme_create(
                    survey=survey, key=key, label=request.POST.get("theme", ""), author=user
                )
                messages.success(request, f"Thème « {theme.label} » ajouté.")
            else:
                count = coding.answers_code(
                    survey=survey, key=key, chosen=_chosen(request), author=user
                )
                messages.success(request, f"Codage enregistré pour {count} réponse(s).")
            return redirect(request.get_full_path())
        except ValidationError as error:
            errors = list(error.messages)
    answers = coding.answers_to_code(codable, data.respondents)
    page = Paginator(answers, PER_PAGE).get_page(request.GET.get("page"))
    coded = coding.codings_of(survey, key)
    items = [(r, text, coded.get(r.id, set()), r.id in coded) for r, text in page]
    audit_record(
        actor=user,
        action="surveys.free_text_read",
        target=survey,
        details={"question": key, "page": page.number},
    )
    context = {
        "survey": survey,
        "codable": codable,
        "themes": coding.themes_of(survey, key),
        "counts": coding.theme_counts(survey, codable, data.respondents),
        "page": page,
        "items": items,
        "errors": errors,
    }
    response = render(
        request, "surveys/analysis_coding_question.html", context, status=400 if errors else 200
    )
    response["Cache-Control"] = "private, no-store"
    return response
