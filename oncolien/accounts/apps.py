from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "oncolien.accounts"
    label = "accounts"
    verbose_name = "Comptes"

    def ready(self):
        from oncolien.accounts import signals  # noqa: F401 - connects the audit receivers
