from django.apps import AppConfig


class PracticesConfig(AppConfig):
    name = "oncolien.practices"
    label = "practices"
    verbose_name = "Pratiques partagées"

    def ready(self) -> None:
        from oncolien.practices import access

        access.register()
