from django.urls import path

from oncolien.adherence import views

app_name = "adherence"
urlpatterns = [
    path("parcours/<int:pk>/plan/", views.plan_edit, name="plan_edit"),
    path("parcours/<int:pk>/contact/", views.contact_add, name="contact_add"),
]
