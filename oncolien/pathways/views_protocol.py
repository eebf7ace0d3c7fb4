"""The CPTS coordinator's page for the alert protocol: thresholds, who acknowledges,
and what to do for each rule (the default texts, with their sources, or the CPTS's)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from oncolien.pathways import alerts, protocol, services
from oncolien.pathways.access import ALERT_PROTOCOL_EDIT
from oncolien.pathways.forms import AlertProtocolForm
from oncolien.pathways.models import AlertProtocol
from oncolien.territories.models import Cpts
from oncolien.web.forms import show_errors
from oncolien.web.http import authorized_or_404, denied_as_404, user_of


def _initial(cpts: Cpts, defaults: dict) -> dict:
    current = AlertProtocol.objects.filter(cpts=cpts).first()
    initial = {
        "fever_threshold_c": current.fever_threshold_c
        if current
        else alerts.DEFAULT_FEVER_THRESHOLD_C,
        "escalation_after_minutes": current.escalation_after_minutes
        if current
        else alerts.DEFAULT_ESCALATION_MINUTES,
        "acknowledging_roles": list(
            current.acknowledging_roles if current else protocol.DEFAULT_ACKNOWLEDGING_ROLES
        ),
    }
    own = current.instructions if current else {}
    for code, instruction in defaults.items():
        initial[f"instruction_{code}"] = own.get(code) or instruction.text
    return initial


@login_required
def protocol_edit(request, slug: str):
    cpts = get_object_or_404(Cpts, slug=slug)
    authorized_or_404(request.user, ALERT_PROTOCOL_EDIT, cpts)
    defaults = protocol.default_instructions()
    form = AlertProtocolForm(
        request.POST or None,
        initial=_initial(cpts, defaults),
        labels=protocol.rule_labels(),
        defaults=defaults,
        roles=protocol.ACKNOWLEDGING_ROLES,
    )
    if request.method == "POST" and form.is_valid():
        try:
            with denied_as_404():
                services.alert_protocol_update(
                    actor=user_of(request),
                    cpts=cpts,
                    fever_threshold_c=form.cleaned_data["fever_threshold_c"],
                    escalation_after_minutes=form.cleaned_data["escalation_after_minutes"],
                    acknowledging_roles=form.cleaned_data["acknowledging_roles"],
                    instructions=form.instructions(),
                )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, "Protocole d'alerte enregistré.")
            return redirect("pathways:alert_protocol", slug=cpts.slug)
    return render(
        request,
        "pathways/alert_protocol.html",
        {"cpts": cpts, "form": form},
        status=400 if form.errors else 200,
    )
