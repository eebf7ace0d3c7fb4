from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "oncolien.assessments"
    label = "assessments"
    verbose_name = "Évaluations des besoins"

    def ready(self):
        from oncolien.aftercare import extensions as aftercare_extensions
        from oncolien.assessments import pathway_parts, satisfaction_figures
        from oncolien.pathways import extensions

        extensions.register_panel(pathway_parts.assessments_panel)
        extensions.register_timeline_source(pathway_parts.timeline_events)
        # The one-year satisfaction in the post-cancer programme's ARS file.
        aftercare_extensions.register_satisfaction_source(
            satisfaction_figures.programme_year_satisfaction
        )
        # What the app holds about a patient, for the export and the anonymisation.
        from oncolien.assessments import privacy_parts
        from oncolien.privacy.extensions import register_patient_data_part

        register_patient_data_part(privacy_parts.PART)
