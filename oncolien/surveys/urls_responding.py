"""The pages of distribution, answering and response import (merged into urls.py)."""

from django.urls import path

from oncolien.surveys import views_answering, views_distribution, views_import
from oncolien.surveys.views_answering import OPEN, PERSONAL

urlpatterns = [
    path("<int:pk>/diffusion/", views_distribution.distribution, name="distribution"),
    path(
        "<int:pk>/diffusion/lien-ouvert/",
        views_distribution.open_link,
        name="distribution_open_link",
    ),
    path(
        "invitations/<int:pk>/revoquer/",
        views_distribution.invitation_revoke,
        name="invitation_revoke",
    ),
    path("<int:pk>/import-reponses/", views_import.response_import, name="response_import"),
]
for _kind in (PERSONAL, OPEN):
    urlpatterns += [
        path(f"{_kind}/<str:token>/", views_answering.start(_kind), name=f"{_kind}_start"),
        path(
            f"{_kind}/<str:token>/partie/<int:index>/",
            views_answering.section(_kind),
            name=f"{_kind}_section",
        ),
        path(f"{_kind}/<str:token>/relire/", views_answering.review(_kind), name=f"{_kind}_review"),
    ]
