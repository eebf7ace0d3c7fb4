"""The analysis's addresses, added to the app's `urls.py`."""

from django.urls import path

from oncolien.surveys import views_analysis, views_coding

urlpatterns = [
    path("resultats-partages/", views_analysis.shared_index, name="shared_index"),
    path("<int:pk>/resultats/", views_analysis.analysis, name="analysis"),
    path("<int:pk>/resultats-partages/", views_analysis.shared_results, name="shared_results"),
    path(
        "<int:pk>/resultats/export/reponses/",
        views_analysis.export_responses,
        name="export_responses",
    ),
    path("<int:pk>/resultats/export/tableaux/", views_analysis.export_tables, name="export_tables"),
    path(
        "<int:pk>/resultats/export/croisement/",
        views_analysis.export_crosstab,
        name="export_crosstab",
    ),
    path("<int:pk>/resultats/rapport/", views_analysis.report_ask, name="report_request"),
    path("rapports/<int:pk>/", views_analysis.report_download, name="report_download"),
    path("<int:pk>/reponses-libres/", views_coding.coding_list, name="coding"),
    path(
        "<int:pk>/reponses-libres/<str:key>/",
        views_coding.coding_question,
        name="coding_question",
    ),
]
