"""The indicators pages: a CPTS's dashboard for a period, with its CSV/XLSX export.

A CPTS's figures are shown to its coordination team only (`indicators.view`);
anyone else gets a 404, the refusal audited, as for patient data.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from oncolien.accounts.authorization import visible
from oncolien.audit.services import audit_record
from oncolien.tables import csv_bytes, xlsx_bytes
from oncolien.territories.models import Cpts
from oncolien.web.http import authorized_or_404, deny, user_of

from .access import INDICATORS_VIEW
from .dashboard import dashboard_for, default_period, export_filename, export_rows
from .forms import PeriodForm

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
    form = PeriodForm(request.GET or None)
    wanted = request.GET.get("format", "")
    if wanted and wanted not in EXPORTS:
        form = PeriodForm(request.GET)
        form.is_valid()
        form.add_error(None, "Format d'export inconnu : choisissez CSV ou XLSX.")
        return render(
            request, "indicators/dashboard.html", {"cpts": cpts, "form": form}, status=400
        )
    if request.GET and not form.is_valid():
        return render(
            request, "indicators/dashboard.html", {"cpts": cpts, "form": form}, status=400
        )
    period = (form.cleaned_data.get("period") if request.GET else None) or default_period()
    if not request.GET:
        form = PeriodForm(initial={"periode": period.code})
    board = dashboard_for(cpts, period)
    audit_record(
        actor=user,
        action="indicators.view",
        target=cpts,
        details={"period": period.code, "format": wanted or "html"},
    )
    if wanted:
        rows = export_rows(board)
        content = csv_bytes(rows) if wanted == "csv" else xlsx_bytes([("Indicateurs", rows)])
        response = HttpResponse(content, content_type=EXPORTS[wanted])
        response["Content-Disposition"] = f'attachment; filename="{export_filename(board, wanted)}"'
        return response
    return render(
        request,
        "indicators/dashboard.html",
        {"cpts": cpts, "form": form, "board": board, "export_query": _export_query(board)},
    )


def _export_query(board) -> str:
    period = board.period
    if ".." in period.code:
        return f"du={period.first_day.isoformat()}&au={period.last_day.isoformat()}"
    return f"periode={period.code}"
