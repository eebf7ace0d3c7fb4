from django.urls import path

from oncolien.surveys import views_register

# Included by surveys/urls.py under « registres/ » (namespace « surveys »).
urlpatterns = [
    path("", views_register.register_list, name="registers"),
    path("importer/", views_register.register_import_page, name="register_import"),
    path(
        "modele.<str:extension>",
        views_register.register_template,
        name="register_template",
    ),
    path("<int:pk>/", views_register.register_detail, name="register_detail"),
]
