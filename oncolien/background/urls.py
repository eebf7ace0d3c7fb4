from django.urls import path

from oncolien.background import views

app_name = "background"
urlpatterns = [
    path("", views.health, name="health"),
    path("vivant/", views.alive, name="alive"),
    path("pret/", views.ready, name="ready"),
]
