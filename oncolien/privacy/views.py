"""Pages of the patient's data rights: thin, they call the services.

Patient data: each page is for those the permission table allows (the
coordinators of the pathway's CPTS); anyone else gets a 404, the refusal audited.
Every page read is audited, as every action is.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from oncolien.accounts.authorization import is_allowed
from oncolien.audit.services import audit_record
from oncolien.pathways.models import Pathway
from oncolien.privacy import exports as export_module
from oncolien.privacy import services
from oncolien.privacy.access import (
    PATIENT_ERASE,
    PATIENT_EXPORT,
    PATIENT_RECTIFY,
    RETENTION_VIEW,
)
from oncolien.privacy.forms import AnonymisationForm, RectificationForm
from oncolien.privacy.models import DataExport
from oncolien.web.forms import show_errors
from oncolien.web.http import NOT_FOUND, authorized_or_404, user_of


def _pathway(request: HttpRequest, pk: int, permission: str) -> Pathway:
    pathway = get_object_or_404(Pathway.objects.select_related("patient", "cpts"), pk=pk)
    authorized_or_404(user_of(request), permission, pathway)
    return pathway


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store, private"
    return response


@require_safe
@login_required
def exports(request: HttpRequest, pk: int) -> HttpResponse:
    pathway = _pathway(request, pk, PATIENT_EXPORT)
    audit_record(actor=user_of(request), action="patient.exports", target=pathway)
    return _no_store(
        render(
            request,
            "privacy/exports.html",
            {"pathway": pathway, "exports": export_module.exports_of(pathway)},
        )
    )


@require_POST
@login_required
def export_request_view(request: HttpRequest, pk: int) -> HttpResponse:
    pathway = _pathway(request, pk, PATIENT_EXPORT)
    export_module.export_request(actor=user_of(request), pathway=pathway)
    messages.success(
        request,
        "L'export est en préparation : rechargez cette page dans quelques instants pour le télécharger.",
    )
    return redirect("privacy:exports", pk=pathway.pk)


DOWNLOADS = {"json": ("application/json", "json"), "pdf": ("application/pdf", "pdf")}


@require_safe
@login_required
def export_download(request: HttpRequest, pk: int, export_pk: int, kind: str) -> HttpResponse:
    pathway = _pathway(request, pk, PATIENT_EXPORT)
    if kind not in DOWNLOADS:
        raise Http404(NOT_FOUND)
    export = get_object_or_404(DataExport, pk=export_pk, pathway=pathway)
    # Delivered to the coordinator who asked for it: another coordinator asks their own.
    if export.requested_by_id != request.user.pk or not export.is_ready:
        messages.info(request, "Cet export n'est pas disponible : son état est indiqué ci-dessous.")
        return redirect("privacy:exports", pk=pathway.pk)
    content_type, extension = DOWNLOADS[kind]
    audit_record(
        actor=user_of(request),
        action="patient.export_download",
        target=pathway,
        details={"export": export.pk, "format": kind},
    )
    content = export.json_content if kind == "json" else export.pdf_content
    response = HttpResponse(bytes(content), content_type=content_type)
    filename = f"donnees-patient-parcours-{pathway.pk}-{export.pk}.{extension}"
    disposition = content_disposition_header(True, filename)
    assert disposition is not None
    response["Content-Disposition"] = disposition
    return _no_store(response)


@require_http_methods(["GET", "POST"])
@login_required
def rectify(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    pathway = _pathway(request, pk, PATIENT_RECTIFY)
    patient = pathway.patient
    if request.method == "POST":
        form = RectificationForm(request.POST)
        if form.is_valid():
            try:
                services.identity_rectify(
                    actor=user,
                    pathway=pathway,
                    values=form.identity(),
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(request, "L'identité du patient a été rectifiée.")
                return redirect("pathways:pathway_detail", pk=pathway.pk)
        status = 400
    else:
        audit_record(actor=user, action="patient.rectify_form", target=pathway)
        form = RectificationForm(
            initial={name: getattr(patient, name) for name in RectificationForm.IDENTITY}
        )
        status = 200
    return _no_store(
        render(request, "privacy/rectify.html", {"pathway": pathway, "form": form}, status=status)
    )


@require_http_methods(["GET", "POST"])
@login_required
def anonymise(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    pathway = _pathway(request, pk, PATIENT_ERASE)
    if request.method == "POST":
        form = AnonymisationForm(request.POST)
        if form.is_valid():
            try:
                services.patient_anonymise(
                    actor=user,
                    pathway=pathway,
                    reason=form.cleaned_data["reason"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(request, "Les données du patient ont été anonymisées.")
                return redirect("pathways:pathway_detail", pk=pathway.pk)
        status = 400
    else:
        audit_record(actor=user, action="patient.anonymise_form", target=pathway)
        form = AnonymisationForm()
        status = 200
    return _no_store(
        render(
            request,
            "privacy/anonymise.html",
            {
                "pathway": pathway,
                "form": form,
                "anonymised": services.is_anonymised(pathway),
            },
            status=status,
        )
    )


@require_safe
@login_required
def retention(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    authorized_or_404(user, RETENTION_VIEW)
    audit_record(actor=user, action="privacy.retention_runs", target=None)
    from django.conf import settings

    return render(
        request,
        "privacy/retention.html",
        {
            "runs": services.retention_runs(),
            "years": settings.ONCOLIEN_RETENTION_YEARS,
            "is_admin": is_allowed(user, "audit.view"),
        },
    )
