"""Who may do what with shared practices (the rule table of accounts.authorization).

- The coordination of a CPTS writes its CPTS's practices (draft, changes asked);
- regional staff review every practice: ask for changes, publish, refuse;
- a published practice is public: no permission is needed to read it.
"""

from oncolien.accounts.authorization import Rule, register_permission
from oncolien.accounts.models import Role

PRACTICE_CREATE = "practices.create"
PRACTICE_EDIT = "practices.edit"
PRACTICE_REVIEW = "practices.review"
# The page listing the practices one writes or reviews (no object).
PRACTICES_MANAGE = "practices.manage"

WRITERS = frozenset({Role.COORDINATOR})
REVIEWERS = frozenset({Role.REGIONAL, Role.ADMINISTRATOR})


def register() -> None:
    register_permission(
        PRACTICE_CREATE,
        Rule(
            cpts_roles=WRITERS,
            global_roles=frozenset({Role.ADMINISTRATOR}),
            cpts_path="pk",
            model="territories.cpts",
            description="Rédiger un retour d'expérience de sa CPTS",
        ),
    )
    register_permission(
        PRACTICE_EDIT,
        Rule(
            cpts_roles=WRITERS,
            global_roles=frozenset({Role.ADMINISTRATOR}),
            model="practices.practice",
            description="Modifier un retour d'expérience de sa CPTS avant sa publication",
        ),
    )
    register_permission(
        PRACTICE_REVIEW,
        Rule(
            global_roles=REVIEWERS,
            model="practices.practice",
            description="Relire, publier ou refuser les retours d'expérience",
        ),
    )
    register_permission(
        PRACTICES_MANAGE,
        Rule(
            cpts_roles=WRITERS,
            global_roles=REVIEWERS,
            description="Suivre les retours d'expérience que l'on rédige ou relit",
        ),
    )
