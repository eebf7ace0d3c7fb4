"""The programme report page ("rapport/?structure=&du=&au="), with a CSV download.

Aggregates only (see `report.py`). A structure the user may not report on is
answered with a 404, the refusal audited, as for patient data.
"""

from datetime import date

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from oncolien.accounts.authorization import is_allowed
from oncolien.aftercare.forms import ReportForm
from oncolien.aftercare.report import (
    REPORT_PERMISSION,
    programme_report,
    protected_for,
    report_csv,
    reportable_services,
)
from oncolien.aftercare.report_display import shown_report
from oncolien.aftercare.services import labelled_services
from oncolien.aftercare.views_ars_file import ars_context
from oncolien.audit.services import audit_record
from oncolien.web.forms import form_field
from oncolien.web.http import authorized_or_404, deny


@login_required
def report(request):
    if not is_allowed(request.user, REPORT_PERMISSION):
        deny(request.user, REPORT_PERMISSION)
    services = reportable_services(request.user)
    today = timezone.localdate()
    ars = ars_context(today)
    if not services and "structure" not in request.GET:
        # A coordinator whose directory has no labelled structure yet: an empty page
        # that says so, not a refusal.
        return render(request, "aftercare/report.html", {"form": None, "report": None} | ars)
    # The choices shown are only the structures the user may open.
    shown = labelled_services().filter(pk__in=[s.pk for s in services])
    if "structure" not in request.GET:
        form = ReportForm(services=shown, initial={"du": date(today.year, 1, 1), "au": today})
        return render(request, "aftercare/report.html", {"form": form, "report": None} | ars)
    # Any labelled structure is looked up, so that one outside the user's reach is
    # refused (404, audited) rather than silently shown as "invalid choice".
    form = ReportForm(request.GET, services=labelled_services())
    valid = form.is_valid()
    form_field(form, "structure", forms.ModelChoiceField).queryset = shown
    if not valid:
        return render(
            request, "aftercare/report.html", {"form": form, "report": None} | ars, status=400
        )
    service = form.cleaned_data["structure"]
    authorized_or_404(request.user, REPORT_PERMISSION, service.organization)
    result = programme_report(
        service=service, start=form.cleaned_data["du"], end=form.cleaned_data["au"]
    )
    audit_record(
        actor=request.user,
        action="aftercare.report",
        target=service,
        details={"du": result.start, "au": result.end, "format": request.GET.get("format", "html")},
    )
    shown = shown_report(result, protected=protected_for(request.user))
    if request.GET.get("format") == "csv":
        response = HttpResponse(report_csv(shown), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="parcours-apres-cancer-{service.pk}-{result.start}-{result.end}.csv"'
        )
        return response
    return render(
        request, "aftercare/report.html", {"form": form, "report": result, "shown": shown} | ars
    )
