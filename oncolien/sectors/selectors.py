"""Reads of the sectors: the sector of a commune, the communes with none, the
coordinating nurses of a CPTS with their workload, and the nurses proposed for a
new intake (those of the patient's sector first)."""

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from oncolien.accounts.models import Membership, Role, User
from oncolien.pathways.models import Alert, CareTeamMember, CareTeamRole, Pathway
from oncolien.pathways.statuses import PathwayStatus
from oncolien.sectors.models import NurseAssignment, Sector, SectorCommune
from oncolien.territories.models import Commune, Cpts


@dataclass(frozen=True)
class NurseLoad:
    """A coordinating nurse and her workload: counts only, no patient named."""

    user: User
    open_pathways: int
    open_alerts: int
    sectors: tuple[str, ...] = ()
    in_patient_sector: bool = False

    @property
    def name(self) -> str:
        return self.user.get_full_name() or self.user.get_username()


def sectors_of(cpts: Cpts) -> QuerySet[Sector]:
    return Sector.objects.filter(cpts=cpts).prefetch_related("sector_communes__commune", "nurses")


def sector_of_commune(*, cpts: Cpts, commune: Commune) -> Sector | None:
    link = SectorCommune.objects.filter(cpts=cpts, commune=commune).select_related("sector").first()
    return link.sector if link is not None else None


def sector_proposal_text(*, cpts: Cpts, commune: Commune) -> str:
    """Who the sector of `commune` proposes for a new intake, in a few words (the
    worklist's contact requests): « secteur « Aubrac » : Hélène Fabre », or that the
    commune has no sector yet."""
    sector = sector_of_commune(cpts=cpts, commune=commune)
    if sector is None:
        return "commune sans secteur"
    nurses = sorted(
        (nurse.get_full_name() or nurse.get_username() for nurse in sector.nurses.all()),
        key=str.lower,
    )
    return f"secteur « {sector.name} » : {', '.join(nurses) or 'aucun·e infirmier·ère'}"


def communes_without_sector(cpts: Cpts) -> QuerySet[Commune]:
    assigned = SectorCommune.objects.filter(cpts=cpts).values("commune_id")
    return cpts.communes.exclude(pk__in=assigned).order_by("name")


def coordinating_nurses(cpts: Cpts) -> QuerySet[User]:
    """The active users who are coordinating nurses of the CPTS."""
    ids = Membership.objects.filter(cpts=cpts, role=Role.COORDINATING_NURSE).values("user_id")
    return User.objects.filter(pk__in=ids, is_active=True).order_by(
        "last_name", "first_name", "username"
    )


def is_coordinating_nurse(user: User, cpts: Cpts) -> bool:
    return Membership.objects.filter(
        user=user, cpts=cpts, role=Role.COORDINATING_NURSE, user__is_active=True
    ).exists()


def _coordinated(cpts: Cpts) -> QuerySet[CareTeamMember]:
    """The active coordinating-nurse seats on the CPTS's open pathways."""
    return CareTeamMember.objects.filter(
        role=CareTeamRole.COORDINATING_NURSE,
        active=True,
        user__isnull=False,
        pathway__cpts=cpts,
    ).exclude(pathway__status=PathwayStatus.CLOSED)


def workloads(cpts: Cpts) -> list[NurseLoad]:
    """Every coordinating nurse of the CPTS with her open pathways (where she is the
    active coordinating nurse) and their alerts not yet acknowledged, by name."""
    nurses = list(coordinating_nurses(cpts))
    seats = _coordinated(cpts).filter(user__in=nurses)
    nurse_of: dict[int, set[int]] = {}
    pathways: dict[int, int] = {}
    for user_id, pathway_id in seats.order_by().values_list("user_id", "pathway_id"):
        pathways[user_id] = pathways.get(user_id, 0) + 1
        nurse_of.setdefault(pathway_id, set()).add(user_id)
    alerts: dict[int, int] = {}
    open_alerts = (
        Alert.objects.filter(acknowledged_at__isnull=True, pathway__in=seats.values("pathway_id"))
        .order_by()
        .values("pathway_id")
        .annotate(n=Count("pk"))
        .values_list("pathway_id", "n")
    )
    for pathway_id, count in open_alerts:
        for user_id in nurse_of.get(pathway_id, ()):
            alerts[user_id] = alerts.get(user_id, 0) + count
    names: dict[int, list[str]] = {}
    links = Sector.nurses.through.objects.filter(sector__cpts=cpts)
    for user_id, sector_name in links.values_list("user_id", "sector__name"):
        names.setdefault(user_id, []).append(sector_name)
    return [
        NurseLoad(
            user=nurse,
            open_pathways=pathways.get(nurse.pk, 0),
            open_alerts=alerts.get(nurse.pk, 0),
            sectors=tuple(sorted(names.get(nurse.pk, []))),
        )
        for nurse in nurses
    ]


def proposed_nurses(cpts: Cpts, commune: Commune) -> list[NurseLoad]:
    """The coordinating nurses of the CPTS for a new patient of `commune`: those of the
    commune's sector first, then the others; within each, the least loaded first
    (open pathways, then open alerts, then name)."""
    sector = sector_of_commune(cpts=cpts, commune=commune)
    in_sector = set(sector.nurses.values_list("pk", flat=True)) if sector is not None else set()
    loads = [
        NurseLoad(
            user=load.user,
            open_pathways=load.open_pathways,
            open_alerts=load.open_alerts,
            sectors=load.sectors,
            in_patient_sector=load.user.pk in in_sector,
        )
        for load in workloads(cpts)
    ]
    return sorted(
        loads,
        key=lambda load: (
            not load.in_patient_sector,
            load.open_pathways,
            load.open_alerts,
            load.name.lower(),
        ),
    )


def current_nurse(pathway: Pathway) -> CareTeamMember | None:
    """The pathway's active coordinating nurse with an account (the latest one)."""
    return (
        pathway.care_team.filter(
            role=CareTeamRole.COORDINATING_NURSE, active=True, user__isnull=False
        )
        .select_related("user")
        .order_by("-pk")
        .first()
    )


def assignments_of(pathway: Pathway) -> QuerySet[NurseAssignment]:
    return NurseAssignment.objects.filter(pathway=pathway).select_related(
        "from_nurse", "to_nurse", "assigned_by"
    )
