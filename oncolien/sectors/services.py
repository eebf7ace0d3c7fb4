"""Writes of the sectors and of who coordinates a pathway. Each function authorises,
checks everything before writing (bad input gets a French error and changes
nothing), writes atomically and audits."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from oncolien.accounts.authorization import authorize
from oncolien.accounts.models import User
from oncolien.audit.services import audit_record
from oncolien.pathways import services as pathway_services
from oncolien.pathways.access import PATHWAY_CREATE
from oncolien.pathways.models import CareTeamRole, Pathway
from oncolien.pathways.statuses import PathwayStatus
from oncolien.sectors.access import NURSE_REASSIGN, SECTOR_EDIT
from oncolien.sectors.models import NurseAssignment, Sector, SectorCommune
from oncolien.sectors.selectors import current_nurse, is_coordinating_nurse
from oncolien.territories.models import Commune, Cpts


def _nurse_name(user: User) -> str:
    return user.get_full_name() or user.get_username()


def _check_nurses(cpts: Cpts, nurses: Iterable[User]) -> list[User]:
    nurses = list(nurses)
    for nurse in nurses:
        if not is_coordinating_nurse(nurse, cpts):
            raise ValidationError(
                {
                    "nurses": f"{_nurse_name(nurse)} n'est pas infirmier·ère de coordination "
                    f"de la {cpts.name}."
                }
            )
    return nurses


def _check_communes(
    cpts: Cpts, communes: Iterable[Commune], sector: Sector | None
) -> list[Commune]:
    communes = list(communes)
    in_cpts = set(
        cpts.communes.filter(pk__in=[c.pk for c in communes]).values_list("pk", flat=True)
    )
    for commune in communes:
        if commune.pk not in in_cpts:
            raise ValidationError(
                {
                    "communes": f"La commune {commune.name} n'est pas dans le territoire de la {cpts.name}."
                }
            )
    taken = SectorCommune.objects.filter(cpts=cpts, commune__in=communes).select_related(
        "sector", "commune"
    )
    if sector is not None:
        taken = taken.exclude(sector=sector)
    clash = taken.order_by("commune__name").first()
    if clash is not None:
        raise ValidationError(
            {
                "communes": f"La commune {clash.commune.name} est déjà dans le secteur "
                f"« {clash.sector.name} » de cette CPTS : une commune n'appartient qu'à un "
                "secteur."
            }
        )
    return communes


def sector_save(
    *,
    actor: User,
    cpts: Cpts,
    name: str,
    communes: Iterable[Commune],
    nurses: Iterable[User],
    sector: Sector | None = None,
) -> Sector:
    """Create a sector of `cpts`, or change `sector`: its name, communes and nurses."""
    authorize(actor, SECTOR_EDIT, cpts)
    if sector is not None and sector.cpts_id != cpts.pk:
        raise ValidationError("Ce secteur n'appartient pas à cette CPTS.")
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Donnez un nom au secteur."})
    duplicate = Sector.objects.filter(cpts=cpts, name__iexact=name)
    if sector is not None:
        duplicate = duplicate.exclude(pk=sector.pk)
    if duplicate.exists():
        raise ValidationError({"name": f"La CPTS a déjà un secteur nommé « {name} »."})
    commune_list = _check_communes(cpts, communes, sector)
    nurse_list = _check_nurses(cpts, nurses)
    created = sector is None
    try:
        with transaction.atomic():
            if sector is None:
                sector = Sector.objects.create(cpts=cpts, name=name)
            else:
                sector.name = name
                sector.save(update_fields=["name", "updated_at"])
                sector.sector_communes.exclude(commune__in=commune_list).delete()
            known = set(sector.sector_communes.values_list("commune_id", flat=True))
            SectorCommune.objects.bulk_create(
                [
                    SectorCommune(sector=sector, cpts=cpts, commune=commune)
                    for commune in commune_list
                    if commune.pk not in known
                ]
            )
            sector.nurses.set(nurse_list)
            audit_record(
                actor=actor,
                action="sector.create" if created else "sector.update",
                target=sector,
                details={
                    "cpts": cpts.pk,
                    "communes": sorted(c.insee_code for c in commune_list),
                    "nurses": sorted(n.pk for n in nurse_list),
                },
            )
    except IntegrityError:
        # Another coordinator put one of these communes in a sector meanwhile.
        raise ValidationError(
            {
                "communes": "Une de ces communes vient d'être placée dans un autre secteur : "
                "rechargez la page."
            }
        ) from None
    return sector


def sector_delete(*, actor: User, sector: Sector) -> None:
    authorize(actor, SECTOR_EDIT, sector.cpts)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="sector.delete",
            target=sector,
            details={"cpts": sector.cpts_id, "name": sector.name},
        )
        sector.delete()


def _assign(*, actor: User, pathway: Pathway, nurse: User, at_intake: bool) -> NurseAssignment:
    """Make `nurse` the pathway's coordinating nurse: the previous one stays on the care
    team, inactive (her visits and sheets keep their author), the new one joins it."""
    if pathway.status == PathwayStatus.CLOSED:
        raise ValidationError("Ce parcours est clôturé : on ne change plus son infirmier·ère.")
    if not is_coordinating_nurse(nurse, pathway.cpts):
        raise ValidationError(
            {
                "nurse": f"{_nurse_name(nurse)} n'est pas infirmier·ère de coordination "
                f"de la {pathway.cpts.name}."
            }
        )
    previous = current_nurse(pathway)
    if previous is not None and previous.user_id == nurse.pk:
        raise ValidationError({"nurse": f"{_nurse_name(nurse)} coordonne déjà ce parcours."})
    with transaction.atomic():
        # The new nurse joins first: a nurse handing over her own pathway at intake is
        # still on its care team (allowed to write it) when she adds her colleague.
        seats = list(
            pathway.care_team.filter(role=CareTeamRole.COORDINATING_NURSE, active=True).exclude(
                user=nurse
            )
        )
        pathway_services.care_team_add(
            actor=actor, pathway=pathway, role=CareTeamRole.COORDINATING_NURSE, user=nurse
        )
        for seat in seats:
            pathway_services.care_team_remove(actor=actor, member=seat)
        assignment = NurseAssignment.objects.create(
            pathway=pathway,
            from_nurse=previous.user if previous is not None else None,
            to_nurse=nurse,
            at_intake=at_intake,
            assigned_by=actor,
            assigned_at=timezone.now(),
        )
        audit_record(
            actor=actor,
            action="pathway.coordinating_nurse",
            target=pathway,
            details={
                "from": previous.user_id if previous is not None else None,
                "to": nurse.pk,
                "at_intake": at_intake,
            },
        )
    return assignment


def reassign_coordinating_nurse(*, actor: User, pathway: Pathway, nurse: User) -> NurseAssignment:
    """A coordinator of the pathway's CPTS gives the pathway to another of its
    coordinating nurses."""
    authorize(actor, NURSE_REASSIGN, pathway)
    return _assign(actor=actor, pathway=pathway, nurse=nurse, at_intake=False)


def intake_nurse_assign(*, actor: User, pathway: Pathway, nurse: User) -> NurseAssignment | None:
    """The nurse chosen by whoever takes the intake call (the one proposed for the
    sector, or another), in the intake's own transaction. Nothing to do when the nurse
    taking the call keeps the pathway (she joined the care team at intake)."""
    authorize(actor, PATHWAY_CREATE, pathway.cpts)
    if pathway.created_by_id != actor.pk or pathway.nurse_assignments.exists():
        raise ValidationError("L'infirmier·ère se choisit à l'inclusion, par qui la fait.")
    previous = current_nurse(pathway)
    if previous is not None and previous.user_id == nurse.pk:
        return None
    return _assign(actor=actor, pathway=pathway, nurse=nurse, at_intake=True)
