from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "oncolien.assessments"
    label = "assessments"
    verbose_name = "Évaluations des besoins"

    def ready(self):
        from oncolien.assessments.panels import assessments_panel
        from oncolien.assessments.selectors import timeline_events
        from oncolien.pathways.selectors import register_timeline_source
        from oncolien.pathways.views_pathway import register_pathway_panel

        register_pathway_panel(assessments_panel)
        register_timeline_source(timeline_events)
