"""Result pages of a survey: the regional team's (exact, filters in the query string,
a cross-tab, exports, the PDF report) and the shared one for CPTS coordinators
(protected, only when the survey shares its results). Refusals are 404, audited."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from oncolien.accounts.authorization import is_allowed
from oncolien.audit.services import audit_record
from oncolien.disclosure import RULE
from oncolien.surveys import filters as survey_filters
from oncolien.surveys.access import SURVEYS_MANAGE, SURVEYS_SHARED_RESULTS
from oncolien.surveys.analysis import SurveyData, survey_data
from oncolien.surveys.crosstabs import (
    CROSSABLE,
    InvalidCrosstab,
    crosstab,
    crosstab_table,
    dimension_choices,
)
from oncolien.surveys.models import Response, Survey, SurveyReportPdf
from oncolien.surveys.report_queue import report_request
from oncolien.surveys.representativeness import representativeness
from oncolien.surveys.results import results
from oncolien.surveys.survey_exports import (
    CSV,
    XLSX,
    as_csv,
    as_xlsx,
    crosstab_rows,
    response_rows,
    summary_rows,
)
from oncolien.web.http import deny, user_of

FORMATS = ("csv", "xlsx")


def _survey_for(request: HttpRequest, pk: int, permission: str) -> Survey:
    user = user_of(request)
    if not is_allowed(user, permission):
        deny(user, permission)
    return get_object_or_404(Survey, pk=pk)


def _filters(data: SurveyData, raw: list[str]) -> tuple[survey_filters.Filters, list[str]]:
    try:
        return survey_filters.parse(data, raw), []
    except survey_filters.InvalidFilter as error:
        return survey_filters.Filters(), [str(error)]


def _query(chosen: survey_filters.Filters) -> str:
    parameters = chosen.parameters
    return "&" + urlencode(parameters) if parameters else ""


@login_required
def shared_index(request: HttpRequest) -> HttpResponse:
    """The surveys whose results the regional team shares with the CPTS."""
    user = user_of(request)
    if not is_allowed(user, SURVEYS_SHARED_RESULTS):
        deny(user, SURVEYS_SHARED_RESULTS)
    surveys = Survey.objects.filter(results_shared=True).order_by("-opens_on", "title")
    return render(request, "surveys/shared_index.html", {"surveys": surveys})


@login_required
def analysis(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey_for(request, pk, SURVEYS_MANAGE)
    data = survey_data(survey)
    chosen, errors = _filters(data, request.GET.getlist(survey_filters.PARAMETER))
    shown = results(data, chosen)
    crossable = [(q.code, q.label) for q in data.questions if q.kind in CROSSABLE]
    cross_question = request.GET.get("croiser", "")
    cross_dimension = request.GET.get("par", "taille")
    cross_table, cross_error = None, ""
    if cross_question:
        try:
            tab = crosstab(data, shown.respondents, cross_question, cross_dimension)
            cross_table = crosstab_table(tab)
        except InvalidCrosstab as error:
            cross_error = str(error)
    # The respondents' CPTS against the register: of those the filters keep.
    kept = Response.objects.filter(pk__in=[r.id for r in shown.respondents]) if chosen else None
    audit_record(
        actor=user_of(request),
        action="surveys.analysis",
        target=survey,
        details={"filtres": chosen.as_options(), "croisement": cross_question},
    )
    context = {
        "survey": survey,
        "results": shown,
        "errors": errors,
        "filter_choices": survey_filters.choices(data),
        "chosen_filters": {value for _, value in chosen.parameters},
        "filter_parameters": chosen.parameters,
        "query": _query(chosen),
        "crossable": crossable,
        "dimensions": dimension_choices(data),
        "cross_question": cross_question,
        "cross_dimension": cross_dimension,
        "cross_table": cross_table,
        "cross_error": cross_error,
        "representativeness": representativeness(survey, responses=kept),
    }
    return render(request, "surveys/analysis.html", context, status=400 if errors else 200)


@login_required
def shared_results(request: HttpRequest, pk: int) -> HttpResponse:
    """Shared beyond the regional team: protected figures, no free text, no filter."""
    user = user_of(request)
    survey = _survey_for(request, pk, SURVEYS_SHARED_RESULTS)
    if not survey.results_shared:
        deny(user, SURVEYS_SHARED_RESULTS)
    data = survey_data(survey)
    shown = results(data, survey_filters.Filters(), protected=True)
    # No cross-tab in shared results: its margins are counts of the question tables
    # (the answers, the CPTS of each size), protected apart they could be subtracted;
    # the regional team reads cross-tabs exactly.
    audit_record(actor=user, action="surveys.shared_results", target=survey)
    return render(
        request,
        "surveys/analysis_shared.html",
        {"survey": survey, "results": shown, "rule": RULE},
    )


def _download(content: bytes, kind: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX if kind == "xlsx" else CSV)
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _export_setup(request: HttpRequest, pk: int):
    survey = _survey_for(request, pk, SURVEYS_MANAGE)
    data = survey_data(survey)
    kind = request.GET.get("format", "")
    chosen, errors = _filters(data, request.GET.getlist(survey_filters.PARAMETER))
    if kind not in FORMATS:
        errors.append("Choisissez le format du fichier : CSV ou XLSX.")
    return survey, data, kind, chosen, errors


def _refused(errors: list[str]) -> HttpResponse:
    return HttpResponse(" ".join(errors), status=400, content_type="text/plain; charset=utf-8")


@login_required
def export_responses(request: HttpRequest, pk: int) -> HttpResponse:
    survey, data, kind, chosen, errors = _export_setup(request, pk)
    if errors:
        return _refused(errors)
    kept = chosen.apply(data.respondents)
    rows = response_rows(data, kept)
    audit_record(
        actor=user_of(request),
        action="surveys.export_responses",
        target=survey,
        details={"format": kind, "reponses": len(kept), "filtres": chosen.as_options()},
    )
    statement = [chosen.statement(len(kept), len(data.respondents))]
    if kind == "csv":
        return _download(as_csv(rows), kind, f"enquete-{survey.code}-reponses")
    sheets = [("Réponses", rows), ("Filtres", [statement])]
    return _download(as_xlsx(sheets), kind, f"enquete-{survey.code}-reponses")


@login_required
def export_tables(request: HttpRequest, pk: int) -> HttpResponse:
    survey, data, kind, chosen, errors = _export_setup(request, pk)
    if errors:
        return _refused(errors)
    kept = chosen.apply(data.respondents)
    rows = summary_rows(data, kept, chosen)
    audit_record(
        actor=user_of(request),
        action="surveys.export_tables",
        target=survey,
        details={"format": kind, "filtres": chosen.as_options()},
    )
    if kind == "csv":
        return _download(as_csv(rows), kind, f"enquete-{survey.code}-tableaux")
    return _download(as_xlsx([("Tableaux", rows)]), kind, f"enquete-{survey.code}-tableaux")


@login_required
def export_crosstab(request: HttpRequest, pk: int) -> HttpResponse:
    survey, data, kind, chosen, errors = _export_setup(request, pk)
    kept = chosen.apply(data.respondents)
    tab = None
    try:
        tab = crosstab(data, kept, request.GET.get("croiser", ""), request.GET.get("par", ""))
    except InvalidCrosstab as error:
        errors.append(str(error))
    if errors or tab is None:
        return _refused(errors)
    rows = crosstab_rows(tab, chosen, len(kept), len(data.respondents))
    audit_record(
        actor=user_of(request),
        action="surveys.export_crosstab",
        target=survey,
        details={"format": kind, "question": tab.question.code, "par": tab.dimension.code},
    )
    name = f"enquete-{survey.code}-croisement-{tab.question.code}"
    if kind == "csv":
        return _download(as_csv(rows), kind, name)
    return _download(as_xlsx([("Croisement", rows)]), kind, name)


@login_required
@require_POST
def report_ask(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    protected = request.POST.get("partage") == "1"
    survey = _survey_for(request, pk, SURVEYS_SHARED_RESULTS if protected else SURVEYS_MANAGE)
    if protected and not survey.results_shared:
        deny(user, SURVEYS_SHARED_RESULTS)
    data = survey_data(survey)
    chosen, errors = _filters(data, request.POST.getlist(survey_filters.PARAMETER))
    if errors:
        return _refused(errors)
    pdf = report_request(user, survey, chosen, protected=protected)
    audit_record(
        actor=user,
        action="surveys.report_request",
        target=pdf,
        details={"filtres": chosen.as_options(), "protege": protected},
    )
    return redirect("surveys:report_download", pk=pdf.pk)


@login_required
def report_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The report once laid out, to the user who asked only (404 for anyone else)."""
    user = user_of(request)
    pdf = (
        SurveyReportPdf.objects.select_related("survey")
        .filter(pk=pk, requested_by=user)
        .defer("content")
        .first()
    )
    permission = (
        SURVEYS_SHARED_RESULTS
        if pdf is not None and pdf.options.get("protected")
        else SURVEYS_MANAGE
    )
    if pdf is None or not is_allowed(user, permission):
        deny(user, permission)
    if pdf.options.get("protected") and not pdf.survey.results_shared:
        deny(user, permission)  # no longer shared: neither is its report
    audit_record(
        actor=user, action="surveys.report_download", target=pdf, details={"pret": pdf.is_ready}
    )
    if not pdf.is_ready:
        response = render(request, "surveys/analysis_report_preparing.html", {"pdf": pdf})
        response["Cache-Control"] = "no-store"
        return response
    content = SurveyReportPdf.objects.values_list("content", flat=True).get(pk=pdf.pk)
    response = HttpResponse(bytes(content), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="enquete-{pdf.survey.code}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
