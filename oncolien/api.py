"""The JSON API under /api/v1/: one NinjaAPI, a router per app, errors in French."""

import functools
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DomainValidationError
from django.db import connection
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.http.multipartparser import MultiPartParserError
from django.urls import URLPattern, URLResolver, re_path
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, Schema, Status, Swagger
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import PathView
from ninja.security import django_auth

from oncolien.accounts.api import router as accounts_router
from oncolien.accounts.authorization import AccessDenied
from oncolien.aftercare.api import router as aftercare_router
from oncolien.api_errors import (
    AUTHENTICATION_REQUIRED,
    INVALID,
    METHOD_NOT_ALLOWED,
    NOT_FOUND,
    UNREADABLE_BODY,
    ErrorOut,
    domain_errors,
    french_http_error,
    french_validation_errors,
)
from oncolien.apitokens.auth import api_token_auth
from oncolien.audit.pending import flush_pending_refusals
from oncolien.directory.api import router as directory_router
from oncolien.idempotency import services as idempotency
from oncolien.pathways.api import router as pathways_router
from oncolien.reference.api import router as reference_router
from oncolien.referrals.api import router as referrals_router
from oncolien.territories.api import router as territories_router
from oncolien.web.database_outage import DATABASE_OUTAGE_ERRORS, api_outage_response

IDEMPOTENCY_PARAMETER = {
    "name": idempotency.HEADER,
    "in": "header",
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": idempotency.MAX_KEY_LENGTH},
    "description": (
        "Clé choisie par le client (un UUID, par exemple) pour pouvoir réessayer une écriture "
        "sans la faire deux fois : la même clé, du même compte, avec la même requête, renvoie "
        "la première réponse (statut et corps, en-tête « Idempotent-Replayed: true ») sans rien "
        "créer ; la même clé avec une autre requête est refusée (422). Une clé vaut 24 heures ; "
        "une écriture refusée ou échouée ne la garde pas."
    ),
}


def _query_names(path_view: PathView | None, request) -> set[str] | None:
    """The query parameters the operation answering `request` declares (None: not known)."""
    if path_view is None:
        return None
    operation = path_view._find_operation(request)
    if operation is None:
        return None
    names: set[str] = set()
    for model in operation.signature.models:
        if model.__ninja_param_source__ != "query":
            continue
        flatten_map = getattr(model, "__ninja_flatten_map__", {}) or {}
        names.update(flatten_map)
        # A schema given whole (`paging: Query[PageParams]`) is no parameter itself.
        containers = {path[0] for path in flatten_map.values() if len(path) > 1}
        for name, field in model.model_fields.items():
            if name not in containers:
                names.update({name, field.alias or name})
    return names


def _path_view_of(view) -> PathView | None:
    # Ninja's URL callback is a closure over its PathView (the operations of one path).
    for cell in getattr(view, "__closure__", None) or ():
        if isinstance(cell.cell_contents, PathView):
            return cell.cell_contents
    return None


_NUL_MESSAGE = "Valeur refusée : elle contient un caractère nul (U+0000)."


def _nul_characters(request, path_values: dict) -> list[dict[str, str]]:
    """The fields holding a NUL character: PostgreSQL text cannot store one, and no
    search, code or name ever contains it, so it is refused before anything is read."""
    fields = [name for name, value in path_values.items() if "\x00" in str(value)]
    fields += [name for name, values in request.GET.lists() if any("\x00" in v for v in values)]
    if request.content_type == "application/json" and request.method in ("POST", "PUT", "PATCH"):
        body = request.body
        # A JSON string writes it escaped (\u0000); a raw NUL byte is no valid JSON either.
        if b"\x00" in body or b"\\u0000" in body.lower():
            fields.append("body")
    return [{"field": name, "message": _NUL_MESSAGE, "type": "nul_character"} for name in fields]


def _strict_json_route(view):
    """Ninja answers a method it does not route with a text/html 405, and ignores query
    parameters it does not know; the API answers JSON, and refuses a parameter it would
    otherwise silently ignore (a misspelt filter must not look like an empty result)."""
    path_view = _path_view_of(view)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        known = _query_names(path_view, request)
        unknown = sorted(set(request.GET) - known) if known is not None else []
        if known is not None and unknown:
            possible = ", ".join(sorted(known)) or "aucun"
            return error_response(
                request,
                422,
                INVALID,
                [
                    {
                        "field": name,
                        "message": f"Paramètre inconnu. Paramètres possibles : {possible}.",
                        "type": "unknown_parameter",
                    }
                    for name in unknown
                ],
            )
        if refused := _nul_characters(request, kwargs):
            return error_response(request, 422, INVALID, refused)
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            refusal = error_response(request, 405, METHOD_NOT_ALLOWED)
            refusal["Allow"] = response["Allow"]
            return refusal
        return response

    return wrapper


@csrf_exempt
def _unknown_route(request, rest: str = ""):
    return error_response(request, 404, NOT_FOUND)


# Every operation may answer these, always in the shape `ErrorOut`.
REFUSALS = {
    "400": "Corps de requête illisible (JSON invalide, formulaire mal formé).",
    "401": "Authentification requise (opérations non publiques).",
    "403": "Vérification en deux étapes manquante, ou jeton CSRF absent pour une écriture.",
    "404": "Ressource introuvable, ou que le compte n'a pas le droit de voir.",
    "422": "Données refusées : un élément de `errors` par champ, avec le motif en français.",
}
SERVERS = [{"url": "/", "description": "Ce serveur OncoLien (chemins sous /api/v1/)."}]


class OncoLienApi(NinjaAPI):
    def _get_urls(self) -> list[URLResolver | URLPattern]:
        """Every route answers JSON, a 405 too, and refuses unknown query parameters; any
        other path under /api/v1/ is a JSON 404."""
        patterns = super()._get_urls()
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                pattern.callback = _strict_json_route(pattern.callback)
        return [*patterns, re_path(r"^(?P<rest>[\s\S]*)$", _unknown_route, name="unknown-route")]

    def get_openapi_schema(self, **kwargs: Any) -> OpenAPISchema:
        """The generated document, with the Idempotency-Key header on every write (POST),
        which the middleware `idempotency.middleware` honours."""
        schema = super().get_openapi_schema(**kwargs)
        schema["servers"] = SERVERS
        schema["components"].setdefault("schemas", {}).update(
            ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")["$defs"]
        )
        schema["components"]["schemas"]["ErrorOut"] = ErrorOut.model_json_schema(
            ref_template="#/components/schemas/{model}"
        )
        schema["components"]["schemas"]["ErrorOut"].pop("$defs", None)
        for item in schema["paths"].values():
            if "post" in item:
                item["post"].setdefault("parameters", []).append(IDEMPOTENCY_PARAMETER)
            for operation in item.values():
                responses = operation.setdefault("responses", {})
                for status, description in REFUSALS.items():
                    if int(status) in responses:
                        continue  # documented by the operation itself (ninja's int keys)
                    responses.setdefault(
                        status,
                        {
                            "description": description,
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/ErrorOut"}
                                }
                            },
                        },
                    )
        return schema


api = OncoLienApi(
    title="OncoLien API",
    version="1",
    description=(
        "API de la plateforme OncoLien (soins oncologiques de support en CPTS). "
        "Les points d'accès publics ne demandent pas d'authentification ; les autres "
        "demandent une session ouverte (et la vérification en deux étapes pour les "
        "rôles qui voient des données de patients) ou un jeton d'accès personnel "
        "(en-tête « Authorization: Bearer <jeton> »), créé depuis « Mon compte »."
    ),
    urls_namespace="api",
    docs_url="/docs",
    # No validator badge: Swagger UI would send the schema's address to an outside
    # service and load an image from it (refused by the CSP's img-src anyway).
    docs=Swagger(settings={"validatorUrl": None}),
    openapi_url="/openapi.json",
)


class HealthOut(Schema):
    status: str
    database: str
    version: str


@api.get("/health", response={200: HealthOut, 503: HealthOut}, tags=["système"], auth=None)
def health(request):
    """État du service et de sa base de données."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
    except Exception:  # noqa: BLE001 - any database failure means "unavailable"
        return Status(503, {"status": "indisponible", "database": "erreur", "version": api.version})
    return Status(200, {"status": "ok", "database": database, "version": api.version})


# The routers that need a signed-in user take a personal API token (Authorization:
# Bearer) or the session cookie (with its CSRF check); an operation that says
# auth=None stays public.
SIGNED_IN = [api_token_auth, django_auth]
api.add_router("/accounts/", accounts_router, auth=SIGNED_IN)
api.add_router("/reference/", reference_router)
api.add_router("/territories/", territories_router)
api.add_router("/directory/", directory_router)
api.add_router("/pathways/", pathways_router, auth=SIGNED_IN)
api.add_router("/referrals/", referrals_router, auth=SIGNED_IN)
api.add_router("/aftercare/", aftercare_router, auth=SIGNED_IN)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    return error_response(request, 422, INVALID, french_validation_errors(list(exc.errors)))


@api.exception_handler(DomainValidationError)
def on_domain_validation_error(request, exc: DomainValidationError):
    # A service refused the data and changed nothing (it validates before writing,
    # in one transaction): the same 422 as a request the schema refuses.
    detail = getattr(exc, "detail", INVALID)
    return error_response(request, 422, detail, domain_errors(exc))


@api.exception_handler(AuthenticationError)
def on_authentication_error(request, exc):
    return error_response(request, 401, AUTHENTICATION_REQUIRED)


@api.exception_handler(AccessDenied)
def on_access_denied(request, exc: AccessDenied):
    # Patient data answers "not found" to those who may not see it, so that its
    # existence is not disclosed; the denial itself is in the audit trail, or
    # written here once the endpoint's transaction is over.
    flush_pending_refusals()
    return error_response(request, 404, NOT_FOUND)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return error_response(request, 404, NOT_FOUND)


@api.exception_handler(MultiPartParserError)
def on_unreadable_body(request, exc):
    # Raised while the CSRF check reads a form body (e.g. multipart without boundary).
    return error_response(request, 400, UNREADABLE_BODY)


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    return error_response(request, exc.status_code, french_http_error(str(exc)))


# The database out of reach (a restart, a failover): a 503 to try again, not a 500.
for _outage_error in DATABASE_OUTAGE_ERRORS:
    api.add_exception_handler(_outage_error, api_outage_response)


@api.exception_handler(Exception)
def on_unexpected_error(request, exc):
    if settings.DEBUG:
        raise exc
    logging.getLogger("oncolien.api").exception("Erreur non gérée dans l'API")
    return error_response(request, 500, "Erreur interne du serveur. L'incident a été journalisé.")


def error_response(request, status: int, detail: str, errors=()) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "errors": list(errors)}, status=status)
