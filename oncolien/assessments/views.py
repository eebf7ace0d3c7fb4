"""Pages of a professional: start an assessment from the pathway, fill or resume it
(during a visit, on a phone or a computer), read its results. Thin: reads through
`selectors`, writes through `services`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from oncolien.assessments import selectors, services
from oncolien.assessments.forms import StartForm, item_rows
from oncolien.assessments.models import AssessmentStatus, Respondent
from oncolien.assessments.views_answers import answers_posted
from oncolien.pathways.selectors import pathway_for, phase_of
from oncolien.reference.models import CareType
from oncolien.web.forms import show_errors
from oncolien.web.http import denied_as_404, user_of


@login_required
def assessment_new(request, pathway_pk: int):
    pathway = pathway_for(user=request.user, pk=pathway_pk)
    instruments = selectors.instruments_in_use()
    visits = list(pathway.visits.order_by("-occurred_at")[:20])
    defaults = selectors.default_instruments(instruments, phase=phase_of(pathway))
    form = StartForm(
        request.POST or None,
        instruments=instruments,
        visits=visits,
        initial={"instrument": defaults.get(Respondent.PROFESSIONAL)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        visit = next((v for v in visits if v.pk == data["visit"]), None)
        try:
            with denied_as_404():
                assessment = services.assessment_start(
                    actor=request.user,
                    pathway=pathway,
                    instrument_code=data["instrument"],
                    respondent=data["respondent"],
                    visit=visit,
                )
        except ValidationError as error:
            show_errors(form, error)
        else:
            return redirect("assessments:fill", pk=assessment.pk)
    status = 400 if form.errors else 200
    return render(
        request,
        "assessments/new.html",
        {"pathway": pathway, "form": form, "defaults": defaults},
        status=status,
    )


def _fill_page(request, assessment, *, answers=None, errors=None, general=(), status=200):
    definition = assessment.instrument.definition
    answers = assessment.answers if answers is None else answers
    return render(
        request,
        "assessments/fill.html",
        {
            "assessment": assessment,
            "pathway": assessment.pathway,
            "definition": definition,
            "rows": item_rows(definition, answers, errors),
            "errors": errors,
            "general_errors": general,
        },
        status=status,
    )


@login_required
def assessment_fill(request, pk: int):
    assessment = selectors.assessment_for(user=request.user, pk=pk)
    # A post on a finished assessment goes on to be refused with its reason, so that a
    # background save never takes the results page for a success.
    if assessment.status == AssessmentStatus.COMPLETED and request.method != "POST":
        names = dict(CareType.objects.values_list("code", "name"))
        definition = assessment.instrument.definition
        return render(
            request,
            "assessments/result.html",
            {
                "assessment": assessment,
                "pathway": assessment.pathway,
                "needs": selectors.need_rows(assessment.results, names),
                "rows": item_rows(definition, assessment.answers),
                "scales": [
                    (scale["label"], assessment.results.get("scales", {}).get(scale["key"]))
                    for scale in definition.get("scoring", {}).get("scales", [])
                ],
            },
        )
    if request.method != "POST":
        return _fill_page(request, assessment)

    def page(**shown):
        return _fill_page(request, assessment, **shown)

    def after(saved, *, completed: bool):
        if completed:
            messages.success(request, "Évaluation terminée : les besoins sont calculés.")
            return redirect("assessments:fill", pk=pk)
        messages.success(request, "Réponses enregistrées. Vous pourrez reprendre plus tard.")
        pathway_url = reverse("pathways:pathway_detail", kwargs={"pk": saved.pathway_id})
        return redirect(f"{pathway_url}#evaluations")

    return answers_posted(request, assessment, actor=user_of(request), page=page, after=after)
