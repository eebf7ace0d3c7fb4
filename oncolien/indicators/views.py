"""The indicators pages: a CPTS's dashboard for a period, with its CSV/XLSX export.

A CPTS's figures are shown to its coordination team only (`indicators.view`);
anyone else gets a 404, the refusal audited, as for patient data.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from oncolien.accounts.authorization import is_allowed, visible
from oncolien.audit.services import audit_record
from oncolien.tables import csv_bytes, xlsx_bytes
from oncolien.territories.models import Cpts
from oncolien.web.http import authorized_or_404, deny, user_of

from .access import INDICATORS_REGIONAL, INDICATORS_VIEW
from .dashboard import (
    breakdown_export_rows,
    dashboard_for,
    default_period,
    export_filename,
    export_rows,
)
from .forms import PeriodForm
from .gaps import offer_gaps
from .periods import Period
from .regional import regional_table

EXPORTS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@login_required
def choose_cpts(request):
    """The CPTS whose indicators the user may see (the home page links to one's own)."""
    user = user_of(request)
    reachable = list(visible(user, INDICATORS_VIEW, Cpts.objects.order_by("name")))
    if not reachable:
        deny(user, INDICATORS_VIEW)
    return render(request, "indicators/choose.html", {"cpts_list": reachable})


@login_required
def dashboard(request, slug: str):
    user = user_of(request)
    cpts = get_object_or_404(Cpts, slug=slug)
    authorized_or_404(user, INDICATORS_VIEW, cpts)
    wanted = request.GET.get("format", "")
    if wanted and wanted not in EXPORTS:
        form = PeriodForm(request.GET)
        form.is_valid()
        form.add_error(None, "Format d'export inconnu : choisissez CSV ou XLSX.")
        return render(
            request, "indicators/dashboard.html", {"cpts": cpts, "form": form}, status=400
        )
    form, period = _period_of(request)
    if period is None:
        return render(
            request, "indicators/dashboard.html", {"cpts": cpts, "form": form}, status=400
        )
    board = dashboard_for(cpts, period)
    audit_record(
        actor=user,
        action="indicators.view",
        target=cpts,
        details={"period": period.code, "format": wanted or "html"},
    )
    if wanted:
        rows, breakdown_rows = export_rows(board), breakdown_export_rows(board)
        # The CSV holds one file: the indicators' table, an empty line, then the
        # breakdowns' long table; the XLSX puts each table on its own sheet.
        content = (
            csv_bytes([*rows, [], *breakdown_rows])
            if wanted == "csv"
            else xlsx_bytes([("Indicateurs", rows), ("Répartitions", breakdown_rows)])
        )
        response = HttpResponse(content, content_type=EXPORTS[wanted])
        response["Content-Disposition"] = f'attachment; filename="{export_filename(board, wanted)}"'
        return response
    return render(
        request,
        "indicators/dashboard.html",
        {"cpts": cpts, "form": form, "board": board, "export_query": _export_query(board)},
    )


def _period_of(request) -> tuple[PeriodForm, Period | None]:
    """The period asked for (the current month when none is), or None with the
    form's French errors."""
    if not request.GET.get("periode") and not request.GET.get("du") and not request.GET.get("au"):
        period = default_period()
        return PeriodForm(initial={"periode": period.code}), period
    form = PeriodForm(request.GET)
    if not form.is_valid():
        return form, None
    return form, form.cleaned_data["period"] or default_period()


def _export_query(board) -> str:
    period = board.period
    if ".." in period.code:
        return f"du={period.first_day.isoformat()}&au={period.last_day.isoformat()}"
    return f"periode={period.code}"


@login_required
def regional(request):
    """Every CPTS's counts for a period, small counts protected (regional staff)."""
    user = user_of(request)
    if not is_allowed(user, INDICATORS_REGIONAL):
        deny(user, INDICATORS_REGIONAL)
    form, period = _period_of(request)
    if period is None:
        return render(request, "indicators/regional.html", {"form": form}, status=400)
    audit_record(actor=user, action="indicators.regional", details={"period": period.code})
    return render(
        request, "indicators/regional.html", {"form": form, "table": regional_table(period)}
    )


@login_required
def coverage(request, slug: str):
    """The communes of the CPTS far from each kind of supportive care (the offer's gaps)."""
    user = user_of(request)
    cpts = get_object_or_404(Cpts, slug=slug)
    authorized_or_404(user, INDICATORS_VIEW, cpts)
    audit_record(actor=user, action="indicators.coverage", target=cpts)
    return render(request, "indicators/coverage.html", {"report": offer_gaps(cpts)})
