from django.apps import AppConfig


class AdherenceConfig(AppConfig):
    name = "oncolien.adherence"
    label = "adherence"
    verbose_name = "Suivi de l'hormonothérapie (observance)"

    def ready(self):
        from oncolien.adherence import access, booklet_parts, pathway_parts, privacy_parts
        from oncolien.adherence.vocabulary import vocabulary
        from oncolien.booklets.extensions import register_booklet_section
        from oncolien.pathways import extensions
        from oncolien.privacy.extensions import register_patient_data_part

        # A malformed vocabulary file stops the application at start-up, not at the
        # first contact.
        vocabulary()
        access.register()
        extensions.register_panel(pathway_parts.adherence_panel)
        extensions.register_timeline_source(pathway_parts.timeline_events)
        extensions.register_worklist_source(pathway_parts.worklist_section)
        extensions.register_report_section(pathway_parts.report_section)
        register_patient_data_part(privacy_parts.PART)
        register_booklet_section(booklet_parts.hormone_therapy_section, order=60)
