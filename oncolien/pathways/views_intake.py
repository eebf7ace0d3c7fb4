"""The intake call: a coordinating nurse or a coordinator records a new patient and
opens their pathway (first contact) in one of their CPTS.

The commune comes first (a page of its own, no JavaScript needed): a commune outside
the territory gets one message naming the CPTS that covers it, with its contact, or
the regional contact, before anyone types the patient's identity. Every call is
recorded without identity (`IntakeCall`): the included ones with their pathway, the
others as directed elsewhere or not included, so that contacts can be counted
against patients followed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import redirect, render

from oncolien.accounts.authorization import is_allowed, visible
from oncolien.pathways import extensions, services
from oncolien.pathways.access import (
    INTAKE_CALL_READ,
    INTAKE_CALL_RECORD,
    PATHWAY_CREATE,
    PATHWAY_INCLUDE_OUT_OF_TERRITORY,
    PATHWAY_READ,
)
from oncolien.pathways.forms import IntakeCallForm, IntakeCheckForm, IntakeForm, clean_source
from oncolien.pathways.models import IntakeCall, IntakeOutcome
from oncolien.territories.models import Commune, Cpts
from oncolien.web.forms import show_errors
from oncolien.web.http import authorized_or_404, denied_as_404, deny

# The call log lists the latest calls (the page says when there are more).
CALLS_SHOWN = 50


def _intake_cpts(user, permission: str = PATHWAY_CREATE) -> dict[str, Cpts]:
    """The CPTS where the user may take an intake call, as the authorisation rules say."""
    return {str(c.pk): c for c in visible(user, permission, Cpts.objects.order_by("name"))}


def _choices(cpts_by_pk: dict[str, Cpts]) -> list[tuple[str, str]]:
    return [(pk, cpts.name) for pk, cpts in cpts_by_pk.items()]


def _open_call(user, pk, cpts: Cpts | None = None) -> IntakeCall | None:
    """The out-of-territory call the user recorded and may still turn into an inclusion."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    calls = visible(user, INTAKE_CALL_READ, IntakeCall.objects.select_related("cpts", "commune"))
    calls = calls.filter(pk=pk, outcome=IntakeOutcome.OUT_OF_TERRITORY, pathway__isnull=True)
    if cpts is not None:
        calls = calls.filter(cpts=cpts)
    return calls.first()


def _check_page(request, form, *, eligibility=None, call=None, may_include=False, status=200):
    return render(
        request,
        "pathways/intake_check.html",
        {"form": form, "eligibility": eligibility, "call": call, "may_include": may_include},
        status=status,
    )


def _full_page(request, form, *, commune: Commune | None, show_reason: bool, status=200, cpts=None):
    # What other apps add to the form (the nurses proposed for the commune's sector).
    parts = (
        extensions.intake_panels_for(request.user, cpts, commune, request.POST)
        if cpts is not None and commune is not None
        else []
    )
    return render(
        request,
        "pathways/intake.html",
        {"form": form, "commune": commune, "show_reason": show_reason, "intake_parts": parts},
        status=status,
    )


def _full_form(request, choices, may_include, *, data=None, initial=None) -> IntakeForm:
    return IntakeForm(
        data,
        initial=initial,
        cpts_choices=_choices(choices),
        may_include_out_of_territory=bool(may_include),
    )


@login_required
def intake(request):
    choices = _intake_cpts(request.user)
    if not choices:
        deny(request.user, PATHWAY_CREATE)
    may_include = {
        pk
        for pk, cpts in choices.items()
        if is_allowed(request.user, PATHWAY_INCLUDE_OUT_OF_TERRITORY, cpts)
    }
    step = request.POST.get("step") if request.method == "POST" else "start"
    if step == "start":
        # A link from another app may say where the call came from (« campaign:12 »).
        source = clean_source(request.GET.get("source", ""))
        form = IntakeCheckForm(initial={"source": source}, cpts_choices=_choices(choices))
        return _check_page(request, form)
    if step == "commune":
        return _commune_step(request, choices, may_include)
    if step == "include":
        return _include_step(request, choices, may_include)
    return _create(request, choices, may_include)


def _out_of_territory(
    request, *, cpts, commune, channel, eligibility, call, may_include, source=""
):
    """The one message for a commune outside the territory; the call recorded once."""
    if call is None:
        with denied_as_404():
            call = services.intake_call_record(
                actor=request.user,
                cpts=cpts,
                channel=channel,
                commune=commune,
                outcome=IntakeOutcome.OUT_OF_TERRITORY,
                source=source,
            )
    form = IntakeCheckForm(
        initial={"cpts": str(cpts.pk), "commune": commune.name, "intake_channel": channel},
        cpts_choices=_choices({str(cpts.pk): cpts}),
    )
    return _check_page(
        request,
        form,
        eligibility=eligibility,
        call=call,
        may_include=str(cpts.pk) in may_include,
    )


def _commune_step(request, choices, may_include):
    form = IntakeCheckForm(request.POST, cpts_choices=_choices(choices))
    if not form.is_valid():
        return _check_page(request, form, status=400)
    data = form.cleaned_data
    cpts, commune = choices[data["cpts"]], data["commune"]
    eligibility = services.eligibility_for(cpts=cpts, commune=commune)
    if not eligibility.in_territory:
        return _out_of_territory(
            request,
            cpts=cpts,
            commune=commune,
            channel=data["intake_channel"],
            eligibility=eligibility,
            call=None,
            may_include=may_include,
            source=data["source"],
        )
    initial = {
        "cpts": data["cpts"],
        "commune": commune.insee_code,
        "intake_channel": data["intake_channel"],
        "source": data["source"],
    }
    full = _full_form(request, choices, may_include, initial=initial)
    return _full_page(request, full, commune=commune, show_reason=False, cpts=cpts)


def _include_step(request, choices, may_include):
    """A coordinator goes on with an out-of-territory call: the full form, with a reason."""
    call = _open_call(request.user, request.POST.get("call"))
    if call is None:
        deny(request.user, INTAKE_CALL_READ)
    authorized_or_404(request.user, PATHWAY_INCLUDE_OUT_OF_TERRITORY, call.cpts)
    initial = {
        "cpts": str(call.cpts_id),
        "commune": call.commune.insee_code,
        "intake_channel": call.channel,
        "call": call.pk,
        "source": call.source,
    }
    full = _full_form(request, choices, may_include, initial=initial)
    return _full_page(request, full, commune=call.commune, show_reason=True, cpts=call.cpts)


def _create(request, choices, may_include):
    form = _full_form(request, choices, may_include, data=request.POST)
    valid = form.is_valid()
    data = form.cleaned_data
    commune = data.get("commune") if isinstance(data.get("commune"), Commune) else None
    allowed = data.get("cpts") in may_include
    reason = (data.get("out_of_territory_reason") or "").strip() if allowed else ""
    show_reason = "out_of_territory_reason" in form.fields and bool(
        form["out_of_territory_reason"].value()
    )
    cpts = None
    if commune is not None and data.get("cpts") in choices:
        cpts = choices[data["cpts"]]
        call = _open_call(request.user, data.get("call"), cpts)
        eligibility = services.eligibility_for(cpts=cpts, commune=commune)
        if not eligibility.in_territory and not reason:
            if allowed and call is not None:
                # The coordinator chose to include: the reason is what is missing.
                form.add_error(
                    "out_of_territory_reason",
                    "Indiquez pourquoi la CPTS suit ce patient hors de son territoire.",
                )
                return _full_page(
                    request, form, commune=commune, show_reason=True, status=400, cpts=cpts
                )
            return _out_of_territory(
                request,
                cpts=cpts,
                commune=commune,
                channel=data.get("intake_channel") or (call.channel if call else "phone_line"),
                eligibility=eligibility,
                call=call,
                may_include=may_include,
                source=data.get("source", ""),
            )
        if valid:
            try:
                with denied_as_404(), transaction.atomic():
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
                        call=call,
                        source=data["source"],
                        **form.gp_contact(),
                    )
                    extensions.intake_hooks_run(request.user, pathway, request.POST)
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(request, f"Parcours de {pathway.patient} créé.")
                if not is_allowed(request.user, PATHWAY_READ, pathway):
                    # Handed at intake to a colleague (the nurse of the patient's sector):
                    # the pathway is hers now, and the next call can be taken.
                    messages.info(request, "Le parcours est confié à l'infirmier·ère choisi·e.")
                    return redirect("pathways:intake")
                return redirect("pathways:pathway_detail", pk=pathway.pk)
        show_reason = show_reason or not eligibility.in_territory
    return _full_page(
        request, form, commune=commune, show_reason=show_reason, status=400, cpts=cpts
    )


# --- The calls: recorded without identity, counted ----------------------------------------


@login_required
def intake_calls(request):
    """Every intake call of the user's CPTS, counted by outcome; and the form for a call
    that led to no inclusion."""
    choices = _intake_cpts(request.user, INTAKE_CALL_RECORD)
    if not choices:
        deny(request.user, INTAKE_CALL_RECORD)
    form = IntakeCallForm(request.POST or None, cpts_choices=_choices(choices))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                with denied_as_404():
                    services.intake_call_record(
                        actor=request.user,
                        cpts=choices[data["cpts"]],
                        channel=data["intake_channel"],
                        commune=data["commune"],
                        outcome=IntakeOutcome.NOT_INCLUDED,
                        reason=data["reason"],
                    )
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(request, "Appel enregistré (sans identité).")
                return redirect("pathways:intake_calls")
    calls = visible(request.user, INTAKE_CALL_READ, IntakeCall.objects.all())
    counts = calls.aggregate(
        total=Count("pk"),
        included=Count("pk", filter=Q(outcome=IntakeOutcome.INCLUDED)),
        out_of_territory=Count("pk", filter=Q(outcome=IntakeOutcome.OUT_OF_TERRITORY)),
        not_included=Count("pk", filter=Q(outcome=IntakeOutcome.NOT_INCLUDED)),
    )
    recent = list(
        calls.select_related("cpts", "commune__department", "covering_cpts")[:CALLS_SHOWN]
    )
    return render(
        request,
        "pathways/intake_calls.html",
        {"form": form, "counts": counts, "calls": recent, "partial": counts["total"] > len(recent)},
        status=status,
    )
