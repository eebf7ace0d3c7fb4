from django.apps import AppConfig


class FhirConfig(AppConfig):
    name = "oncolien.fhir"
    label = "fhir"
    verbose_name = "FHIR"

    def ready(self):
        from oncolien.web.public_cache import register_public_paths

        # The directory's resources only: the patient resources (ServiceRequest, Task,
        # QuestionnaireResponse) are never answered to an anonymous request.
        register_public_paths(
            "/fhir/metadata", "/fhir/HealthcareService", "/fhir/Organization", "/fhir/Location"
        )
