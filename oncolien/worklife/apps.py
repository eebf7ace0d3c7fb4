from django.apps import AppConfig


class WorklifeConfig(AppConfig):
    name = "oncolien.worklife"
    label = "worklife"
    verbose_name = "Activité professionnelle et reprise du travail"

    def ready(self):
        from oncolien.booklets.extensions import register_booklet_section
        from oncolien.pathways import extensions
        from oncolien.privacy.extensions import register_patient_data_part
        from oncolien.worklife import booklet_parts, pathway_parts, privacy_parts

        extensions.register_panel(pathway_parts.work_panel)
        extensions.register_report_section(pathway_parts.report_section)
        register_patient_data_part(privacy_parts.PART)
        register_booklet_section(booklet_parts.work_section, order=65)
