from django.apps import AppConfig


class PathwaysConfig(AppConfig):
    name = "oncolien.pathways"
    label = "pathways"
    verbose_name = "Parcours patients"

    def ready(self):
        from oncolien.pathways import access

        access.register()
