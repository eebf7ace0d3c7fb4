from django.urls import path

from . import views

app_name = "sectors"

urlpatterns = [
    path("", views.index, name="index"),
    path("parcours/<int:pk>/confier/", views.reassign, name="reassign"),
    path("<slug:slug>/", views.cpts_sectors, name="cpts"),
    path("<slug:slug>/communes-sans-secteur/", views.communes_without_sector, name="without"),
    path("<slug:slug>/nouveau/", views.sector_edit, name="create"),
    path("<slug:slug>/<int:pk>/modifier/", views.sector_edit, name="edit"),
    path("<slug:slug>/<int:pk>/supprimer/", views.sector_delete, name="delete"),
]
