"""Answers posted to a questionnaire page: one handling for the professional's page and
the patient's one-time link.

The page's script (`_autosave.html`) posts the whole form after each change with the
header `X-Autosave: 1`: the answers are saved at once, and the reply lists the questions
asked given them, so that a conditional question appears as soon as its condition is
answered. The buttons post the same form without the header (and work without script).
"""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse

from oncolien.accounts.models import User
from oncolien.assessments import services
from oncolien.assessments.engine import enabled_ids
from oncolien.assessments.forms import answers_from_post, errors_of, shown_answers
from oncolien.assessments.models import Assessment
from oncolien.web.http import denied_as_404

# page(answers=…, errors=…, general=…, status=…): the questionnaire shown again.
PageRenderer = Callable[..., HttpResponse]
# after(assessment, completed=…): the reply to a button, once the answers are stored.
AfterSave = Callable[..., HttpResponse]


def answers_posted(
    request: HttpRequest,
    assessment: Assessment,
    *,
    actor: User | None,
    page: PageRenderer,
    after: AfterSave,
) -> HttpResponse:
    definition = assessment.instrument.definition
    raw = answers_from_post(definition, request.POST)
    autosave = request.headers.get("X-Autosave") == "1"
    complete = request.POST.get("action") == "complete" and not autosave
    try:
        with denied_as_404():
            saved = services.assessment_save_answers(
                assessment=assessment, answers=raw, actor=actor
            )
            if complete:
                saved = services.assessment_complete(assessment=saved, actor=actor)
    except ValidationError as error:
        by_item, general = errors_of(error)
        if autosave:
            return JsonResponse({"saved": False, "errors": by_item, "general": general}, status=400)
        # The answers saved before a refused completion stay saved; the page shows what
        # was posted, each refused answer next to its message.
        shown = shown_answers(definition, raw)
        return page(answers=shown, errors=by_item, general=general, status=400)
    if autosave:
        return JsonResponse({"saved": True, "enabled": enabled_ids(definition, saved.answers)})
    return after(saved, completed=complete)
