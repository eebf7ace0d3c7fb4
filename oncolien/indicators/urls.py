from django.urls import path

from . import views

app_name = "indicators"

urlpatterns = [
    path("", views.choose_cpts, name="home"),
    # Before the CPTS pages: « region » is not a CPTS.
    path("region/", views.regional, name="regional"),
    path("<slug:slug>/", views.dashboard, name="dashboard"),
    path("<slug:slug>/couverture/", views.coverage, name="coverage"),
]
