from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "oncolien.reference"
    label = "reference"
