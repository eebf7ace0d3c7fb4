from django.contrib import admin
from django.urls import include, path

from oncolien.api import api

urlpatterns = [
    path("", include("oncolien.web.urls")),
    path("compte/", include("oncolien.accounts.urls")),
    path("compte/jetons-api/", include("oncolien.apitokens.urls")),
    path("soins-de-support/", include("oncolien.reference.urls")),
    path("cpts/", include("oncolien.territories.urls")),
    path("annuaire/", include("oncolien.directory.urls")),
    path("parcours/", include("oncolien.pathways.urls")),
    path("evaluations/", include("oncolien.assessments.urls")),
    path("orientations/", include("oncolien.referrals.urls")),
    path("apres-cancer/", include("oncolien.aftercare.urls")),
    path("suivi-hormonotherapie/", include("oncolien.adherence.urls")),
    path("activite-professionnelle/", include("oncolien.worklife.urls")),
    path("indicateurs/", include("oncolien.indicators.urls")),
    path("pratiques/", include("oncolien.practices.urls")),
    path("enquetes/", include("oncolien.surveys.urls")),
    path("confidentialite/", include("oncolien.privacy.urls")),
    path("notifications/", include("oncolien.notifications.urls")),
    path("contacts-annonce/", include("oncolien.contacts.urls")),
    path("livrets/", include("oncolien.booklets.urls")),
    path("hsds/", include("oncolien.directory.hsds.urls")),
    path("fhir/", include("oncolien.fhir.urls")),
    path("sante/", include("oncolien.background.urls")),
    path("secteurs/", include("oncolien.sectors.urls")),
    path("formations/", include("oncolien.trainings.urls")),
    path("agenda/", include("oncolien.trainings.urls_calendar")),
    path("", include("oncolien.outreach.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

handler403 = "oncolien.web.views.error_403"
handler404 = "oncolien.web.views.error_404"
handler500 = "oncolien.web.views.error_500"
