from django.urls import include, path

app_name = "directory"
# One URL module per part of the directory, each with its own views.
urlpatterns = [
    path("", include("oncolien.directory.urls_public")),
    path("", include("oncolien.directory.urls_contributions")),
    path("gestion/", include("oncolien.directory.urls_curation")),
    path("import/", include("oncolien.directory.urls_importing")),
    path("edition/", include("oncolien.directory.urls_printing")),
]
