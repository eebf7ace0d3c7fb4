from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "oncolien.audit"
    label = "audit"
