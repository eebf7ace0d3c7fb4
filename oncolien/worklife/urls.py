from django.urls import path

from oncolien.worklife import views

app_name = "worklife"
urlpatterns = [
    path("parcours/<int:pk>/", views.situation_edit, name="situation_edit"),
]
