from django.urls import path

from . import views

app_name = "territories"
urlpatterns = [
    path("", views.cpts_list, name="cpts_list"),
    path("<slug:slug>/", views.cpts_detail, name="cpts_detail"),
]
