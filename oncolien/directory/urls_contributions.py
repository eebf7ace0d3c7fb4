"""Public contributions (anyone, patients included, no account), under /annuaire/."""

from django.urls import path

from oncolien.directory import views_contributions as contributions

urlpatterns = [
    path("contribuer/<slug:slug>/", contributions.contribute_new, name="contribute_new"),
    path(
        "contribuer/<slug:slug>/merci/", contributions.contribute_thanks, name="contribute_thanks"
    ),
    path(
        "services/<int:pk>/corriger/",
        contributions.contribute_correction,
        name="contribute_correction",
    ),
]
