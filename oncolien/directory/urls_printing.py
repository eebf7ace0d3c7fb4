from django.urls import path

from oncolien.directory import views_printing

urlpatterns = [
    path("cpts/<slug:slug>.pdf", views_printing.cpts_pdf, name="cpts_pdf"),
]
