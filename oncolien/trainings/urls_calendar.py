from django.urls import path

from . import views_calendar as views

app_name = "calendar"

urlpatterns = [
    path("", views.public_calendar, name="public"),
    path("cpts/<slug:slug>.ics", views.cpts_feed, name="cpts_feed"),
    path("region/<str:code>.ics", views.region_feed, name="region_feed"),
    path("professionnels/", views.professional_calendar, name="professional"),
    path("nouveau/", views.event_edit, name="create"),
    path("<int:pk>/modifier/", views.event_edit, name="edit"),
    path("<int:pk>/supprimer/", views.event_delete, name="delete"),
]
