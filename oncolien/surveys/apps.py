from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "oncolien.surveys"
    label = "surveys"
    verbose_name = "Enquêtes régionales"

    def ready(self) -> None:
        from oncolien.surveys import access

        access.register()
