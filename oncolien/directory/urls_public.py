from django.urls import path

from oncolien.directory import views_public

urlpatterns = [
    path("", views_public.search, name="search"),
    path("services/<int:pk>/", views_public.service_detail, name="service_detail"),
    path("cpts/<slug:slug>/", views_public.cpts_directory, name="cpts_directory"),
]
