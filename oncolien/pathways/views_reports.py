"""Pages of the visit reports. Thin: reads through `reports.visit_for` / `report_for`
(which go through `selectors.pathway_for`: 404 and an audited denial for anyone who
may not see the pathway), writes through `reports.report_create` / `report_send`."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST, require_safe

from oncolien.accounts.authorization import AccessDenied
from oncolien.pathways import reports, selectors
from oncolien.pathways.models import CareTeamMember, Pathway
from oncolien.web.forms import form_field
from oncolien.web.http import NOT_FOUND, user_of


class _MembersField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: CareTeamMember) -> str:
        # Say how the report would reach them, so that no one is chosen in vain.
        if obj.mssante_address:
            how = f"MSSanté : {obj.mssante_address}"
        elif obj.user_id is not None:
            how = "compte OncoLien"
        else:
            how = "ni MSSanté ni compte OncoLien"
        return f"{obj.name} — {obj.get_role_display()} ({how})"


class RecipientsForm(forms.Form):
    recipients = _MembersField(
        label="Destinataires",
        queryset=CareTeamMember.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choisissez au moins un destinataire dans l'équipe de soins."},
    )
    conclusion = forms.CharField(
        label="Conclusion",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Votre synthèse de la visite et ce que vous proposez à l'équipe de soins.",
    )

    def __init__(self, *args, pathway: Pathway, **kwargs):
        super().__init__(*args, **kwargs)
        form_field(self, "recipients", _MembersField).queryset = reports.recipient_choices(pathway)


@login_required
def report_create(request: HttpRequest, visit_pk: int) -> HttpResponse:
    visit = reports.visit_for(user=user_of(request), visit_pk=visit_pk)
    data = request.POST if request.method == "POST" else None
    form = RecipientsForm(data, pathway=visit.pathway)
    if request.method == "POST" and form.is_valid():
        try:
            report = reports.report_create(
                actor=user_of(request),
                visit=visit,
                recipients=form.cleaned_data["recipients"],
                conclusion=form.cleaned_data["conclusion"],
            )
        except AccessDenied:
            raise Http404(NOT_FOUND) from None
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, "Le compte-rendu a été créé.")
            return redirect("pathways:report_detail", pk=report.pk)
    return render(
        request,
        "pathways/report_create.html",
        {
            "visit": visit,
            "form": form,
            "existing": reports.reports_of_visit(visit),
            "sharing_allowed": selectors.sharing_allowed(visit.pathway),
        },
    )


@require_safe
@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    report = reports.report_for(user=user, pk=pk)
    content = reports.report_content(report)
    # The PDF is laid out by the task queue: the page links to the kept file, or says
    # it is being prepared (and asks for it).
    pdf = reports.report_pdf_state(report, content, actor=user)
    preparing = any(d.outcome == reports.PREPARING for d in content.dispatches)
    response = render(
        request,
        "pathways/report.html",
        {"content": content, "pdf": pdf, "preparing_dispatch": preparing},
    )
    response["Cache-Control"] = "no-store, private"
    return response


def _edition_text(moment) -> str:
    return date_format(timezone.localtime(moment), "j F Y à H:i") if moment else ""


@require_safe
@login_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    report = reports.report_for(user=user, pk=pk, action="report.pdf")
    kept = reports.report_pdf_file(report)
    if kept is None:
        # Never laid out in the request: a render is queued and the page says so.
        content = reports.report_content(report)
        pdf = reports.report_pdf_state(report, content, actor=user)
        response = render(
            request, "pathways/report_pdf_preparing.html", {"content": content, "pdf": pdf}
        )
        response["Cache-Control"] = "no-store, private"
        response["Retry-After"] = "5"
        return response
    data, _edited_at = kept
    response = HttpResponse(data, content_type="application/pdf")
    disposition = content_disposition_header(False, reports.report_filename(report))
    assert disposition is not None  # None only without a filename
    response["Content-Disposition"] = disposition
    # Health data: never kept in a shared cache or the browser's disk cache.
    response["Cache-Control"] = "no-store, private"
    return response


@require_safe
@login_required
def report_pdf_status(request: HttpRequest, pk: int) -> JsonResponse:
    """Whether the PDF is ready, read every few seconds by the report page."""
    report = reports.report_for(user=user_of(request), pk=pk, action="report.pdf_status")
    kept = reports.report_pdf_file(report)
    response = JsonResponse(
        {
            "ready": kept is not None,
            "edited_at": _edition_text(kept[1]) if kept is not None else "",
        }
    )
    response["Cache-Control"] = "no-store, private"
    return response


@require_POST
@login_required
def report_send(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    report = reports.report_for(user=user, pk=pk, action="report.read")
    report_url = request.build_absolute_uri(reverse("pathways:report_detail", args=[pk]))
    try:
        dispatches = reports.report_send(actor=user, report=report, report_url=report_url)
    except AccessDenied:
        raise Http404(NOT_FOUND) from None
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        # One line per recipient, saying exactly what was done; "envoyé" only for a
        # message recorded as having left.
        for dispatch in dispatches:
            line = f"{dispatch.name} : {dispatch.text}."
            if dispatch.left:
                messages.success(request, line)
            elif dispatch.outcome in ("pending", reports.PREPARING):
                messages.info(request, line)
            else:
                messages.warning(request, line)
    return redirect("pathways:report_detail", pk=pk)
