"""The work situation page of a pathway. Thin: the pathway comes from
`selectors.pathway_with_work_for` (404 for anyone who may not see it, audited), the
write from `services` (refusal as 404, French errors back on the form with 400)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from oncolien.pathways.access import PATHWAY_WRITE
from oncolien.web.forms import show_errors
from oncolien.web.http import authorized_or_404, denied_as_404, user_of
from oncolien.worklife import selectors, services
from oncolien.worklife.forms import WorkSituationForm


@login_required
def situation_edit(request, pk: int):
    user = user_of(request)
    pathway = selectors.pathway_with_work_for(user=user, pk=pk)
    authorized_or_404(user, PATHWAY_WRITE, pathway)
    situation = selectors.work_situation_of(pathway)
    status = 200
    if request.method == "POST":
        form = WorkSituationForm(request.POST)
        if form.is_valid():
            try:
                with denied_as_404():
                    services.work_situation_save(actor=user, pathway=pathway, values=form.values())
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(request, "Situation professionnelle enregistrée.")
                return redirect(
                    reverse("pathways:pathway_detail", kwargs={"pk": pathway.pk}) + "#travail"
                )
        status = 400
    else:
        initial = {}
        if situation is not None:
            initial = {name: getattr(situation, name) for name in WorkSituationForm.base_fields}
        form = WorkSituationForm(initial=initial)
    return render(
        request,
        "worklife/situation_form.html",
        {"pathway": pathway, "patient": pathway.patient, "form": form, "situation": situation},
        status=status,
    )
