from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "oncolien.privacy"
    label = "privacy"
    verbose_name = "Droits des patients et conservation des données"

    def ready(self):
        from oncolien.pathways import extensions
        from oncolien.privacy import access, panel

        access.register()
        # The coordinator's buttons (export, rectification, anonymisation) on the
        # pathway page.
        extensions.register_panel(panel.rights_panel)
