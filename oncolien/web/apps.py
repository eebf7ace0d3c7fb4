from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "oncolien.web"
    label = "web"
