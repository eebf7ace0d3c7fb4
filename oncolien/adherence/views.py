"""The follow-up pages of a pathway: create or change the plan, record a contact.

Thin: the pathway comes from `selectors.pathway_with_plan_for` (404 for anyone who may
not see it, audited as a read of the plan), writes go through `services`, whose
refusals become 404 and whose French errors go back on the form (400).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from oncolien.adherence import selectors, services
from oncolien.adherence.access import ADHERENCE_PLAN_EDIT
from oncolien.adherence.forms import ContactForm, PlanForm
from oncolien.web.forms import show_errors
from oncolien.web.http import NOT_FOUND, authorized_or_404, denied_as_404, user_of


def _pathway_url(pathway) -> str:
    return reverse("pathways:pathway_detail", kwargs={"pk": pathway.pk}) + "#observance"


@login_required
def plan_edit(request, pk: int):
    user = user_of(request)
    pathway = selectors.pathway_with_plan_for(user=user, pk=pk)
    # Refused (and audited) as a page that does not exist, before the form is shown.
    authorized_or_404(user, ADHERENCE_PLAN_EDIT, pathway)
    plan = selectors.plan_of(pathway)
    status = 200
    if request.method == "POST":
        form = PlanForm(request.POST, pathway=pathway)
        if form.is_valid():
            try:
                with denied_as_404():
                    services.plan_save(actor=user, pathway=pathway, values=form.values())
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(
                    request,
                    "Plan de suivi de l'hormonothérapie enregistré : les contacts sont planifiés.",
                )
                return redirect(_pathway_url(pathway))
        status = 400
    else:
        initial: dict[str, object] = {
            "duration_years": 5,
            "interval_months": 6,
            "first_year_interval_months": 3,
        }
        if plan is not None:
            initial = {
                "drug": plan.drug,
                "started_on": plan.started_on,
                "duration_years": plan.duration_years,
                "contact_mode": plan.contact_mode,
                "interval_months": plan.interval_months,
                "first_year_interval_months": plan.first_year_interval_months,
                "nurse": str(plan.nurse_id),
            }
        form = PlanForm(initial=initial, pathway=pathway)
    return render(
        request,
        "adherence/plan_form.html",
        {"pathway": pathway, "patient": pathway.patient, "plan": plan, "form": form},
        status=status,
    )


@login_required
def contact_add(request, pk: int):
    user = user_of(request)
    pathway = selectors.pathway_with_plan_for(user=user, pk=pk)
    summary = selectors.summary_of(pathway)
    if summary is None:
        raise Http404(NOT_FOUND)
    status = 200
    if request.method == "POST":
        form = ContactForm(request.POST, summary=summary)
        if form.is_valid():
            try:
                with denied_as_404():
                    contact = services.contact_record(
                        actor=user, plan=summary.plan, values=form.values()
                    )
            except ValidationError as error:
                show_errors(form, error)
            else:
                alerts = selectors.alerts_of_contact(contact)
                if alerts:
                    messages.warning(
                        request,
                        "Contact enregistré. Alerte levée et signalée à l'équipe : "
                        + " ".join(alert.message for alert in alerts),
                    )
                else:
                    messages.success(request, "Contact de suivi de l'hormonothérapie enregistré.")
                return redirect(_pathway_url(pathway))
        status = 400
    else:
        form = ContactForm(summary=summary)
    return render(
        request,
        "adherence/contact_form.html",
        {"pathway": pathway, "patient": pathway.patient, "summary": summary, "form": form},
        status=status,
    )
