"""`Idempotency-Key` on the API's writes: a retried POST gets the first answer again.

A client that lost an answer (network cut, timeout) sends its write again with the
same key; the write is not done a second time. One key per user, for 24 hours,
for one request (same method, path and body): the same key for another request is
refused with a French 422 in the API's error shape. Only successful answers are
kept; a refused or failed write frees its key.
"""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse

from oncolien.api_errors import INVALID, domain_errors
from oncolien.idempotency import services

API_PREFIX = "/api/v1/"


class IdempotencyKeyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get(services.HEADER)
        if (
            key is None
            or request.method != "POST"
            or not request.path.startswith(API_PREFIX)
            or not request.user.is_authenticated
        ):
            return self.get_response(request)
        try:
            claim = services.begin(
                user=request.user,
                key=key,
                request_fingerprint=services.fingerprint(
                    method=request.method, path=request.get_full_path(), body=request.body
                ),
            )
        except ValidationError as error:
            in_progress = any(e["type"] == "in_progress" for e in domain_errors(error))
            return JsonResponse(
                {"detail": INVALID, "errors": domain_errors(error)},
                status=409 if in_progress else 422,
            )
        if isinstance(claim, services.Replay):
            replayed = HttpResponse(
                claim.body, status=claim.status_code, content_type=claim.content_type
            )
            replayed["Idempotent-Replayed"] = "true"
            return replayed
        try:
            response = self.get_response(request)
        except BaseException:
            services.abandon(claim)
            raise
        if 200 <= response.status_code < 300 and not response.streaming:
            services.finish(
                claim,
                status_code=response.status_code,
                content_type=response.get("Content-Type", ""),
                body=response.content,
            )
        else:
            services.abandon(claim)
        return response
