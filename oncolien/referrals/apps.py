from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "oncolien.referrals"
    label = "referrals"
    verbose_name = "Orientations"

    def ready(self):
        from oncolien.pathways import extensions
        from oncolien.referrals import access, pathway_parts

        access.register()
        extensions.register_panel(pathway_parts.care_plan_panel)
        extensions.register_timeline_source(pathway_parts.timeline_events)
        extensions.register_worklist_source(pathway_parts.worklist_section)
        extensions.register_report_section(pathway_parts.report_section)
        # What the app holds about a patient, for the export and the anonymisation.
        from oncolien.privacy.extensions import register_patient_data_part
        from oncolien.referrals import privacy_parts

        register_patient_data_part(privacy_parts.PART)
        # The appointments to come and the supportive care, in the patient's booklet.
        from oncolien.booklets.extensions import register_booklet_section
        from oncolien.referrals import booklet_parts

        register_booklet_section(booklet_parts.appointments_section, order=30)
        register_booklet_section(booklet_parts.supportive_care_section, order=50)
