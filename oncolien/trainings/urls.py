from django.urls import path

from . import views

app_name = "trainings"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.roster, name="roster"),
    path("<slug:slug>/professionnels/ajouter/", views.professional_add, name="professional_add"),
    path(
        "<slug:slug>/professionnels/<int:pk>/retirer/",
        views.professional_remove,
        name="professional_remove",
    ),
    path("<slug:slug>/formations/nouvelle/", views.training_edit, name="training_create"),
    path("<slug:slug>/formations/<int:pk>/modifier/", views.training_edit, name="training_edit"),
    path(
        "<slug:slug>/formations/<int:pk>/supprimer/",
        views.training_delete,
        name="training_delete",
    ),
]
