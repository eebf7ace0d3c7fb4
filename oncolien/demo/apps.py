from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demonstration data that needs several apps at once (the fictitious
    pathways with their sheets, assessments and referrals): it sits after them all,
    so that none of them depends on it."""

    name = "oncolien.demo"
    label = "demo"
    verbose_name = "Démonstration"
