"""Visit reports (comptes-rendus), mounted at /parcours/comptes-rendus/."""

from django.urls import path

from oncolien.pathways import views_reports

urlpatterns = [
    path("visites/<int:visit_pk>/", views_reports.report_create, name="report_create"),
    path("<int:pk>/", views_reports.report_detail, name="report_detail"),
    path("<int:pk>.pdf", views_reports.report_pdf, name="report_pdf"),
    path("<int:pk>/pdf/etat/", views_reports.report_pdf_status, name="report_pdf_status"),
    path("<int:pk>/envoyer/", views_reports.report_send, name="report_send"),
]
