"""Pages of the visit reports. Thin: reads through `reports.visit_for` / `report_for`
(which go through `selectors.pathway_for`: 404 and an audited denial for anyone who
may not see the pathway), writes through `reports.report_create` / `report_send`."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST, require_safe

from oncolien.accounts.authorization import AccessDenied
from oncolien.pathways import reports, selectors
from oncolien.pathways.models import CareTeamMember, Pathway
from oncolien.web.forms import form_field
from oncolien.web.http import NOT_FOUND, user_of


class _MembersField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: CareTeamMember) -> str:
        email = obj.email or "pas d'adresse électronique"
        return f"{obj.name} — {obj.get_role_display()} ({email})"


class RecipientsForm(forms.Form):
    recipients = _MembersField(
        label="Destinataires",
        queryset=CareTeamMember.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choisissez au moins un destinataire dans l'équipe de soins."},
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
                actor=user_of(request), visit=visit, recipients=form.cleaned_data["recipients"]
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
    report = reports.report_for(user=user_of(request), pk=pk)
    return render(request, "pathways/report.html", {"content": reports.report_content(report)})


@require_safe
@login_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    report = reports.report_for(user=user_of(request), pk=pk, action="report.pdf")
    pdf = reports.render_report_pdf(reports.report_content(report))
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = content_disposition_header(False, reports.report_filename(report))
    assert disposition is not None  # None only without a filename
    response["Content-Disposition"] = disposition
    # Health data: never kept in a shared cache or the browser's disk cache.
    response["Cache-Control"] = "no-store, private"
    return response


@require_POST
@login_required
def report_send(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    report = reports.report_for(user=user, pk=pk, action="report.read")
    try:
        sending = reports.report_send(actor=user, report=report)
    except AccessDenied:
        raise Http404(NOT_FOUND) from None
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        count = len(sending.sent_to)
        if count == 1:
            messages.success(request, f"Compte-rendu envoyé à {sending.sent_to[0]}.")
        elif count > 1:
            names = ", ".join(sending.sent_to)
            messages.success(request, f"Compte-rendu envoyé à {count} destinataires : {names}.")
        if sending.failed:
            failed = ", ".join(sending.failed)
            messages.error(
                request,
                f"L'envoi du courriel a échoué pour : {failed}. Réessayez plus tard ou "
                "transmettez le compte-rendu autrement.",
            )
        if sending.skipped:
            skipped = ", ".join(sending.skipped)
            messages.warning(request, f"Sans adresse électronique, non envoyé à : {skipped}.")
    return redirect("pathways:report_detail", pk=pk)
