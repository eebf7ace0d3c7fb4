"""Pages of the sectors: a CPTS's sectors with their communes and nurses (and their
workload), the communes without sector, the sector form, and the hand-over of a
pathway to another coordinating nurse."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from oncolien.accounts.authorization import is_allowed, visible
from oncolien.pathways.models import Pathway
from oncolien.sectors import selectors, services
from oncolien.sectors.access import NURSE_REASSIGN, SECTOR_EDIT, SECTOR_VIEW
from oncolien.sectors.forms import SectorForm
from oncolien.sectors.models import Sector
from oncolien.territories.models import Cpts
from oncolien.web.forms import show_errors
from oncolien.web.http import authorized_or_404, denied_as_404, deny, user_of


@login_required
def index(request: HttpRequest) -> HttpResponse:
    cpts_list = list(visible(request.user, SECTOR_VIEW, Cpts.objects.order_by("name")))
    if not cpts_list:
        deny(request.user, SECTOR_VIEW)
    if len(cpts_list) == 1:
        return redirect("sectors:cpts", slug=cpts_list[0].slug)
    return render(request, "sectors/index.html", {"cpts_list": cpts_list})


def _cpts(request: HttpRequest, slug: str, permission: str) -> Cpts:
    cpts = get_object_or_404(Cpts, slug=slug)
    authorized_or_404(request.user, permission, cpts)
    return cpts


@login_required
def cpts_sectors(request: HttpRequest, slug: str) -> HttpResponse:
    cpts = _cpts(request, slug, SECTOR_VIEW)
    loads = {load.user.pk: load for load in selectors.workloads(cpts)}
    sectors = [
        (sector, [loads[n.pk] for n in sector.nurses.all() if n.pk in loads])
        for sector in selectors.sectors_of(cpts)
    ]
    without = selectors.communes_without_sector(cpts)
    return render(
        request,
        "sectors/cpts.html",
        {
            "cpts": cpts,
            "sectors": sectors,
            "loads": list(loads.values()),
            "without_count": without.count(),
            "commune_count": cpts.communes.count(),
            "may_edit": is_allowed(request.user, SECTOR_EDIT, cpts),
        },
    )


@login_required
def communes_without_sector(request: HttpRequest, slug: str) -> HttpResponse:
    cpts = _cpts(request, slug, SECTOR_VIEW)
    return render(
        request,
        "sectors/without_sector.html",
        {
            "cpts": cpts,
            "communes": list(selectors.communes_without_sector(cpts).select_related("department")),
            "may_edit": is_allowed(request.user, SECTOR_EDIT, cpts),
        },
    )


@login_required
def sector_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    cpts = _cpts(request, slug, SECTOR_EDIT)
    sector = get_object_or_404(Sector, pk=pk, cpts=cpts) if pk is not None else None
    initial = (
        {
            "name": sector.name,
            "communes": [link.commune_id for link in sector.sector_communes.all()],
            "nurses": list(sector.nurses.values_list("pk", flat=True)),
        }
        if sector is not None
        else None
    )
    form = SectorForm(request.POST or None, initial=initial, cpts=cpts, sector=sector)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                with denied_as_404():
                    saved = services.sector_save(
                        actor=user_of(request),
                        cpts=cpts,
                        name=data["name"],
                        communes=data["communes"],
                        nurses=data["nurses"],
                        sector=sector,
                    )
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(request, f"Secteur « {saved.name} » enregistré.")
                return redirect("sectors:cpts", slug=cpts.slug)
    return render(
        request,
        "sectors/edit.html",
        {"cpts": cpts, "sector": sector, "form": form},
        status=status,
    )


@login_required
@require_POST
def sector_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    cpts = _cpts(request, slug, SECTOR_EDIT)
    sector = get_object_or_404(Sector, pk=pk, cpts=cpts)
    name = sector.name
    with denied_as_404():
        services.sector_delete(actor=user_of(request), sector=sector)
    messages.success(request, f"Secteur « {name} » supprimé : ses communes sont sans secteur.")
    return redirect("sectors:cpts", slug=cpts.slug)


@login_required
@require_POST
def reassign(request: HttpRequest, pk: int) -> HttpResponse:
    pathway = get_object_or_404(Pathway.objects.select_related("cpts", "patient"), pk=pk)
    authorized_or_404(request.user, NURSE_REASSIGN, pathway)
    nurse = (
        selectors.coordinating_nurses(pathway.cpts)
        .filter(pk=request.POST.get("nurse", "") if request.POST.get("nurse", "").isdigit() else -1)
        .first()
    )
    if nurse is None:
        messages.error(
            request, "Choisissez une infirmière ou un infirmier de coordination de la CPTS."
        )
        return redirect("pathways:pathway_detail", pk=pathway.pk)
    try:
        with denied_as_404():
            services.reassign_coordinating_nurse(
                actor=user_of(request), pathway=pathway, nurse=nurse
            )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, f"Parcours confié à {nurse.get_full_name() or nurse.get_username()}."
        )
    return redirect("pathways:pathway_detail", pk=pathway.pk)
