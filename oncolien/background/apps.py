from django.apps import AppConfig


class BackgroundConfig(AppConfig):
    name = "oncolien.background"
    label = "background"
    verbose_name = "Traitement en arrière-plan"
