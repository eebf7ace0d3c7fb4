from django.apps import AppConfig


class AftercareConfig(AppConfig):
    name = "oncolien.aftercare"
    label = "aftercare"
    verbose_name = "Parcours de soins global après cancer"

    def ready(self):
        from oncolien.accounts.authorization import Rule, register_permission
        from oncolien.accounts.models import Role
        from oncolien.aftercare import hooks, rules
        from oncolien.aftercare.report import REPORT_PERMISSION
        from oncolien.pathways.selectors import register_timeline_source
        from oncolien.pathways.views_pathway import register_pathway_panel

        # A malformed rules file stops the application at start-up, not at the
        # first prescription.
        rules.all_rules()
        register_permission(
            REPORT_PERMISSION,
            Rule(
                cpts_roles=frozenset({Role.COORDINATOR}),
                global_roles=frozenset({Role.REGIONAL, Role.ADMINISTRATOR}),
                description="Lire le rapport (agrégé) du parcours après cancer d'une structure",
            ),
        )
        register_pathway_panel(hooks.pathway_panel)
        register_timeline_source(hooks.timeline_events)
