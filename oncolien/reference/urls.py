from django.urls import path

from . import views

app_name = "reference"
urlpatterns = [
    path("", views.care_types, name="care_types"),
]
