from django.urls import include, path

app_name = "pathways"
urlpatterns = [
    path("", include("oncolien.pathways.urls_pages")),
    path("comptes-rendus/", include("oncolien.pathways.urls_reports")),
]
