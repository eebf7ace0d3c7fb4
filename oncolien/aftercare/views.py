"""The programme page of a pathway: prescribe, see the allowance, record acts as done.

Thin: the pathway comes from `pathways.selectors.pathway_for` (404 for anyone who
may not see it, audited), writes go through `aftercare.services`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from oncolien.aftercare import selectors, services
from oncolien.aftercare.eligibility import Prescriber
from oncolien.aftercare.forms import ActDoneForm, PrescribeForm
from oncolien.aftercare.models import ProgrammeAct
from oncolien.pathways.selectors import pathway_for
from oncolien.web.forms import show_errors
from oncolien.web.http import denied_as_404

READ = "aftercare.programme.read"


def _render(
    request, pathway, *, status: int = 200, prescribe_form=None, act_form=None, act_pk=None
):
    summary = selectors.summary_for_pathway(pathway)
    today = timezone.localdate()
    last_day, within = selectors.prescription_window(pathway, today=today)
    return render(
        request,
        "aftercare/programme.html",
        {
            "pathway": pathway,
            "patient": pathway.patient,
            "summary": summary,
            "last_day": last_day,
            "within_window": within,
            "prescribe_form": prescribe_form
            or PrescribeForm(
                initial={
                    "prescribed_on": today,
                    "dietary_follow_ups": 0,
                    "psychological_follow_ups": 0,
                }
            ),
            "act_forms": _act_forms(summary, today, act_form, act_pk),
        },
        status=status,
    )


def _act_forms(summary, today, bound, bound_pk) -> list:
    """One form per act still to do, with ids of its own (several on one page)."""
    if summary is None:
        return []
    return [
        (
            act,
            bound
            if act.pk == bound_pk
            else ActDoneForm(initial={"done_on": today}, auto_id=f"acte-{act.pk}-%s"),
        )
        for act in summary.pending
    ]


def _programme_url(pathway) -> str:
    return reverse("aftercare:programme", kwargs={"pk": pathway.pk})


@login_required
def programme(request, pk: int):
    return _render(request, pathway_for(user=request.user, pk=pk, action=READ))


@login_required
@require_POST
def prescribe(request, pk: int):
    pathway = pathway_for(user=request.user, pk=pk, action=READ)
    form = PrescribeForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            with denied_as_404():
                services.programme_prescribe(
                    actor=request.user,
                    pathway=pathway,
                    prescriber=Prescriber(
                        role=data["prescriber_role"],
                        name=data["prescriber_name"],
                        rpps=data["prescriber_rpps"],
                    ),
                    prescribed_on=data["prescribed_on"],
                    service=data["service"],
                    acts=form.acts(),
                )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, "Parcours après cancer prescrit.")
            return redirect(_programme_url(pathway))
    return _render(request, pathway, status=400, prescribe_form=form)


@login_required
@require_POST
def act_done(request, pk: int, act_pk: int):
    pathway = pathway_for(user=request.user, pk=pk, action=READ)
    act = get_object_or_404(ProgrammeAct, pk=act_pk, programme__pathway=pathway)
    form = ActDoneForm(request.POST, auto_id=f"acte-{act_pk}-%s")
    if form.is_valid():
        try:
            with denied_as_404():
                services.act_record_done(
                    actor=request.user,
                    act=act,
                    done_on=form.cleaned_data["done_on"],
                    amount=form.cleaned_data["amount"],
                )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"Acte enregistré comme réalisé : {act.get_kind_display()}.")
            return redirect(_programme_url(pathway))
    return _render(request, pathway, status=400, act_form=form, act_pk=act.pk)
