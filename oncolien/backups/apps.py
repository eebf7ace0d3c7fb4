from django.apps import AppConfig


class BackupsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "oncolien.backups"
    verbose_name = "Sauvegardes et restauration"
