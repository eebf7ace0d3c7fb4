from django.urls import path  # noqa: F401

from oncolien.surveys import urls_responding

app_name = "surveys"

urlpatterns: list = []
urlpatterns += urls_responding.urlpatterns
