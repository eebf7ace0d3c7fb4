"""FHIR reads of needs assessments.

- `[base]/Questionnaire/[code]-[version]`: public, an instrument is no patient data.
- `[base]/QuestionnaireResponse/[id]`: patient data, only for a signed-in user who
  may see the assessment's pathway (the session, and `pathway_for`'s rule, audited).
  Anyone else, signed in or not, gets the same 404 OperationOutcome as for an id
  that does not exist.
"""

from django.http import Http404, HttpRequest, HttpResponse

from oncolien.assessments.models import InstrumentVersion
from oncolien.assessments.selectors import assessment_for
from oncolien.fhir.resources_assessments import (
    questionnaire_id,
    questionnaire_resource,
    questionnaire_response_resource,
)
from oncolien.fhir.responses import fhir_response, fhir_view, not_found, public_resource
from oncolien.numbers import as_id


@public_resource
@fhir_view
def questionnaire_read(request: HttpRequest, resource_id: str) -> HttpResponse:
    # Codes hold dashes, so the id cannot be split back into code and version; the
    # table holds a few dozen rows at most, so matching every id is cheap.
    for version in InstrumentVersion.objects.all():
        if questionnaire_id(version) == resource_id:
            return fhir_response(questionnaire_resource(version), request=request)
    raise not_found("Questionnaire", resource_id)


@fhir_view
def questionnaire_response_read(request: HttpRequest, resource_id: str) -> HttpResponse:
    if as_id(resource_id) is None:
        raise not_found("QuestionnaireResponse", resource_id)
    try:
        assessment = assessment_for(
            user=request.user, pk=as_id(resource_id) or 0, action="assessment.fhir_read"
        )
    except Http404:
        raise not_found("QuestionnaireResponse", resource_id) from None
    return fhir_response(questionnaire_response_resource(assessment), request=request)
