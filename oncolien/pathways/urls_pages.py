from django.urls import path

from oncolien.pathways import (
    views_intake,
    views_pathway,
    views_protocol,
    views_visits,
    views_worklist,
)

urlpatterns = [
    path("", views_worklist.worklist, name="worklist"),
    path("patients/", views_worklist.pathway_list, name="pathway_list"),
    path("nouveau/", views_intake.intake, name="intake"),
    path("appels/", views_intake.intake_calls, name="intake_calls"),
    path("protocole-alerte/<slug:slug>/", views_protocol.protocol_edit, name="alert_protocol"),
    path("<int:pk>/", views_pathway.pathway_detail, name="pathway_detail"),
    path("<int:pk>/statut/", views_pathway.status_update, name="status_update"),
    path("<int:pk>/dossier/", views_pathway.details_update, name="details_update"),
    path("<int:pk>/traitements/", views_pathway.treatment_add, name="treatment_add"),
    path("<int:pk>/information/", views_pathway.consent_add, name="consent_add"),
    path("<int:pk>/equipe/compte/", views_pathway.team_user_add, name="team_user_add"),
    path("<int:pk>/equipe/contact/", views_pathway.team_contact_add, name="team_contact_add"),
    path(
        "<int:pk>/equipe/<int:member_pk>/retrait/",
        views_pathway.team_remove,
        name="team_remove",
    ),
    path("<int:pk>/visites/nouvelle/", views_visits.visit_add, name="visit_add"),
    path("<int:pk>/fiches/nouvelle/", views_visits.record_add, name="record_add"),
    path(
        "alertes/<int:alert_pk>/prise-en-compte/",
        views_visits.alert_acknowledge,
        name="alert_acknowledge",
    ),
    path(
        "alertes/<int:alert_pk>/commentaire/",
        views_visits.alert_comment,
        name="alert_comment",
    ),
]
