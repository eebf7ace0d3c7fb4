from django.urls import path

from oncolien.accounts import psc_views, views

app_name = "accounts"
urlpatterns = [
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", views.LogoutView.as_view(), name="logout"),
    path("verification/", views.verify, name="verify"),
    path("double-authentification/", views.setup_2fa, name="setup_2fa"),
    path("securite/", views.security, name="security"),
    path("cpts/<slug:slug>/membres/", views.members, name="cpts_members"),
    # Pro Santé Connect (404 unless configured): off to the provider, and back.
    path("pro-sante-connect/", psc_views.PscLoginView.as_view(), name="psc_login"),
    path("pro-sante-connect/retour/", psc_views.PscCallbackView.as_view(), name="psc_callback"),
]
