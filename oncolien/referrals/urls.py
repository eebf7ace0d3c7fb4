from django.urls import path

from oncolien.referrals import views, views_provider

app_name = "referrals"
urlpatterns = [
    path("parcours/<int:pathway_pk>/suggestions/", views.suggestions, name="suggestions"),
    path(
        "parcours/<int:pathway_pk>/soins/<slug:code>/orienter/",
        views.referral_create,
        name="referral_create",
    ),
    path("<int:pk>/", views.referral_detail, name="referral_detail"),
    path("<int:pk>/envoyer/", views.referral_send, name="referral_send"),
    path("<int:pk>/lien/revoquer/", views.referral_link_revoke, name="referral_link_revoke"),
    path("<int:pk>/statut/", views.referral_status, name="referral_status"),
    path("reponse/<str:token>/", views_provider.provider_link, name="provider_link"),
    path("recues/", views_provider.provider_inbox, name="provider_inbox"),
    path("recues/<int:pk>/", views_provider.provider_referral, name="provider_referral"),
]
