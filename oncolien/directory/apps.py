from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "oncolien.directory"
    label = "directory"
    verbose_name = "Annuaire"

    def ready(self):
        from oncolien.accounts.authorization import Rule, register_permission
        from oncolien.accounts.models import Role

        def curators(description: str) -> Rule:
            return Rule(
                cpts_roles=frozenset({Role.COORDINATOR}),
                global_roles=frozenset({Role.ADMINISTRATOR}),
                cpts_path="pk",
                model="territories.cpts",
                description=description,
            )

        register_permission("directory.edit", curators("Modifier l'annuaire de la CPTS"))
        register_permission(
            "directory.moderate", curators("Modérer les contributions à l'annuaire de la CPTS")
        )

        from oncolien.directory.models import Location, Organization, Service
        from oncolien.web.public_cache import (
            register_changes,
            register_public_pages,
            register_public_paths,
        )

        # The public directory and its HSDS export: anyone may read them, and every
        # change of a structure, place or offer (its care types included) is recorded.
        register_public_paths("/api/v1/directory/services", "/hsds/")
        # The search page (not the curation, import and edition pages below it).
        register_public_pages("/annuaire/")
        for model in (Organization, Location, Service):
            register_changes(model.history.model, "history_id")
