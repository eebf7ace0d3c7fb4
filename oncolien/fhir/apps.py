from django.apps import AppConfig


class FhirConfig(AppConfig):
    name = "oncolien.fhir"
    label = "fhir"
    verbose_name = "FHIR"
