from django.urls import path

from . import views, views_report

app_name = "indicators"

urlpatterns = [
    path("", views.choose_cpts, name="home"),
    # Before the CPTS pages: « region » is not a CPTS.
    path("region/", views.regional, name="regional"),
    path("<slug:slug>/", views.dashboard, name="dashboard"),
    path("<slug:slug>/couverture/", views.coverage, name="coverage"),
    path("<slug:slug>/rapports/", views_report.reports, name="reports"),
    path("<slug:slug>/rapports/demander/", views_report.report_request_view, name="report_request"),
    path("<slug:slug>/rapports/<int:pk>.pdf", views_report.report_download, name="report_download"),
]
