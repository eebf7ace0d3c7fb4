"""Public, read-only API of communes and CPTS (mounted at /api/v1/territories/)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from oncolien.api_errors import ErrorOut
from oncolien.pagination import MAX_PAGE, PageOut, PageParams, envelope, page_of

from . import lookups, selectors
from .models import Commune, Cpts

router = Router(tags=["territories"])

MAX_RESULTS = 100


class DepartmentOut(Schema):
    code: str
    name: str


class CommuneOut(Schema):
    insee_code: str
    name: str
    department: DepartmentOut
    population: int
    latitude: float
    longitude: float
    postal_codes: list[str]

    @staticmethod
    def resolve_postal_codes(obj: Commune) -> list[str]:
        return sorted(postal_code.code for postal_code in obj.postal_codes.all())


class CommuneSearchOut(PageOut[CommuneOut]):
    pass


class CptsOut(Schema):
    slug: str
    name: str
    is_demo: bool
    commune_count: int
    population: int
    size_class: int
    departments: list[DepartmentOut]
    contact_email: str
    contact_phone: str
    website: str
    aci_signed_on: date | None


class CptsCommuneOut(Schema):
    insee_code: str
    name: str
    department_code: str
    population: int
    latitude: float
    longitude: float


class CptsDetailOut(CptsOut):
    communes: list[CptsCommuneOut]


def _cpts_out(summary: selectors.CptsSummary) -> dict:
    cpts = summary.cpts
    return {
        "slug": cpts.slug,
        "name": cpts.name,
        "is_demo": cpts.is_demo,
        "commune_count": summary.commune_count,
        "population": summary.population,
        "size_class": summary.size_class,
        "departments": [{"code": d.code, "name": d.name} for d in summary.departments],
        "contact_email": cpts.contact_email,
        "contact_phone": cpts.contact_phone,
        "website": cpts.website,
        "aci_signed_on": cpts.aci_signed_on,
    }


def _search_communes(
    *, insee: str | None, name: str | None, department: str | None, postal_code: str | None
) -> QuerySet[Commune]:
    if name:
        communes = lookups.communes_by_name(name)
    else:
        communes = Commune.objects.select_related("department").order_by(
            "-population", "insee_code"
        )
    if insee:
        insee = insee.strip().upper()
        if not lookups.INSEE_CODE_RE.match(insee):
            raise ValidationError(
                {
                    "insee": f"« {insee} » n'est pas un code INSEE de commune : "
                    "5 caractères attendus."
                }
            )
        communes = communes.filter(insee_code=insee)
    if postal_code:
        postal_code = postal_code.strip()
        if not lookups.POSTAL_CODE_RE.match(postal_code):
            raise ValidationError(
                {
                    "postal_code": f"« {postal_code} » n'est pas un code postal : 5 chiffres attendus."
                }
            )
        communes = communes.filter(postal_codes__code=postal_code)
    if department:
        communes = communes.filter(department__code=lookups.normalize_department_code(department))
    return communes.prefetch_related("postal_codes")


@router.get("/communes", response={200: CommuneSearchOut, 422: ErrorOut}, auth=None)
def search_communes(
    request,
    insee: str | None = None,
    name: str | None = None,
    department: str | None = None,
    postal_code: str | None = None,
    page: int = Query(1, ge=1, le=MAX_PAGE),
    page_size: int = Query(20, ge=1, le=MAX_RESULTS),
):
    """Communes par code INSEE, nom (sans tenir compte des accents ni de la casse),
    département ou code postal ; les critères se combinent. Par pages de `page_size` résultats (au plus 100),
    les plus peuplées d'abord (après les noms exacts pour une recherche par nom) ;
    `count` donne le nombre total de communes trouvées."""
    if not any(value and value.strip() for value in (insee, name, department, postal_code)):
        raise ValidationError(
            "Précisez au moins un critère de recherche : insee, name, department ou postal_code."
        )
    communes = _search_communes(
        insee=insee, name=name, department=department, postal_code=postal_code
    )
    shown = page_of(communes, page, page_size)
    return envelope(request, shown, shown.items)


@router.get("/communes/{insee_code}", response=CommuneOut, auth=None)
def get_commune(request, insee_code: str):
    """Une commune par son code INSEE."""
    try:
        commune = lookups.commune_by_insee(insee_code)
    except lookups.CommuneNotFound as error:
        raise HttpError(404, str(error)) from error
    return commune


@router.get("/cpts", response={200: PageOut[CptsOut], 422: ErrorOut}, auth=None)
def list_cpts(request, paging: Query[PageParams]):
    """Les CPTS, avec leur population et leur taille ACI calculées, par pages."""
    shown = page_of(selectors.cpts_summaries(), paging.page, paging.page_size)
    return envelope(request, shown, [_cpts_out(summary) for summary in shown.items])


@router.get("/cpts/{slug}", response=CptsDetailOut, auth=None)
def get_cpts(request, slug: str):
    """Une CPTS et ses communes."""
    cpts = Cpts.objects.filter(slug=slug).first()
    if cpts is None:
        raise HttpError(404, f"Aucune CPTS ne porte l'identifiant « {slug} ».")
    communes = [
        {
            "insee_code": commune.insee_code,
            "name": commune.name,
            "department_code": commune.department.code,
            "population": commune.population,
            "latitude": commune.latitude,
            "longitude": commune.longitude,
        }
        for commune in selectors.cpts_communes(cpts=cpts)
    ]
    return _cpts_out(selectors.cpts_summary(cpts=cpts)) | {"communes": communes}
