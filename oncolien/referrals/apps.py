from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "oncolien.referrals"
    label = "referrals"
    verbose_name = "Orientations"

    def ready(self):
        from oncolien.pathways.selectors import register_timeline_source, register_worklist_source
        from oncolien.pathways.views_pathway import register_pathway_panel
        from oncolien.referrals import access, selectors, views

        access.register()
        register_timeline_source(selectors.timeline_events)
        register_worklist_source(selectors.worklist_section)
        register_pathway_panel(views.care_plan_panel)
