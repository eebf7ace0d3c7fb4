from django.apps import AppConfig


class AftercareConfig(AppConfig):
    name = "oncolien.aftercare"
    label = "aftercare"
    verbose_name = "Parcours de soins global après cancer"

    def ready(self):
        from oncolien.accounts.authorization import Rule, register_permission
        from oncolien.accounts.models import Role
        from oncolien.aftercare import pathway_parts, rules
        from oncolien.aftercare.report import REPORT_PERMISSION
        from oncolien.pathways import extensions

        # A malformed rules file stops the application at start-up, not at the
        # first prescription.
        rules.all_rules()
        register_permission(
            REPORT_PERMISSION,
            Rule(
                cpts_roles=frozenset({Role.COORDINATOR}),
                global_roles=frozenset({Role.REGIONAL, Role.ADMINISTRATOR}),
                model="directory.organization",
                description="Lire le rapport (agrégé) du parcours après cancer d'une structure",
            ),
        )
        extensions.register_panel(pathway_parts.pathway_panel)
        extensions.register_timeline_source(pathway_parts.timeline_events)
        # What the app holds about a patient, for the export and the anonymisation.
        from oncolien.aftercare import privacy_parts
        from oncolien.privacy.extensions import register_patient_data_part

        register_patient_data_part(privacy_parts.PART)
