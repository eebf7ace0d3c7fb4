from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "oncolien.assessments"
    label = "assessments"
