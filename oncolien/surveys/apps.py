from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "oncolien.surveys"
    label = "surveys"
    verbose_name = "Enquêtes régionales"

    def ready(self) -> None:
        from oncolien.surveys import access

        access.register()
        # huey's consumer discovers modules named `tasks` only: the report's task is
        # registered here.
        from oncolien.surveys import report_tasks  # noqa: F401
