"""The intake call: a coordinating nurse or a coordinator records a new patient and
opens their pathway (first contact) in one of their CPTS."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from oncolien.accounts.authorization import is_allowed, visible
from oncolien.pathways import services
from oncolien.pathways.access import PATHWAY_CREATE, PATHWAY_INCLUDE_OUT_OF_TERRITORY
from oncolien.pathways.forms import IntakeForm
from oncolien.territories.models import Cpts
from oncolien.web.forms import show_errors
from oncolien.web.http import denied_as_404, deny


def _intake_cpts(user) -> list[Cpts]:
    """The CPTS where the user may take an intake call, as the authorisation rules say."""
    return list(visible(user, PATHWAY_CREATE, Cpts.objects.order_by("name")))


@login_required
def intake(request):
    choices = {str(cpts.pk): cpts for cpts in _intake_cpts(request.user)}
    if not choices:
        deny(request.user, PATHWAY_CREATE)
    may_include = {
        pk
        for pk, cpts in choices.items()
        if is_allowed(request.user, PATHWAY_INCLUDE_OUT_OF_TERRITORY, cpts)
    }
    form = IntakeForm(
        request.POST or None,
        cpts_choices=[(pk, cpts.name) for pk, cpts in choices.items()],
        may_include_out_of_territory=bool(may_include),
    )
    eligibility = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        cpts = choices[data["cpts"]]
        reason = data.get("out_of_territory_reason", "") if data["cpts"] in may_include else ""
        eligibility = services.eligibility_for(cpts=cpts, commune=data["commune"])
        try:
            with denied_as_404():
                pathway = services.intake_create(
                    actor=request.user,
                    cpts=cpts,
                    patient=form.patient_values(),
                    intake_channel=data["intake_channel"],
                    first_contact_on=data["first_contact_on"],
                    informed_on=data["informed_on"],
                    objects_to_sharing=data["objects_to_sharing"],
                    referrer=data["referrer"],
                    out_of_territory_reason=reason,
                    **form.gp_contact(),
                )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"Parcours de {pathway.patient} créé.")
            return redirect("pathways:pathway_detail", pk=pathway.pk)
    return render(
        request,
        "pathways/intake.html",
        {
            "form": form,
            "eligibility": eligibility,
            # The reason field is offered to a coordinator once the commune is found
            # outside the territory (or when she already gave one).
            "show_reason": "out_of_territory_reason" in form.fields
            and (
                (eligibility is not None and not eligibility.in_territory)
                or bool(form["out_of_territory_reason"].value())
            ),
        },
    )
