from django.urls import path

from . import views

app_name = "indicators"

urlpatterns = [
    path("", views.choose_cpts, name="home"),
    path("<slug:slug>/", views.dashboard, name="dashboard"),
]
