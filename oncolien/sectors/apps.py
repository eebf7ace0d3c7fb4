from django.apps import AppConfig


class SectorsConfig(AppConfig):
    name = "oncolien.sectors"
    label = "sectors"
    verbose_name = "Secteurs et infirmier·ères de coordination"

    def ready(self) -> None:
        from oncolien.pathways import extensions
        from oncolien.privacy.extensions import register_patient_data_part
        from oncolien.sectors import access, pathway_parts, privacy_parts

        access.register()
        extensions.register_panel(pathway_parts.nurse_panel)
        extensions.register_intake_panel(pathway_parts.intake_proposal)
        extensions.register_intake_hook(pathway_parts.intake_assign)
        register_patient_data_part(privacy_parts.PART)
