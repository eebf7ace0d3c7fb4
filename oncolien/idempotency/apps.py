from django.apps import AppConfig


class IdempotencyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "oncolien.idempotency"
    verbose_name = "Idempotence des écritures de l'API"
