"""Curation and moderation of a CPTS directory (coordinators).

Mounted under /annuaire/gestion/ in the "directory" namespace; every page checks
its permission. The public contribution pages are in urls_contributions.py.
"""

from django.urls import path

from oncolien.directory import views_contributions as contributions
from oncolien.directory import views_curation as curation

urlpatterns = [
    # Curation of a CPTS directory.
    path("cpts/<slug:slug>/", curation.manage, name="manage"),
    path(
        "cpts/<slug:slug>/structures/nouvelle/",
        curation.organization_create,
        name="organization_create",
    ),
    path("structures/<int:pk>/modifier/", curation.organization_edit, name="organization_edit"),
    path(
        "structures/<int:pk>/historique/",
        curation.organization_history,
        name="organization_history",
    ),
    path(
        "structures/<int:organization_pk>/lieux/nouveau/",
        curation.location_create,
        name="location_create",
    ),
    path("lieux/<int:pk>/modifier/", curation.location_edit, name="location_edit"),
    path(
        "structures/<int:organization_pk>/offres/nouvelle/",
        curation.service_create,
        name="service_create",
    ),
    path("offres/<int:pk>/modifier/", curation.service_edit, name="service_edit"),
    path("offres/<int:pk>/statut/", curation.service_status, name="service_status"),
    path("offres/<int:pk>/verifiee/", curation.service_verify, name="service_verify"),
    path("offres/<int:pk>/historique/", curation.service_history, name="service_history"),
    # Moderation of the contributions.
    path("cpts/<slug:slug>/contributions/", contributions.moderation, name="moderation"),
    path("contributions/<int:pk>/", contributions.contribution_detail, name="contribution_detail"),
    path(
        "contributions/<int:pk>/accepter/",
        contributions.contribution_accept,
        name="contribution_accept",
    ),
    path(
        "contributions/<int:pk>/refuser/",
        contributions.contribution_reject,
        name="contribution_reject",
    ),
]
