"""Bulk import (coordinators) and CSV/XLSX export (public) of a CPTS directory."""

from django.urls import path

from oncolien.directory import views_importing as views

urlpatterns = [
    path("", views.import_index, name="import_index"),
    path("modele.csv", views.import_template, name="import_template"),
    path("cpts/<slug:slug>/", views.import_upload, name="import_upload"),
    path("cpts/<slug:slug>/export.csv", views.export_csv, name="export_csv"),
    path("cpts/<slug:slug>/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("fichier/<str:token>/", views.import_preview, name="import_preview"),
    path("fichier/<str:token>/etat/", views.import_status, name="import_status"),
    path("fichier/<str:token>/appliquer/", views.import_apply, name="import_apply"),
    path("fichier/<str:token>/progression/", views.import_progress, name="import_progress"),
    path("fichier/<str:token>/rapport.csv", views.import_report, name="import_report"),
]
