"""Public, read-only API of the reference data (mounted at /api/v1/reference/)."""

from datetime import datetime

from django.http import HttpResponse
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.renderers import JSONRenderer

from oncolien.api_errors import ErrorOut
from oncolien.pagination import PageOut, PageParams, envelope, page_of

from . import selectors

router = Router(tags=["reference"])
# The API's own renderer (django-ninja's JSON), for a list rendered without validation.
_JSON = JSONRenderer()


class ProfessionOut(Schema):
    code: str
    name: str


class CareTypeOut(Schema):
    code: str
    name: str
    short_description: str
    basket: bool
    is_core: bool
    position: int
    active: bool
    professions: list[ProfessionOut]


class ProfessionWithCaresOut(Schema):
    code: str
    name: str
    care_types: list[str]

    @staticmethod
    def resolve_care_types(obj) -> list[str]:
        return [care_type.code for care_type in obj.care_types.all()]


class PhaseOut(Schema):
    code: str
    label: str
    title: str
    description: str


class SourceOut(Schema):
    title: str
    publisher: str = ""
    date: str = ""
    url: str = ""
    note: str = ""


class VersionOut(Schema):
    version: str
    checksum: str
    loaded_at: datetime
    sources: list[SourceOut]


# The reference data is public: every operation says auth=None so that an API-wide
# authentication set by the project does not apply here.


@router.get("/care-types", response={200: PageOut[CareTypeOut], 422: ErrorOut}, auth=None)
def list_care_types(request, paging: Query[PageParams]):
    """Active supportive cares in display order, with the professions qualified to deliver them."""
    # Plain rows rendered as they are: validating the model objects against the
    # schema took 90 % of the request (cProfile); the tests check the shape instead.
    shown = page_of(selectors.care_types_for_api(), paging.page, paging.page_size)
    body = envelope(request, shown, shown.items)
    content = _JSON.render(request, body, response_status=200)
    return HttpResponse(content, content_type=f"{_JSON.media_type}; charset={_JSON.charset}")


@router.get("/care-types/{code}", response=CareTypeOut, auth=None)
def get_care_type(request, code: str):
    """One supportive care by code; an inactive (withdrawn) care still resolves."""
    care_type = selectors.care_type_by_code(code=code)
    if care_type is None:
        raise HttpError(404, f"Aucun soin de support n'a le code « {code} ».")
    return care_type


@router.get(
    "/professions", response={200: PageOut[ProfessionWithCaresOut], 422: ErrorOut}, auth=None
)
def list_professions(request, paging: Query[PageParams]):
    """Active professions, each with the codes of the cares it may deliver."""
    shown = page_of(selectors.professions_for_display(), paging.page, paging.page_size)
    return envelope(request, shown, shown.items)


@router.get("/phases", response={200: PageOut[PhaseOut], 422: ErrorOut}, auth=None)
def list_phases(request, paging: Query[PageParams]):
    """The three pathway phases in order."""
    shown = page_of(selectors.phases_for_display(), paging.page, paging.page_size)
    return envelope(request, shown, shown.items)


@router.get("/version", response=VersionOut, auth=None)
def get_version(request):
    """The version of the reference data file currently loaded."""
    version = selectors.current_reference_version()
    if version is None:
        raise HttpError(404, "Aucune donnée de référence n'est chargée.")
    return version
