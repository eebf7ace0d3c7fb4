from django.urls import path

from oncolien.privacy import views

app_name = "privacy"
urlpatterns = [
    path("parcours/<int:pk>/exports/", views.exports, name="exports"),
    path("parcours/<int:pk>/exports/demander/", views.export_request_view, name="export_request"),
    path(
        "parcours/<int:pk>/exports/<int:export_pk>/<str:kind>/",
        views.export_download,
        name="export_download",
    ),
    path("parcours/<int:pk>/rectification/", views.rectify, name="rectify"),
    path("parcours/<int:pk>/anonymisation/", views.anonymise, name="anonymise"),
    path("conservation/", views.retention, name="retention"),
]
