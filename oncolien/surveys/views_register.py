"""Pages of the register of the region's CPTS (regional staff): the registers, one
register's CPTS, the import with its row-by-row verdicts, and the template file.
Anyone else gets 404, as for a page that does not exist."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from oncolien.surveys.access import SURVEYS_MANAGE
from oncolien.surveys.departments import department_label
from oncolien.surveys.forms_register import RegisterImportForm
from oncolien.surveys.models import CptsRegister, PopulationSource
from oncolien.surveys.register_import import COLUMNS, register_import, template_rows
from oncolien.surveys.register_sizes import SIZE_LABELS, maturity_years, population_text
from oncolien.surveys.representativeness import register_distribution
from oncolien.tables import csv_bytes, xlsx_bytes
from oncolien.web.http import authorized_or_404, user_of

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def register_list(request: HttpRequest) -> HttpResponse:
    authorized_or_404(request.user, SURVEYS_MANAGE)
    registers = CptsRegister.objects.annotate(
        entry_count=Count("entries"),
        declared_count=Count("entries", filter=Q(entries__population_source="declared")),
    )
    return render(request, "surveys/registers.html", {"registers": registers})


@login_required
def register_detail(request: HttpRequest, pk: int) -> HttpResponse:
    authorized_or_404(request.user, SURVEYS_MANAGE)
    register = get_object_or_404(CptsRegister, pk=pk)
    today = timezone.localdate()
    entries = [
        {
            "entry": entry,
            "department": department_label(entry.department),
            "maturity": maturity_years(entry.aci_signed_on, on=today),
            "declared": entry.population_source == PopulationSource.DECLARED,
            "population": population_text(entry.population),
            "size": SIZE_LABELS.get(entry.size_class or 0, "Non renseignée"),
        }
        for entry in register.entries.select_related("cpts").order_by("department", "name")
    ]
    by_size, by_department = register_distribution(register)
    return render(
        request,
        "surveys/register_detail.html",
        {
            "register": register,
            "entries": entries,
            "today": today,
            "by_size": by_size,
            "by_department": by_department,
        },
    )


@login_required
def register_import_page(request: HttpRequest) -> HttpResponse:
    authorized_or_404(request.user, SURVEYS_MANAGE)
    check = None
    if request.method == "POST":
        form = RegisterImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["fichier"]
            register, check = register_import(
                user=user_of(request),
                data=upload.read(),
                filename=upload.name,
                title=form.cleaned_data["title"],
                region=form.cleaned_data["region"],
            )
            if register is not None:
                messages.success(
                    request,
                    f"Registre « {register.title} » créé : {len(check.rows)} CPTS importées.",
                )
                return redirect("surveys:register_detail", pk=register.pk)
    else:
        form = RegisterImportForm()
    return render(
        request,
        "surveys/register_import.html",
        {"form": form, "check": check, "columns": COLUMNS},
    )


@login_required
def register_template(request: HttpRequest, extension: str) -> HttpResponse:
    """The template file of the import: its columns and two example rows."""
    authorized_or_404(request.user, SURVEYS_MANAGE)
    if extension not in ("csv", "xlsx"):
        raise Http404
    if extension == "xlsx":
        response = HttpResponse(xlsx_bytes([("Registre", template_rows())]), content_type=XLSX_TYPE)
    else:
        response = HttpResponse(csv_bytes(template_rows()), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="modele-registre-cpts.{extension}"'
    return response
