from django.apps import AppConfig


class BookletsConfig(AppConfig):
    name = "oncolien.booklets"
    label = "booklets"
    verbose_name = "Livrets de suivi"

    def ready(self):
        from oncolien.booklets import booklet_parts, pathway_parts, privacy_parts
        from oncolien.booklets.extensions import register_booklet_section
        from oncolien.pathways import extensions
        from oncolien.privacy.extensions import register_patient_data_part

        extensions.register_panel(pathway_parts.booklet_panel)
        register_booklet_section(booklet_parts.pathway_section, order=5)
        register_booklet_section(booklet_parts.care_team_section, order=10)
        register_booklet_section(booklet_parts.treatments_section, order=40)
        register_booklet_section(booklet_parts.alert_signs_section, order=80)
        register_patient_data_part(privacy_parts.PART)
