from django.urls import include, path

from oncolien.surveys import urls_analysis, urls_builder, urls_responding

app_name = "surveys"

urlpatterns: list = [
    *urls_builder.urlpatterns,
    path("registres/", include("oncolien.surveys.urls_register")),
    *urls_responding.urlpatterns,
    *urls_analysis.urlpatterns,
]
