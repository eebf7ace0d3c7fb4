"""FHIR HTTP plumbing shared by every FHIR endpoint of OncoLien.

- `fhir_response()` serialises a resource as `application/fhir+json`;
- `FhirError` is raised by any layer and becomes an OperationOutcome whose
  diagnostics are French sentences for the person reading the client's logs;
- `fhir_view` wraps a view: read-only methods, the `_format` parameter, and
  FhirError → OperationOutcome.
"""

import json
from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

FHIR_JSON = "application/fhir+json"
CONTENT_TYPE = f"{FHIR_JSON}; charset=utf-8"
FHIR_VERSION = "4.0.1"

# What `_format` may ask for; XML and Turtle are not served.
JSON_FORMATS = {"json", "application/json", FHIR_JSON, "application/json+fhir"}


class FhirError(Exception):
    """An error the client must see as an OperationOutcome.

    `code` is from the FHIR IssueType value set (invalid, not-found,
    not-supported…); `diagnostics` is French.
    """

    def __init__(self, status: int, code: str, diagnostics: str, *, severity: str = "error"):
        super().__init__(diagnostics)
        self.status = status
        self.code = code
        self.diagnostics = diagnostics
        self.severity = severity


def operation_outcome(issues: list[tuple[str, str, str]]) -> dict:
    """An OperationOutcome from (severity, code, French diagnostics) triples."""
    return {
        "resourceType": "OperationOutcome",
        "issue": [
            {"severity": severity, "code": code, "diagnostics": diagnostics}
            for severity, code, diagnostics in issues
        ],
    }


def fhir_response(
    resource: dict, *, status: int = 200, request: HttpRequest | None = None
) -> HttpResponse:
    pretty = request is not None and request.GET.get("_pretty") == "true"
    body = json.dumps(resource, ensure_ascii=False, indent=2 if pretty else None)
    return HttpResponse(body, status=status, content_type=CONTENT_TYPE)


def error_response(error: FhirError, request: HttpRequest | None = None) -> HttpResponse:
    outcome = operation_outcome([(error.severity, error.code, error.diagnostics)])
    response = fhir_response(outcome, status=error.status, request=request)
    if error.status == 405:
        response["Allow"] = "GET, HEAD"
    return response


def _check_format(request: HttpRequest) -> None:
    wanted = request.GET.get("_format")
    if wanted is not None and wanted.strip().lower() not in JSON_FORMATS:
        raise FhirError(
            406,
            "not-supported",
            f"Le format « {wanted} » n'est pas disponible : ce serveur ne sert que du JSON "
            f"({FHIR_JSON}).",
        )


def fhir_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Turn a function returning a FHIR response into a read-only FHIR endpoint.

    CSRF checks are lifted because such an endpoint accepts no write: a POST
    gets a 405 OperationOutcome instead of Django's HTML 403 page, which a FHIR
    client could not read. An endpoint that writes (e.g. a future
    QuestionnaireResponse create) must not use this decorator: it needs its
    own, keeping CSRF protection or requiring token authentication.
    """

    @csrf_exempt
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            if request.method not in ("GET", "HEAD"):
                raise FhirError(
                    405,
                    "not-supported",
                    f"La méthode {request.method} n'est pas acceptée : cette adresse FHIR est "
                    "en lecture seule (GET).",
                )
            _check_format(request)
            return view(request, *args, **kwargs)
        except FhirError as error:
            return error_response(error, request)

    return wrapper


def public_resource(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark a FHIR endpoint that serves no patient data (the directory, the code
    systems, the questionnaires' definitions): the second-factor gate lets a signed-in
    user who has not entered their code yet read it, as anyone may. Every other FHIR
    endpoint gets the same second-factor rule as the pages and the API
    (`accounts.middleware.RequireTwoFactorMiddleware` reads this attribute)."""
    view.two_factor_exempt = True  # type: ignore[attr-defined]
    return view


def not_found(resource_type: str, resource_id: str) -> FhirError:
    return FhirError(
        404,
        "not-found",
        f"Aucune ressource {resource_type} ne porte l'identifiant « {resource_id} ».",
    )
