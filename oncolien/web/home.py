"""What the home page offers each role: links to the work that exists for it.

Each link names the permission of the page it opens, and is shown only when the
viewer holds it (`accounts.authorization.is_allowed`, the table `authorize` reads),
in the section of the role that holds it: a home never offers a page its viewer
would be refused.
"""

from dataclasses import dataclass

from django.urls import reverse

from oncolien.accounts.authorization import is_allowed, rule_for
from oncolien.accounts.models import Membership, Role, User

# Permission names of the rule table, registered by the apps that own the pages
# (`pathways.access`, `referrals.access`, `aftercare.report`, `indicators.access`,
# `practices.access`, `surveys.access`, `contacts.access`); named here, not
# imported, since those apps' views rely on `web`.
CPTS_WORKLIST = "pathway.worklist"
PATHWAY_LIST = "pathway.list"
PATHWAY_CREATE = "pathway.create"
REFERRAL_INBOX = "referral.inbox"
AFTERCARE_REPORT = "aftercare.report"
INDICATORS_VIEW = "indicators.view"
INDICATORS_REGIONAL = "indicators.regional"
PRACTICES_MANAGE = "practices.manage"
SURVEYS_MANAGE = "surveys.manage"
SURVEYS_SHARED_RESULTS = "surveys.shared_results"


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class RoleSection:
    title: str
    summary: str
    links: list[Link]


@dataclass(frozen=True)
class Offer:
    """A page of work, the permission it needs, and whether that permission is held
    on the membership's CPTS (and its URL names that CPTS)."""

    label: str
    url_name: str
    permission: str
    on_cpts: bool = False
    url_has_slug: bool = False


OFFERS = (
    Offer("Ma liste de travail (alertes, parcours)", "pathways:worklist", CPTS_WORKLIST),
    Offer("Mes patients", "pathways:pathway_list", PATHWAY_LIST),
    Offer("Nouvel appel d'inclusion", "pathways:intake", PATHWAY_CREATE, on_cpts=True),
    Offer("Orientations reçues", "referrals:provider_inbox", REFERRAL_INBOX),
    Offer("Gérer l'annuaire", "directory:manage", "directory.edit", True, True),
    Offer("Importer des offres", "directory:import_upload", "directory.edit", True, True),
    Offer("Contributions à modérer", "directory:moderation", "directory.moderate", True, True),
    Offer("Qui appeler après l'annonce", "contacts:list", "announcement_contacts.read", True, True),
    Offer(
        "Gérer les contacts après l'annonce",
        "contacts:manage",
        "announcement_contacts.edit",
        True,
        True,
    ),
    Offer("Membres de la CPTS", "accounts:cpts_members", "cpts.members.view", True, True),
    Offer("Secteurs et charge des infirmier·ères", "sectors:cpts", "sector.view", True, True),
    Offer("Professionnel·les formé·es", "trainings:roster", "trainings.roster.view", True, True),
    Offer("Rapport du parcours après-cancer", "aftercare:report", AFTERCARE_REPORT),
    Offer(
        "Flyers, affiches et campagnes (QR)",
        "outreach:campaign_list",
        "outreach.material.edit",
        True,
    ),
    Offer("Indicateurs d'activité", "indicators:dashboard", INDICATORS_VIEW, True, True),
    Offer("Activité des CPTS de la région", "indicators:regional", INDICATORS_REGIONAL),
    Offer("Retours d'expérience (rédiger, relire)", "practices:manage", PRACTICES_MANAGE),
    Offer("Enquêtes régionales (construire, diffuser, analyser)", "surveys:index", SURVEYS_MANAGE),
    Offer(
        "Résultats partagés des enquêtes régionales", "surveys:shared_index", SURVEYS_SHARED_RESULTS
    ),
)

ROLE_SUMMARIES = {
    Role.COORDINATOR: "Vous animez le territoire : annuaire, parcours, indicateurs et enquêtes régionales.",
    Role.COORDINATING_NURSE: "Vous accueillez les patients, évaluez leurs besoins et suivez leur parcours.",
    Role.COMMUNITY_NURSE: "Vous remplissez la fiche de surveillance à chaque passage ; les alertes partent vers l'IDEC.",
    Role.PHYSICIAN: "Vous suivez vos patients, recevez leurs alertes et les comptes-rendus de visite.",
    Role.PROVIDER: "Vous êtes référencé·e dans l'annuaire et recevez les orientations de patients.",
    Role.REGIONAL: "Vous suivez les indicateurs anonymisés et menez les enquêtes auprès des CPTS.",
    Role.ADMINISTRATOR: "Vous gérez les comptes, les données de référence et le journal d'audit.",
}


def _role_holds(membership: Membership, permission: str) -> bool:
    """Whether the membership's role is one the permission's rule names (so that a
    person with two roles sees each link once, under the role that holds it)."""
    rule = rule_for(permission)
    if membership.role in rule.global_roles:
        return True
    return membership.cpts_id is not None and membership.role in rule.cpts_roles


def _links_of(user: User, membership: Membership) -> list[Link]:
    links = []
    if membership.cpts is not None:
        links.append(Link(f"Page de la {membership.cpts.name}", membership.cpts.get_absolute_url()))
    for offer in OFFERS:
        target = membership.cpts if offer.on_cpts else None
        if offer.on_cpts and target is None:
            continue  # a CPTS's page, for a role across CPTS: reached from the CPTS list
        if not _role_holds(membership, offer.permission):
            continue
        if not is_allowed(user, offer.permission, target):
            continue
        kwargs = {"slug": target.slug} if offer.url_has_slug and target else None
        links.append(Link(offer.label, reverse(offer.url_name, kwargs=kwargs)))
    if membership.cpts_id is None:
        links.append(Link("Toutes les CPTS", reverse("territories:cpts_list")))
    if membership.role == Role.ADMINISTRATOR and user.is_staff:
        links.append(Link("Administration", reverse("admin:index")))
    links.append(Link("L'annuaire des soins de support", reverse("directory:search")))
    links.append(Link("Les soins oncologiques de support", reverse("reference:care_types")))
    return links


def sections_for(user: User, memberships: list[Membership]) -> list[RoleSection]:
    sections = []
    for membership in memberships:
        title = membership.get_role_display()
        if membership.cpts is not None:
            title = f"{title} — {membership.cpts.name}"
        sections.append(
            RoleSection(title, ROLE_SUMMARIES[Role(membership.role)], _links_of(user, membership))
        )
    return sections
