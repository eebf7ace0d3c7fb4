from django.urls import path

from . import views

app_name = "practices"

urlpatterns = [
    path("", views.practice_list, name="list"),
    path("comparer/", views.compare, name="compare"),
    path("ressources-regionales/", views.resources, name="resources"),
    path("parlez-nous-de-vos-actions/", views.propose, name="propose"),
    path("parlez-nous-de-vos-actions/merci/", views.propose_thanks, name="propose_thanks"),
    path("<int:pk>/", views.practice_detail, name="detail"),
    path("<int:pk>/pdf/", views.practice_pdf, name="pdf"),
    path("<int:pk>/documents/<int:document_pk>/", views.document_download, name="document"),
    path("gestion/", views.manage, name="manage"),
    path("gestion/<slug:slug>/nouvelle/", views.create, name="create"),
    path("gestion/<int:pk>/modifier/", views.edit, name="edit"),
    path("gestion/<int:pk>/radar/", views.radar_edit, name="radar"),
    path("gestion/<int:pk>/documents/", views.documents, name="documents"),
    path("gestion/<int:pk>/soumettre/", views.submit, name="submit"),
    path("gestion/<int:pk>/relecture/", views.review, name="review"),
]
