from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "oncolien.assessments"
    label = "assessments"
    verbose_name = "Évaluations des besoins"

    def ready(self):
        from oncolien.assessments import pathway_parts
        from oncolien.pathways import extensions

        extensions.register_panel(pathway_parts.assessments_panel)
        extensions.register_timeline_source(pathway_parts.timeline_events)
