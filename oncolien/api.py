"""The JSON API under /api/v1/: one NinjaAPI, a router per app, errors in French."""

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DomainValidationError
from django.db import connection
from django.http import Http404
from ninja import NinjaAPI, Schema, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.security import django_auth

from oncolien.accounts.api import router as accounts_router
from oncolien.accounts.authorization import AccessDenied
from oncolien.aftercare.api import router as aftercare_router
from oncolien.api_errors import INVALID, domain_errors, french_validation_errors
from oncolien.apitokens.auth import api_token_auth
from oncolien.audit.pending import flush_pending_refusals
from oncolien.directory.api import router as directory_router
from oncolien.idempotency import services as idempotency
from oncolien.pathways.api import router as pathways_router
from oncolien.reference.api import router as reference_router
from oncolien.referrals.api import router as referrals_router
from oncolien.territories.api import router as territories_router

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


class OncoLienApi(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> OpenAPISchema:
        """The generated document, with the Idempotency-Key header on every write (POST),
        which the middleware `idempotency.middleware` honours."""
        schema = super().get_openapi_schema(**kwargs)
        for item in schema["paths"].values():
            if "post" in item:
                item["post"].setdefault("parameters", []).append(IDEMPOTENCY_PARAMETER)
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
    return api.create_response(
        request,
        {"detail": INVALID, "errors": french_validation_errors(list(exc.errors))},
        status=422,
    )


@api.exception_handler(DomainValidationError)
def on_domain_validation_error(request, exc: DomainValidationError):
    # A service refused the data and changed nothing (it validates before writing,
    # in one transaction): the same 422 as a request the schema refuses.
    detail = getattr(exc, "detail", INVALID)
    return api.create_response(
        request, {"detail": detail, "errors": domain_errors(exc)}, status=422
    )


@api.exception_handler(AuthenticationError)
def on_authentication_error(request, exc):
    return api.create_response(request, {"detail": "Authentification requise."}, status=401)


@api.exception_handler(AccessDenied)
def on_access_denied(request, exc: AccessDenied):
    # Patient data answers "not found" to those who may not see it, so that its
    # existence is not disclosed; the denial itself is in the audit trail, or
    # written here once the endpoint's transaction is over.
    flush_pending_refusals()
    return api.create_response(request, {"detail": "Ressource introuvable."}, status=404)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return api.create_response(request, {"detail": "Ressource introuvable."}, status=404)


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


@api.exception_handler(Exception)
def on_unexpected_error(request, exc):
    if settings.DEBUG:
        raise exc
    logging.getLogger("oncolien.api").exception("Erreur non gérée dans l'API")
    return api.create_response(
        request, {"detail": "Erreur interne du serveur. L'incident a été journalisé."}, status=500
    )
