from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "oncolien.indicators"
    label = "indicators"
    verbose_name = "Indicateurs"

    def ready(self):
        from oncolien.indicators import access

        access.register()
