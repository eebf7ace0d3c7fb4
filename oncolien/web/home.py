"""What the home page offers each role: links to the work that exists for it."""

from dataclasses import dataclass

from django.urls import reverse

from oncolien.accounts.models import Role


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class RoleSection:
    title: str
    summary: str
    links: list[Link]


ROLE_SUMMARIES = {
    Role.COORDINATOR: "Vous animez le territoire : annuaire, parcours, indicateurs et enquêtes régionales.",
    Role.COORDINATING_NURSE: "Vous accueillez les patients, évaluez leurs besoins et suivez leur parcours.",
    Role.COMMUNITY_NURSE: "Vous remplissez la fiche de surveillance à chaque passage ; les alertes partent vers l'IDEC.",
    Role.PHYSICIAN: "Vous orientez vos patients et recevez les comptes-rendus de visite.",
    Role.PROVIDER: "Vous êtes référencé·e dans l'annuaire et recevez les orientations de patients.",
    Role.REGIONAL: "Vous suivez les indicateurs anonymisés et menez les enquêtes auprès des CPTS.",
    Role.ADMINISTRATOR: "Vous gérez les comptes, les données de référence et le journal d'audit.",
}


def sections_for(memberships) -> list[RoleSection]:
    sections = []
    for membership in memberships:
        links = []
        if membership.cpts_id:
            links.append(
                Link(f"Page de la {membership.cpts.name}", membership.cpts.get_absolute_url())
            )
        if membership.role in (Role.COORDINATOR, Role.COORDINATING_NURSE, Role.COMMUNITY_NURSE):
            links.append(
                Link("Ma liste de travail (alertes, parcours)", reverse("pathways:worklist"))
            )
        if membership.role in (Role.COORDINATOR, Role.COORDINATING_NURSE):
            links.append(Link("Nouvel appel d'inclusion", reverse("pathways:intake")))
        if membership.role == Role.COORDINATOR:
            slug = {"slug": membership.cpts.slug}
            links += [
                Link("Gérer l'annuaire", reverse("directory:manage", kwargs=slug)),
                Link("Importer des offres", reverse("directory:import_upload", kwargs=slug)),
                Link("Contributions à modérer", reverse("directory:moderation", kwargs=slug)),
                Link("Membres de la CPTS", reverse("accounts:cpts_members", kwargs=slug)),
            ]
        if membership.role in (Role.REGIONAL, Role.ADMINISTRATOR):
            links.append(Link("Toutes les CPTS", reverse("territories:cpts_list")))
        if membership.role == Role.PROVIDER:
            links.append(Link("Orientations reçues", reverse("referrals:provider_inbox")))
        if membership.role in (Role.COORDINATOR, Role.REGIONAL, Role.ADMINISTRATOR):
            links.append(Link("Rapport du parcours après-cancer", reverse("aftercare:report")))
        if membership.role == Role.ADMINISTRATOR:
            links.append(Link("Administration", reverse("admin:index")))
        links.append(Link("Les soins oncologiques de support", reverse("reference:care_types")))
        title = membership.get_role_display()
        if membership.cpts_id:
            title = f"{title} — {membership.cpts.name}"
        sections.append(RoleSection(title, ROLE_SUMMARIES[membership.role], links))
    return sections
