"""Mounted under /contacts-annonce/ in the "contacts" namespace."""

from django.urls import path

from oncolien.contacts import views

app_name = "contacts"

urlpatterns = [
    path("cpts/<slug:slug>/", views.contact_list, name="list"),
    path("cpts/<slug:slug>/fiche.pdf", views.contact_sheet_pdf, name="sheet_pdf"),
    path("cpts/<slug:slug>/gestion/", views.contact_manage, name="manage"),
    path("cpts/<slug:slug>/gestion/nouveau/", views.contact_create, name="create"),
    path("contacts/<int:pk>/modifier/", views.contact_edit, name="edit"),
    path("contacts/<int:pk>/retirer/", views.contact_delete, name="delete"),
]
