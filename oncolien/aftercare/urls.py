from django.urls import path

from oncolien.aftercare import views, views_ars_file, views_report

app_name = "aftercare"
urlpatterns = [
    path("parcours/<int:pk>/", views.programme, name="programme"),
    path("parcours/<int:pk>/prescrire/", views.prescribe, name="prescribe"),
    path("parcours/<int:pk>/actes/<int:act_pk>/realise/", views.act_done, name="act_done"),
    path("rapport/", views_report.report, name="report"),
    path("rapport/fichier-ars/", views_ars_file.ars_file_download, name="ars_file"),
    path("rapport/fichier-ars/pdf/<int:pk>/", views_ars_file.ars_file_pdf, name="ars_file_pdf"),
]
