"""FHIR reads of referrals: `[base]/ServiceRequest/[id]` and `[base]/Task/[id]`.

Patient data: only for a signed-in user who may see the referral's pathway (the
session, and `pathway_for`'s rule, audited). Anyone else, signed in or not, gets
the same 404 OperationOutcome as for an id that does not exist.
"""

from django.http import Http404, HttpRequest, HttpResponse

from oncolien.fhir.resources_referrals import service_request_resource, task_resource
from oncolien.fhir.responses import fhir_response, fhir_view, not_found
from oncolien.numbers import as_id
from oncolien.referrals.selectors import referral_for


def _referral(request: HttpRequest, resource_type: str, resource_id: str):
    if as_id(resource_id) is None:
        raise not_found(resource_type, resource_id)
    try:
        return referral_for(
            user=request.user, pk=as_id(resource_id) or 0, action="referral.fhir_read"
        )
    except Http404:
        raise not_found(resource_type, resource_id) from None


@fhir_view
def service_request_read(request: HttpRequest, resource_id: str) -> HttpResponse:
    referral = _referral(request, "ServiceRequest", resource_id)
    return fhir_response(service_request_resource(referral), request=request)


@fhir_view
def task_read(request: HttpRequest, resource_id: str) -> HttpResponse:
    referral = _referral(request, "Task", resource_id)
    return fhir_response(task_resource(referral), request=request)
