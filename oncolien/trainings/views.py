"""Pages of the roster of trained professionals and of their trainings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from oncolien.accounts.authorization import is_allowed, visible
from oncolien.territories.models import Cpts
from oncolien.trainings import selectors, services
from oncolien.trainings.access import ROSTER_EDIT, ROSTER_VIEW
from oncolien.trainings.forms import ProfessionalForm, SessionFormSet, TrainingForm
from oncolien.trainings.models import TrainedProfessional, Training
from oncolien.web.forms import show_errors
from oncolien.web.http import authorized_or_404, denied_as_404, deny, user_of


@login_required
def index(request: HttpRequest) -> HttpResponse:
    cpts_list = list(visible(request.user, ROSTER_VIEW, Cpts.objects.order_by("name")))
    if not cpts_list:
        deny(request.user, ROSTER_VIEW)
    if len(cpts_list) == 1:
        return redirect("trainings:roster", slug=cpts_list[0].slug)
    return render(request, "trainings/index.html", {"cpts_list": cpts_list})


def _cpts(request: HttpRequest, slug: str, permission: str) -> Cpts:
    cpts = get_object_or_404(Cpts, slug=slug)
    authorized_or_404(request.user, permission, cpts)
    return cpts


@login_required
def roster(request: HttpRequest, slug: str) -> HttpResponse:
    cpts = _cpts(request, slug, ROSTER_VIEW)
    return render(
        request,
        "trainings/roster.html",
        {
            "roster": selectors.roster_of(cpts),
            "cpts": cpts,
            "may_edit": is_allowed(request.user, ROSTER_EDIT, cpts),
        },
    )


@login_required
def professional_add(request: HttpRequest, slug: str) -> HttpResponse:
    cpts = _cpts(request, slug, ROSTER_EDIT)
    form = ProfessionalForm(request.POST or None, cpts=cpts)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                with denied_as_404():
                    professional = services.professional_add(
                        actor=user_of(request),
                        cpts=cpts,
                        user=data["user"],
                        last_name=data["last_name"],
                        first_name=data["first_name"],
                        profession=data["profession"],
                        rpps=data["rpps"],
                    )
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(request, f"{professional} ajouté·e à la liste.")
                return redirect("trainings:roster", slug=cpts.slug)
    return render(
        request, "trainings/professional_form.html", {"cpts": cpts, "form": form}, status=status
    )


@login_required
@require_POST
def professional_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    cpts = _cpts(request, slug, ROSTER_EDIT)
    professional = get_object_or_404(TrainedProfessional, pk=pk, cpts=cpts)
    name = str(professional)
    with denied_as_404():
        services.professional_remove(actor=user_of(request), professional=professional)
    messages.success(request, f"{name} retiré·e de la liste.")
    return redirect("trainings:roster", slug=cpts.slug)


def _session_initial(training: Training | None) -> list[dict[str, object]]:
    if training is None:
        return []
    rows = []
    for session in training.sessions.all():
        start = timezone.localtime(session.starts_at)
        rows.append(
            {
                "day": start.date(),
                "start": start.time(),
                "end": timezone.localtime(session.ends_at).time(),
                "hours": session.hours,
            }
        )
    return rows


@login_required
def training_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    cpts = _cpts(request, slug, ROSTER_EDIT)
    training = get_object_or_404(Training, pk=pk, cpts=cpts) if pk is not None else None
    initial = (
        {
            "title": training.title,
            "organiser": training.organiser,
            "place": training.place,
            "remote": training.remote,
            "description": training.description,
            "participants": list(training.participants.values_list("pk", flat=True)),
        }
        if training is not None
        else None
    )
    form = TrainingForm(request.POST or None, initial=initial, cpts=cpts)
    sessions = SessionFormSet(
        request.POST or None, initial=_session_initial(training), prefix="seances"
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid() and sessions.is_valid():
            data = form.cleaned_data
            values = [s.values() for s in sessions if s.has_changed() and s.cleaned_data]
            try:
                with denied_as_404():
                    saved = services.training_save(
                        actor=user_of(request),
                        cpts=cpts,
                        title=data["title"],
                        organiser=data["organiser"],
                        place=data["place"],
                        remote=data["remote"],
                        description=data["description"],
                        participants=data["participants"],
                        sessions=values,
                        training=training,
                    )
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(request, f"Formation « {saved.title} » enregistrée.")
                return redirect("trainings:roster", slug=cpts.slug)
    return render(
        request,
        "trainings/training_form.html",
        {"cpts": cpts, "form": form, "sessions": sessions, "training": training},
        status=status,
    )


@login_required
@require_POST
def training_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    cpts = _cpts(request, slug, ROSTER_EDIT)
    training = get_object_or_404(Training, pk=pk, cpts=cpts)
    title = training.title
    with denied_as_404():
        services.training_delete(actor=user_of(request), training=training)
    messages.success(request, f"Formation « {title} » supprimée.")
    return redirect("trainings:roster", slug=cpts.slug)
