"""Pages of shared practices: public (list, page, PDF, comparison, regional
resources, the « Parlez-nous de vos actions » form) and for the people who write
and review them."""

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from oncolien.accounts.authorization import is_allowed, visible
from oncolien.audit.services import client_address
from oncolien.practices import services
from oncolien.practices.access import (
    PRACTICE_CREATE,
    PRACTICE_EDIT,
    PRACTICE_REVIEW,
    PRACTICES_MANAGE,
)
from oncolien.practices.documents import MAX_DOCUMENT_BYTES
from oncolien.practices.forms import (
    CompareForm,
    DocumentForm,
    PracticeForm,
    ProposalForm,
    RadarForm,
    ReviewForm,
)
from oncolien.practices.models import STEP_SLUGS, STEPS, Document, Practice, Status
from oncolien.practices.printing import practice_filename, render_practice_pdf
from oncolien.practices.radar import definition, is_rated, radar_chart
from oncolien.practices.resources import regional_resources
from oncolien.practices.selectors import (
    PracticeSearch,
    practices_published,
    practices_search,
    territories_with_practices,
)
from oncolien.reference.models import CareType
from oncolien.territories.models import Cpts
from oncolien.web.forms import show_errors
from oncolien.web.http import authorized_or_404, user_of

STEP_LABELS = dict(STEPS)

# --- Public pages


def practice_list(request: HttpRequest) -> HttpResponse:
    search = PracticeSearch(
        theme=request.GET.get("theme", "").strip(),
        step=request.GET.get("etape", "").strip(),
        department=request.GET.get("departement", "").strip(),
        region=request.GET.get("region", "").strip(),
    )
    departments, regions = territories_with_practices()
    return render(
        request,
        "practices/list.html",
        {
            "practices": practices_search(search),
            "search": search,
            "care_types": CareType.objects.filter(practices__status=Status.PUBLISHED).distinct(),
            "steps": [(slug, STEP_LABELS[name]) for slug, name in STEP_SLUGS.items()],
            "departments": departments,
            "regions": regions,
            "filtered": any(vars(search).values()),
        },
    )


def _readable(request: HttpRequest, pk: int) -> Practice:
    """A published practice for anyone; an unpublished one for its writers and
    reviewers only (404 for anyone else, the refusal audited)."""
    practice = get_object_or_404(Practice.objects.select_related("cpts"), pk=pk)
    if practice.status == Status.PUBLISHED or is_allowed(request.user, PRACTICE_REVIEW, practice):
        return practice
    authorized_or_404(request.user, PRACTICE_EDIT, practice)
    return practice


def _radar_context(practice: Practice) -> dict[str, Any]:
    return {
        "chart": radar_chart({practice.cpts.name: practice.radar}),
        "rated": is_rated(practice.radar),
        "radar": definition(),
    }


def practice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    practice = _readable(request, pk)
    user = request.user
    return render(
        request,
        "practices/detail.html",
        {
            "practice": practice,
            **_radar_context(practice),
            "can_edit": practice.status in services.EDITABLE
            and is_allowed(user, PRACTICE_EDIT, practice),
            "can_review": practice.status == Status.SUBMITTED
            and is_allowed(user, PRACTICE_REVIEW, practice),
        },
    )


def practice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    practice = _readable(request, pk)
    response = HttpResponse(render_practice_pdf(practice), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{practice_filename(practice)}"'
    return response


def document_download(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    practice = _readable(request, pk)
    document = get_object_or_404(Document, pk=document_pk, practice=practice)
    response = HttpResponse(bytes(document.content), content_type=document.content_type)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{document.filename}\"; filename*=UTF-8''{quote(document.filename)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def compare(request: HttpRequest) -> HttpResponse:
    published = list(practices_published().order_by("cpts__name", "title"))
    choices = [(str(p.pk), f"{p.title} ({p.cpts.name})") for p in published]
    form = CompareForm(request.GET or None, choices=choices)
    chart = chosen = None
    if request.GET and form.is_valid():
        by_pk = {str(p.pk): p for p in published}
        chosen = [by_pk[pk] for pk in form.cleaned_data["practices"]]
        chart = radar_chart(
            {f"{p.cpts.name} — {p.title}": p.radar for p in chosen},
            title="Radars des actions comparées",
        )
    return render(
        request,
        "practices/compare.html",
        {"form": form, "chart": chart, "chosen": chosen, "radar": definition()},
    )


def resources(request: HttpRequest) -> HttpResponse:
    return render(request, "practices/resources.html", {"resources": regional_resources()})


def propose(request: HttpRequest) -> HttpResponse:
    form = ProposalForm(request.POST or None)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST":
        if form.honeypot_filled:
            # A robot: told the same as a person, and nothing is kept.
            return redirect("practices:propose_thanks")
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.practice_propose(
                    cpts=data["cpts"],
                    values=form.values(),
                    care_types=list(data["care_types"]),
                    client_ip=client_address(),
                    proposer_name=data["proposer_name"],
                    proposer_email=data["proposer_email"],
                )
            except services.TooManyProposals as limited:
                context["rate_limited"] = str(limited)
                response = render(request, "practices/propose.html", context, status=429)
                response["Retry-After"] = str(limited.retry_after)
                return response
            except ValidationError as error:
                show_errors(form, error)
            else:
                return redirect("practices:propose_thanks")
    return render(request, "practices/propose.html", context)


def propose_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "practices/propose_thanks.html")


# --- Writing and review


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    authorized_or_404(user, PRACTICES_MANAGE)
    practices = Practice.objects.select_related("cpts").order_by("-updated_at")
    return render(
        request,
        "practices/manage.html",
        {
            "own": visible(user, PRACTICE_EDIT, practices),
            "reviewer": is_allowed(user, PRACTICE_REVIEW),
            "to_review": visible(user, PRACTICE_REVIEW, practices.filter(status=Status.SUBMITTED)),
            "creatable": visible(user, PRACTICE_CREATE, Cpts.objects.order_by("name")),
        },
    )


def _practice_form_page(
    request: HttpRequest,
    form: PracticeForm,
    *,
    title: str,
    practice: Practice | None = None,
    cpts: Cpts | None = None,
) -> HttpResponse:
    return render(
        request,
        "practices/edit.html",
        {"form": form, "title": title, "practice": practice, "cpts": cpts},
    )


@login_required
def create(request: HttpRequest, slug: str) -> HttpResponse:
    user = user_of(request)
    cpts = get_object_or_404(Cpts, slug=slug)
    authorized_or_404(user, PRACTICE_CREATE, cpts)
    form = PracticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            practice = services.practice_create(
                actor=user,
                cpts=cpts,
                values=form.values(),
                care_types=list(form.cleaned_data["care_types"]),
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, "Brouillon enregistré.")
            return redirect("practices:detail", pk=practice.pk)
    return _practice_form_page(request, form, title=f"Nouvelle action — {cpts.name}", cpts=cpts)


def _editable(request: HttpRequest, pk: int) -> Practice:
    practice = get_object_or_404(Practice.objects.select_related("cpts"), pk=pk)
    authorized_or_404(request.user, PRACTICE_EDIT, practice)
    return practice


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    practice = _editable(request, pk)
    form = PracticeForm(request.POST or None, initial=PracticeForm.initial_of(practice))
    if request.method == "POST" and form.is_valid():
        try:
            services.practice_update(
                actor=user_of(request),
                practice=practice,
                values=form.values(),
                care_types=list(form.cleaned_data["care_types"]),
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, "Modifications enregistrées.")
            return redirect("practices:detail", pk=practice.pk)
    return _practice_form_page(
        request, form, title=f"Modifier — {practice.title}", practice=practice
    )


@login_required
def radar_edit(request: HttpRequest, pk: int) -> HttpResponse:
    practice = _editable(request, pk)
    initial = {code: "" if value is None else str(value) for code, value in practice.radar.items()}
    form = RadarForm(request.POST or None, initial={**initial, "note": practice.radar_note})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.radar_save(
                actor=user_of(request),
                practice=practice,
                ratings=form.ratings(),
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            show_errors(form, error)
            status = 400
        else:
            messages.success(request, "Radar enregistré.")
            return redirect("practices:detail", pk=practice.pk)
    return render(
        request,
        "practices/radar_form.html",
        {"form": form, "practice": practice, "radar": definition()},
        status=status,
    )


@login_required
def documents(request: HttpRequest, pk: int) -> HttpResponse:
    practice = _editable(request, pk)
    form = DocumentForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                services.document_add(
                    actor=user_of(request),
                    practice=practice,
                    kind=form.cleaned_data["kind"],
                    title=form.cleaned_data["title"],
                    name=upload.name,
                    # One byte more than allowed: enough to tell a file too large.
                    content=upload.read(MAX_DOCUMENT_BYTES + 1),
                )
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(request, "Document ajouté.")
                return redirect("practices:documents", pk=practice.pk)
        status = 400
    return render(
        request,
        "practices/documents.html",
        {"form": form, "practice": practice, "documents": practice.documents.all()},
        status=status,
    )


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    practice = _editable(request, pk)
    try:
        services.practice_submit(actor=user_of(request), practice=practice)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Action envoyée à l'équipe régionale pour relecture.")
    return redirect("practices:detail", pk=practice.pk)


@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    practice = get_object_or_404(Practice.objects.select_related("cpts"), pk=pk)
    authorized_or_404(request.user, PRACTICE_REVIEW, practice)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actor = user_of(request)
        decision, comment = form.cleaned_data["decision"], form.cleaned_data["comment"]
        try:
            if decision == "publish":
                services.practice_publish(actor=actor, practice=practice)
                messages.success(request, "Action publiée.")
            elif decision == "changes":
                services.practice_request_changes(actor=actor, practice=practice, comment=comment)
                messages.success(request, "Demande de modifications envoyée à la CPTS.")
            else:
                services.practice_refuse(actor=actor, practice=practice, comment=comment)
                messages.success(request, "Action refusée.")
        except ValidationError as error:
            show_errors(form, error)
        else:
            return redirect("practices:detail", pk=practice.pk)
    return render(
        request,
        "practices/review.html",
        {"form": form, "practice": practice, **_radar_context(practice)},
    )
