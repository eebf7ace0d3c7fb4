"""Mounted under /livrets/ in the "booklets" namespace."""

from django.urls import path

from oncolien.booklets import views, views_link

app_name = "booklets"

urlpatterns = [
    path("parcours/<int:pk>/", views.booklet, name="booklet"),
    path("parcours/<int:pk>/imprimer/", views.booklet_print, name="print"),
    path("parcours/<int:pk>/lien/", views.link_new, name="link_new"),
    path("liens/<int:link_pk>/revoquer/", views.link_revoke, name="link_revoke"),
    # The patient's personal link (no account): the code, then the booklet.
    path("l/<str:token>/", views_link.patient_booklet, name="patient"),
]
