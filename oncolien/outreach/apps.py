from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "oncolien.outreach"
    label = "outreach"
    verbose_name = "Flyers, affiches et campagnes"

    def ready(self):
        from oncolien.outreach import access, pathway_parts
        from oncolien.pathways import extensions

        access.register()
        extensions.register_worklist_source(pathway_parts.worklist_section)
