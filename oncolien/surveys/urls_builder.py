"""The builder's addresses, included by `urls.py` (other parts of the app add theirs)."""

from django.urls import path, re_path

from oncolien.surveys import views_builder as views

# Moving one place up or down.
MOVE = r"(?P<direction>monter|descendre)/$"

urlpatterns = [
    path("", views.index, name="index"),
    path("nouvelle/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/parametres/", views.settings, name="settings"),
    path("<int:pk>/ouvrir/", views.open_survey, name="open"),
    path("<int:pk>/cloturer/", views.close_survey, name="close"),
    path("<int:pk>/apercu/", views.preview, name="preview"),
    path("<int:pk>/questionnaire/entete/", views.header_edit, name="header_edit"),
    path("<int:pk>/questionnaire.json", views.definition_download, name="definition_download"),
    path("<int:pk>/questionnaire/importer/", views.definition_upload, name="definition_upload"),
    path("<int:pk>/sections/ajouter/", views.section_add, name="section_add"),
    path("<int:pk>/sections/<slug:section>/", views.section_edit, name="section_edit"),
    path(
        "<int:pk>/sections/<slug:section>/supprimer/", views.section_delete, name="section_delete"
    ),
    re_path(
        r"^(?P<pk>[0-9]+)/sections/(?P<section>[-a-zA-Z0-9_]+)/" + MOVE,
        views.section_move,
        name="section_move",
    ),
    path(
        "<int:pk>/sections/<slug:section>/questions/ajouter/",
        views.question_add,
        name="question_add",
    ),
    path("<int:pk>/questions/<slug:code>/", views.question_edit, name="question_edit"),
    path(
        "<int:pk>/questions/<slug:code>/supprimer/", views.question_delete, name="question_delete"
    ),
    re_path(
        r"^(?P<pk>[0-9]+)/questions/(?P<code>[-a-zA-Z0-9_]+)/" + MOVE,
        views.question_move,
        name="question_move",
    ),
]
