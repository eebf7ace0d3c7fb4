from django.apps import AppConfig


class TrainingsConfig(AppConfig):
    name = "oncolien.trainings"
    label = "trainings"
    verbose_name = "Formations et agenda"

    def ready(self) -> None:
        from oncolien.trainings import access

        access.register()
