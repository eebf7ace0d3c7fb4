from django.urls import path

from oncolien.accounts import views

app_name = "accounts"
urlpatterns = [
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", views.LogoutView.as_view(), name="logout"),
    path("verification/", views.verify, name="verify"),
    path("double-authentification/", views.setup_2fa, name="setup_2fa"),
    path("securite/", views.security, name="security"),
    path("cpts/<slug:slug>/membres/", views.members, name="cpts_members"),
]
