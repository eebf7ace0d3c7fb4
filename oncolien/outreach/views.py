"""The coordinator's pages: the CPTS's material, its campaigns with their counts and
printable documents; and the contact request a nurse calls back."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from oncolien.outreach import selectors, services
from oncolien.outreach.access import MATERIAL_EDIT
from oncolien.outreach.forms import CampaignForm, MaterialForm
from oncolien.outreach.material import FORMATS, campaign_url, qr_svg, render_material_pdf
from oncolien.territories.models import Cpts
from oncolien.web.forms import show_errors
from oncolien.web.http import authorized_or_404, denied_as_404, deny, user_of


@login_required
def campaign_list(request):
    user = user_of(request)
    cpts_list = list(selectors.material_cpts_for(user=user))
    if not cpts_list:
        deny(user, MATERIAL_EDIT)
    cpts_by_pk = {str(c.pk): c for c in cpts_list}
    form = CampaignForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        cpts = cpts_by_pk.get(request.POST.get("cpts", "")) or (
            cpts_list[0] if len(cpts_list) == 1 else None
        )
        if cpts is None:
            form.add_error(None, "Choisissez la CPTS de la campagne.")
        elif form.is_valid():
            try:
                with denied_as_404():
                    campaign = services.campaign_create(
                        actor=user,
                        cpts=cpts,
                        name=form.cleaned_data["name"],
                        audience=form.cleaned_data["audience"],
                    )
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(request, f"Campagne « {campaign.name} » créée.")
                return redirect("outreach:campaign_detail", pk=campaign.pk)
    campaigns = list(selectors.campaigns_for(user=user).order_by("cpts__name", "-active", "name"))
    counts = selectors.campaign_counts(user=user, campaigns=campaigns)
    rows = [(c, counts[c.pk]) for c in campaigns]
    return render(
        request,
        "outreach/campaign_list.html",
        {"form": form, "cpts_list": cpts_list, "rows": rows},
        status=status,
    )


@login_required
def material_edit(request, slug: str):
    user = user_of(request)
    cpts = get_object_or_404(Cpts, slug=slug)
    authorized_or_404(user, MATERIAL_EDIT, cpts)
    material = services.material_of(cpts)
    form = MaterialForm(request.POST or None, instance=material)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.material_update(
                    actor=user,
                    cpts=cpts,
                    values={name: form.cleaned_data[name] for name in MaterialForm.Meta.fields},
                )
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(request, "Les documents de la CPTS sont enregistrés.")
                return redirect("outreach:campaign_list")
    return render(
        request, "outreach/material_form.html", {"form": form, "cpts": cpts}, status=status
    )


@login_required
def campaign_detail(request, pk: int):
    user = user_of(request)
    with denied_as_404():
        campaign = selectors.campaign_for(user=user, pk=pk)
    if request.method == "POST":
        active = request.POST.get("active") == "1"
        with denied_as_404():
            services.campaign_set_active(actor=user, campaign=campaign, active=active)
        messages.success(
            request, "Campagne réactivée." if active else "Campagne terminée : sa page le dit."
        )
        return redirect("outreach:campaign_detail", pk=campaign.pk)
    counts = selectors.campaign_counts(user=user, campaigns=[campaign])[campaign.pk]
    url = campaign_url(campaign)
    return render(
        request,
        "outreach/campaign_detail.html",
        {
            "campaign": campaign,
            "counts": counts,
            "url": url,
            "qr": qr_svg(url, title=f"Code QR de la campagne {campaign.name}"),
            "formats": FORMATS.values(),
        },
    )


@login_required
def campaign_pdf(request, pk: int, kind: str):
    user = user_of(request)
    with denied_as_404():
        campaign = selectors.campaign_for(user=user, pk=pk)
    if kind not in FORMATS:
        raise Http404("Page introuvable.")
    # One page, rendered in a second: as the practices' PDF, served at once.
    response = HttpResponse(render_material_pdf(campaign, kind), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{kind}-{campaign.cpts.slug}-{campaign.code}.pdf"'
    )
    return response


@login_required
def contact_request(request, pk: int):
    user = user_of(request)
    with denied_as_404():
        found = selectors.contact_request_for(user=user, pk=pk)
    return render(request, "outreach/contact_request.html", {"request_": found})


@login_required
@require_POST
def contact_request_called_back(request, pk: int):
    """« Rappelé·e » : the request leaves the worklist and the intake call opens, with
    the campaign as its source."""
    user = user_of(request)
    with denied_as_404():
        found = selectors.contact_request_for(user=user, pk=pk)
        services.contact_request_called_back(actor=user, request=found)
    messages.success(
        request,
        "Demande notée comme rappelée. Enregistrez l'appel : la campagne en est l'origine.",
    )
    query = urlencode({"source": found.campaign.source})
    return redirect(f"{reverse('pathways:intake')}?{query}")
