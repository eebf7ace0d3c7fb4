from django.urls import path

from oncolien.outreach import views, views_public

app_name = "outreach"

urlpatterns = [
    # The address a QR code opens: as short as it can be.
    path("c/<str:code>/", views_public.public, name="public"),
    path("c/<str:code>/merci/", views_public.public_thanks, name="public_thanks"),
    path("campagnes/", views.campaign_list, name="campaign_list"),
    path("campagnes/demandes/<int:pk>/", views.contact_request, name="contact_request"),
    path(
        "campagnes/demandes/<int:pk>/rappelee/",
        views.contact_request_called_back,
        name="contact_request_called_back",
    ),
    path("campagnes/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campagnes/<int:pk>/<str:kind>.pdf", views.campaign_pdf, name="campaign_pdf"),
    path("campagnes/<slug:slug>/documents/", views.material_edit, name="material_edit"),
]
