from django.urls import path

from oncolien.assessments import views, views_link

app_name = "assessments"
urlpatterns = [
    path("parcours/<int:pathway_pk>/nouvelle/", views.assessment_new, name="new"),
    path("parcours/<int:pathway_pk>/lien/", views_link.link_new, name="link_new"),
    path("<int:pk>/", views.assessment_fill, name="fill"),
    path("liens/<int:link_pk>/revoquer/", views_link.link_revoke, name="link_revoke"),
    path("lien/<str:token>/", views_link.patient_fill, name="patient_fill"),
]
