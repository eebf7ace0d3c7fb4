from django.apps import AppConfig


class ApiTokensConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "oncolien.apitokens"
    label = "apitokens"
    verbose_name = "Jetons d'accès à l'API"
