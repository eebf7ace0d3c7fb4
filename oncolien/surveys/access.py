"""Who may do what with regional surveys (the rule table of accounts.authorization).

- Regional staff (and administrators) build surveys, send them, import the
  register of the region's CPTS and responses collected elsewhere, code free
  text and read every result;
- a CPTS's coordination reads the results a survey shares beyond the regional
  team, small counts protected (the disclosure rules of the regional indicators);
- a respondent answers through a link, without an account: no permission.
"""

from oncolien.accounts.authorization import Rule, register_permission
from oncolien.accounts.models import Role

SURVEYS_MANAGE = "surveys.manage"
SURVEYS_SHARED_RESULTS = "surveys.shared_results"

REGIONAL_TEAM = frozenset({Role.REGIONAL, Role.ADMINISTRATOR})


def register() -> None:
    register_permission(
        SURVEYS_MANAGE,
        Rule(
            global_roles=REGIONAL_TEAM,
            description="Construire, diffuser et analyser les enquêtes régionales",
        ),
    )
    register_permission(
        SURVEYS_SHARED_RESULTS,
        Rule(
            cpts_roles=frozenset({Role.COORDINATOR}),
            global_roles=REGIONAL_TEAM,
            description="Lire les résultats partagés d'une enquête, petits effectifs protégés",
        ),
    )
