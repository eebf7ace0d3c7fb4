"""Import of responses collected elsewhere (regional staff): upload, row verdicts,
all or nothing."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from oncolien.surveys.access import SURVEYS_MANAGE
from oncolien.surveys.forms_import import ResponseImportForm
from oncolien.surveys.models import Survey
from oncolien.surveys.response_import import responses_import
from oncolien.web.http import authorized_or_404, denied_as_404, user_of


@login_required
def response_import(request: HttpRequest, pk: int) -> HttpResponse:
    authorized_or_404(request.user, SURVEYS_MANAGE)
    survey = get_object_or_404(Survey, pk=pk)
    form = ResponseImportForm(request.POST or None, request.FILES or None)
    report = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            with denied_as_404():
                report = responses_import(
                    actor=user_of(request), survey=survey, data=upload.read(), filename=upload.name
                )
            status = 200 if report.ok else 400
        else:
            status = 400
    return render(
        request,
        "surveys/import_responses.html",
        {
            "survey": survey,
            "form": form,
            "report": report,
            "imports": survey.imports.order_by("-imported_at")[:10],
        },
        status=status,
    )
