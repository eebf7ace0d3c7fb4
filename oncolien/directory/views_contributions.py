"""Public contributions (no account) and their moderation by the CPTS coordinators.

Nothing a contributor sends is published: it waits as a pending Contribution
until a coordinator accepts it (see directory.contributions).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from oncolien.audit.services import client_address
from oncolien.directory import contributions
from oncolien.directory.forms import (
    AcceptForm,
    ContributionForm,
    RejectForm,
    proposal_initial,
)
from oncolien.directory.models import Contribution, ContributionKind, ContributionStatus
from oncolien.directory.selectors import services_public
from oncolien.territories.models import Cpts
from oncolien.web.forms import show_errors
from oncolien.web.http import authorized_or_404

# --- Public: propose a new offer or a correction.


def contribute_new(request, slug: str):
    cpts = get_object_or_404(Cpts, slug=slug)
    return _contribute(request, cpts=cpts, service=None)


def contribute_correction(request, pk: int):
    # Only a published offer can be corrected: the others are not public.
    service = get_object_or_404(services_public(), pk=pk)
    return _contribute(request, cpts=service.organization.cpts, service=service)


def contribute_thanks(request, slug: str):
    cpts = get_object_or_404(Cpts, slug=slug)
    return render(request, "directory/contributions/thanks.html", {"cpts": cpts})


def _contribute(request, *, cpts, service):
    current = contributions.service_proposal(service) if service else None
    include_place = current is None or "commune" in current
    form = ContributionForm(
        request.POST or None,
        new=service is None,
        include_place=include_place,
        current=current,
        initial=proposal_initial(current) if current else None,
    )
    context = {"cpts": cpts, "service": service, "form": form}
    if request.method == "POST":
        if form.honeypot_filled:
            # A robot: it is told the same as a person, and nothing is kept.
            return redirect("directory:contribute_thanks", slug=cpts.slug)
        if form.is_valid():
            data = form.cleaned_data
            try:
                contributions.contribution_submit(
                    cpts=None if service else cpts,
                    service=service,
                    proposal=form.proposal(),
                    client_ip=client_address(),
                    message=data["message"],
                    contributor_name=data["contributor_name"],
                    contributor_email=data["contributor_email"],
                )
            except contributions.TooManyContributions as limited:
                context["rate_limited"] = str(limited)
                response = render(request, "directory/contributions/form.html", context, status=429)
                response["Retry-After"] = str(limited.retry_after)
                return response
            return redirect("directory:contribute_thanks", slug=cpts.slug)
    return render(request, "directory/contributions/form.html", context)


# --- Moderation by the coordinators of the CPTS.


@login_required
def moderation(request, slug: str):
    cpts = get_object_or_404(Cpts, slug=slug)
    authorized_or_404(request.user, contributions.DIRECTORY_MODERATE, cpts)
    queryset = Contribution.objects.filter(cpts=cpts).select_related(
        "service__organization", "decided_by", "resulting_service"
    )
    return render(
        request,
        "directory/contributions/moderation.html",
        {
            "cpts": cpts,
            "pending": queryset.filter(status=ContributionStatus.PENDING).order_by("created_at"),
            "decided": queryset.exclude(status=ContributionStatus.PENDING).order_by("-decided_at")[
                :20
            ],
        },
    )


def _contribution_for(request, pk: int) -> Contribution:
    contribution = get_object_or_404(
        Contribution.objects.select_related(
            "cpts", "service__organization", "decided_by", "resulting_service"
        ),
        pk=pk,
    )
    authorized_or_404(request.user, contributions.DIRECTORY_MODERATE, contribution.cpts)
    return contribution


def _accept_form(contribution: Contribution, data=None) -> AcceptForm:
    return AcceptForm(
        data,
        new=contribution.kind == ContributionKind.NEW,
        include_place="commune" in contribution.proposal,
        cpts=contribution.cpts,
        initial=proposal_initial(contribution.proposal),
    )


def _detail(request, contribution, *, accept_form=None, reject_form=None, status=200):
    current = None
    if contribution.kind == ContributionKind.CORRECTION and contribution.service is not None:
        current = contributions.service_proposal(contribution.service)
    context = {
        "contribution": contribution,
        "cpts": contribution.cpts,
        "rows": contributions.proposal_rows(contribution.proposal, current),
        "is_correction": contribution.kind == ContributionKind.CORRECTION,
        "is_pending": contribution.status == ContributionStatus.PENDING,
        "accept_form": accept_form or _accept_form(contribution),
        "reject_form": reject_form or RejectForm(),
    }
    return render(request, "directory/contributions/detail.html", context, status=status)


@login_required
def contribution_detail(request, pk: int):
    return _detail(request, _contribution_for(request, pk))


@login_required
@require_POST
def contribution_accept(request, pk: int):
    contribution = _contribution_for(request, pk)
    form = _accept_form(contribution, request.POST)
    if form.is_valid():
        try:
            accepted = contributions.contribution_accept(
                actor=request.user,
                contribution=contribution,
                proposal=form.proposal(),
                organization=form.cleaned_data.get("organization"),
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(
                request,
                f"Contribution acceptée : l'offre « {accepted.service.name} » est publiée.",
            )
            for warning in accepted.warnings:
                messages.warning(request, warning)
            return redirect("directory:moderation", slug=contribution.cpts.slug)
    return _detail(request, contribution, accept_form=form)


@login_required
@require_POST
def contribution_reject(request, pk: int):
    contribution = _contribution_for(request, pk)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            contributions.contribution_reject(
                actor=request.user, contribution=contribution, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, "Contribution refusée ; le motif est conservé.")
            return redirect("directory:moderation", slug=contribution.cpts.slug)
    return _detail(request, contribution, reject_form=form)
