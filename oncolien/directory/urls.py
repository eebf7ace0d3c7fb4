from django.urls import path  # noqa: F401

app_name = "directory"
# Public pages (search, service, CPTS directory), curation, import, contributions.
urlpatterns: list = []
