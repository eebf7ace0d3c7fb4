"""FHIR REST API, mounted at /fhir/: `[base]/[type]` searches, `[base]/[type]/[id]` reads.

FHIR URLs carry no trailing slash; one is tolerated. Anything else under the
base answers with a 404 OperationOutcome, as a FHIR client expects.
"""

from django.urls import path, re_path

from oncolien.fhir import views, views_assessments, views_referrals

app_name = "fhir"

# FHIR logical ids: letters, digits, '-' and '.', 1 to 64 characters.
ID = r"(?P<resource_id>[A-Za-z0-9\-.]{1,64})"

urlpatterns = [
    re_path(r"^metadata/?$", views.metadata, name="metadata"),
    re_path(
        r"^HealthcareService/?$", views.healthcare_service_search, name="healthcareservice_search"
    ),
    re_path(
        rf"^HealthcareService/{ID}/?$", views.healthcare_service_read, name="healthcareservice"
    ),
    re_path(r"^Organization/?$", views.organization_search, name="organization_search"),
    re_path(rf"^Organization/{ID}/?$", views.organization_read, name="organization"),
    re_path(r"^Location/?$", views.location_search, name="location_search"),
    re_path(rf"^Location/{ID}/?$", views.location_read, name="location"),
    re_path(rf"^CodeSystem/{ID}/?$", views.code_system_read, name="codesystem"),
    # Patient data: signed-in users who may see the pathway, 404 for everyone else.
    re_path(
        rf"^ServiceRequest/{ID}/?$", views_referrals.service_request_read, name="servicerequest"
    ),
    re_path(rf"^Task/{ID}/?$", views_referrals.task_read, name="task"),
    re_path(rf"^Questionnaire/{ID}/?$", views_assessments.questionnaire_read, name="questionnaire"),
    re_path(
        rf"^QuestionnaireResponse/{ID}/?$",
        views_assessments.questionnaire_response_read,
        name="questionnaireresponse",
    ),
    path("", views.unknown_resource, name="base"),
    path("<path:path>", views.unknown_resource),
]
