from django.urls import include, path

app_name = "surveys"

urlpatterns: list = [
    path("registres/", include("oncolien.surveys.urls_register")),
]
