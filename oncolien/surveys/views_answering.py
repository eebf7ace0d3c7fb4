"""The answering pages, without an account: a personal link (`/enquetes/r/<token>/`)
or the open link (`/enquetes/o/<token>/`, the response kept by a cookie).

One section per page; the next page shows what the answers saved so far make
applicable. A link whose response was submitted opens only the « Merci » page. An
unknown link is a 404, a revoked link or a closed survey a 410, each with a plain
French page, and nothing is saved.
"""

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from oncolien.surveys import answering
from oncolien.surveys.answering import (
    Access,
    AlreadySubmitted,
    LinkUnavailable,
    RateLimited,
)
from oncolien.surveys.conditions import shown_questions
from oncolien.surveys.forms_answering import (
    StartForm,
    posted_answers,
    question_rows,
    review_rows,
)
from oncolien.surveys.invitations import new_token

PERSONAL, OPEN = "r", "o"
COOKIE_MAX_AGE = 180 * 24 * 3600


def _cookie_name(survey_pk: int) -> str:
    return f"oncolien_enquete_{survey_pk}"


def _private(response: HttpResponseBase) -> HttpResponseBase:
    # The token is in the address: keep it out of caches and of Referer headers.
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


@dataclass
class Link:
    kind: str
    token: str

    def url(self, page: str = "", index: int | None = None) -> str:
        if page == "section":
            return reverse(f"surveys:{self.kind}_section", args=[self.token, index])
        if page == "review":
            return reverse(f"surveys:{self.kind}_review", args=[self.token])
        return reverse(f"surveys:{self.kind}_start", args=[self.token])


def _access(request: HttpRequest, link: Link) -> Access:
    if link.kind == PERSONAL:
        return answering.personal_access(link.token)
    survey_pk = answering.open_survey_pk(link.token)
    resume = request.COOKIES.get(_cookie_name(survey_pk)) if survey_pk else None
    return answering.open_access(link.token, resume)


def _unavailable(request: HttpRequest, refused: LinkUnavailable) -> HttpResponseBase:
    return _private(
        render(
            request,
            "surveys/answer_unavailable.html",
            {"reason": refused.reason, "survey": refused.survey},
            status=refused.status,
        )
    )


def _thanks(request: HttpRequest, access: Access) -> HttpResponseBase:
    assert access.response is not None
    return _private(
        render(
            request,
            "surveys/answer_thanks.html",
            {
                "survey": access.survey,
                "submitted_at": timezone.localtime(access.response.submitted_at),
            },
        )
    )


def _page(request, template: str, context: dict, status: int = 200) -> HttpResponseBase:
    return _private(render(request, template, context, status=status))


def _guarded(view):
    """Resolve the link first: an unusable link gets its page, a submitted response
    its « Merci » page, whatever was asked."""

    def wrapped(request: HttpRequest, token: str, *args, kind: str, **kwargs):
        link = Link(kind, token)
        try:
            access = _access(request, link)
            if access.is_submitted:
                return _thanks(request, access)
            return view(request, link, access, *args, **kwargs)
        except LinkUnavailable as refused:
            return _unavailable(request, refused)
        except AlreadySubmitted:
            return redirect(link.url())

    return wrapped


@_guarded
def answer_start(request: HttpRequest, link: Link, access: Access):
    definition = access.definition
    if access.response is not None:
        point = answering.resume_point(definition, access.response.answers)
        return _page(
            request,
            "surveys/answer_start.html",
            {
                "survey": access.survey,
                "definition": definition,
                "resume_url": link.url("section", point)
                if isinstance(point, int)
                else link.url("review"),
                "resuming": True,
            },
        )
    ask_entry = link.kind == OPEN
    ask_group = link.kind == OPEN or not (access.invitation and access.invitation.group)
    form = StartForm(
        request.POST if request.method == "POST" else None,
        register_id=access.survey.register_id,
        ask_entry=ask_entry,
        ask_group=ask_group,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            resume_token = new_token() if link.kind == OPEN else ""
            try:
                response = answering.response_start(
                    access,
                    entry=form.cleaned_data.get("entry"),
                    group=form.cleaned_data.get("group", ""),
                    resume_token=resume_token,
                )
            except RateLimited as limited:
                minutes = max(1, limited.seconds // 60)
                form.add_error(
                    None,
                    f"Trop de réponses ont été commencées depuis cette connexion : "
                    f"réessayez dans {minutes} minute{'s' if minutes > 1 else ''}.",
                )
                status = 429
            else:
                first = answering.next_section(response.version.definition, response.answers, -1)
                target = link.url("review") if first is None else link.url("section", first)
                reply = redirect(target)
                if resume_token:
                    reply.set_cookie(
                        _cookie_name(access.survey.pk),
                        resume_token,
                        max_age=COOKIE_MAX_AGE,
                        httponly=True,
                        samesite="Lax",
                        secure=request.is_secure(),
                        path=reverse("surveys:o_start", args=[link.token]),
                    )
                return _private(reply)
        else:
            status = 400
    return _page(
        request,
        "surveys/answer_start.html",
        {
            "survey": access.survey,
            "definition": definition,
            "form": form,
            "invitation": access.invitation,
            "resuming": False,
        },
        status=status,
    )


@_guarded
def answer_section(request: HttpRequest, link: Link, access: Access, index: int):
    response = access.response
    if response is None:
        return redirect(link.url())
    definition = response.version.definition
    sections = answering.sections(definition)
    if not 0 <= index < len(sections) or not answering.section_shown(
        definition, response.answers, index
    ):
        return redirect(link.url())
    on_page = answering.questions_on_page(definition, response.answers, index)
    errors: dict[str, str] = {}
    posted = None
    if request.method == "POST":
        action = request.POST.get("action", "next")
        posted = posted_answers(request.POST, on_page)
        errors = answering.section_save(response, index, posted, require=action == "next")
        if not errors:
            response.refresh_from_db()
            if action == "later":
                return _page(
                    request,
                    "surveys/answer_saved.html",
                    {"survey": access.survey, "link": link.url(), "open_link": link.kind == OPEN},
                )
            if action == "previous":
                before = answering.previous_section(definition, response.answers, index)
                return redirect(link.url() if before is None else link.url("section", before))
            after = answering.next_section(definition, response.answers, index)
            return redirect(link.url("review") if after is None else link.url("section", after))
    shown_indexes = [
        i for i in range(len(sections)) if answering.section_shown(definition, response.answers, i)
    ]
    position = shown_indexes.index(index) + 1 if index in shown_indexes else 1
    return _page(
        request,
        "surveys/answer_section.html",
        {
            "survey": access.survey,
            "definition": definition,
            "section": sections[index],
            "rows": question_rows(
                definition, on_page, response.answers, response.other_texts, errors, posted
            ),
            "errors": errors,
            "position": position,
            "total": len(shown_indexes),
            "has_previous": answering.previous_section(definition, response.answers, index)
            is not None,
        },
        status=400 if errors else 200,
    )


@_guarded
def answer_review(request: HttpRequest, link: Link, access: Access):
    response = access.response
    if response is None:
        return redirect(link.url())
    definition = response.version.definition
    missing: dict[str, str] = {}
    if request.method == "POST":
        missing = answering.response_submit(response)
        if not missing:
            return redirect(link.url())
    shown = shown_questions(definition, response.answers)
    rows = review_rows(definition, response.answers, response.other_texts, shown)
    for section in rows:
        section["url"] = link.url("section", section["index"])
        for item in section["items"]:
            item["error"] = missing.get(item["code"], "")
    return _page(
        request,
        "surveys/answer_review.html",
        {"survey": access.survey, "definition": definition, "sections": rows, "missing": missing},
        status=400 if missing else 200,
    )


def start(kind: str):
    def view(request: HttpRequest, token: str) -> HttpResponse:
        return answer_start(request, token, kind=kind)

    return view


def section(kind: str):
    def view(request: HttpRequest, token: str, index: int) -> HttpResponse:
        return answer_section(request, token, index, kind=kind)

    return view


def review(kind: str):
    def view(request: HttpRequest, token: str) -> HttpResponse:
        return answer_review(request, token, kind=kind)

    return view
