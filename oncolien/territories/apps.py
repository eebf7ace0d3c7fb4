from django.apps import AppConfig


class TerritoriesConfig(AppConfig):
    name = "oncolien.territories"
    label = "territories"
