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
