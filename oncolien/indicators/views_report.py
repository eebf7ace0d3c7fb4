"""The activity report of a CPTS (PDF): asked for from the dashboard, prepared by the
task queue, listed with its true state, downloaded once ready.

Same permission as the dashboard (`indicators.view` on the CPTS): anyone else gets
a 404, the refusal audited. No PDF is ever laid out in a request (report.py).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST, require_safe

from oncolien.audit.services import audit_record
from oncolien.territories.models import Cpts
from oncolien.web.http import authorized_or_404, user_of

from .access import INDICATORS_VIEW
from .forms import PeriodForm
from .models import ActivityReport
from .report import period_label, report_request, reports_of


def _cpts_for(request: HttpRequest, slug: str) -> Cpts:
    cpts = get_object_or_404(Cpts, slug=slug)
    authorized_or_404(user_of(request), INDICATORS_VIEW, cpts)
    return cpts


def _reports_page(request: HttpRequest, cpts: Cpts, *, form=None, status: int = 200):
    listed = [(report, period_label(report)) for report in reports_of(cpts)]
    response = render(
        request,
        "indicators/reports.html",
        {"cpts": cpts, "reports": listed, "form": form},
        status=status,
    )
    # Its state changes as the queue works: never served from a cache.
    response["Cache-Control"] = "no-store, private"
    return response


@require_safe
@login_required
def reports(request: HttpRequest, slug: str) -> HttpResponse:
    cpts = _cpts_for(request, slug)
    audit_record(actor=user_of(request), action="indicators.reports", target=cpts)
    return _reports_page(request, cpts)


@require_POST
@login_required
def report_request_view(request: HttpRequest, slug: str) -> HttpResponse:
    user = user_of(request)
    cpts = _cpts_for(request, slug)
    form = PeriodForm(request.POST)
    period = form.cleaned_data.get("period") if form.is_valid() else None
    if period is None:
        if form.is_valid():
            form.add_error(None, "Choisissez la période du rapport.")
        # Nothing asked for: the list, with the reason.
        return _reports_page(request, cpts, form=form, status=400)
    report, queued = report_request(cpts=cpts, period=period, actor=user)
    audit_record(
        actor=user,
        action="indicators.report_request",
        target=cpts,
        details={"period": period.code, "report": report.pk, "queued": queued},
    )
    if queued:
        messages.success(request, f"Le rapport d'activité ({period.label}) est en préparation.")
    else:
        messages.info(
            request,
            f"Le rapport d'activité ({period.label}) était déjà en préparation : "
            "il n'est préparé qu'une fois.",
        )
    return redirect("indicators:reports", slug=cpts.slug)


@require_safe
@login_required
def report_download(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    user = user_of(request)
    cpts = _cpts_for(request, slug)
    report = get_object_or_404(ActivityReport, pk=pk, cpts=cpts)
    if not report.is_ready or not report.content:
        messages.info(request, "Ce rapport n'est pas prêt : son état est indiqué ci-dessous.")
        return redirect("indicators:reports", slug=cpts.slug)
    audit_record(
        actor=user,
        action="indicators.report_download",
        target=cpts,
        details={"period": report.period_code, "report": report.pk},
    )
    response = HttpResponse(bytes(report.content), content_type="application/pdf")
    disposition = content_disposition_header(True, report.filename)
    assert disposition is not None  # None only without a filename
    response["Content-Disposition"] = disposition
    # Exact small counts: never kept in a shared cache or the browser's disk cache.
    response["Cache-Control"] = "no-store, private"
    return response
