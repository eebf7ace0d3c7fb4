from django.apps import AppConfig


class AftercareConfig(AppConfig):
    name = "oncolien.aftercare"
    label = "aftercare"
