import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from oncolien.audit.models import AuditEntry
from oncolien.pathways.models import CareTeamRole
from oncolien.pathways.services import monitoring_record_add, status_change
from oncolien.pathways.tests.factories import make_pathway
from oncolien.sectors.models import NurseAssignment, Sector, SectorCommune
from oncolien.sectors.selectors import communes_without_sector, proposed_nurses
from oncolien.sectors.services import reassign_coordinating_nurse, sector_save
from oncolien.sectors.tests.factories import make_nurse, make_sector
from oncolien.territories.models import Commune

pytestmark = pytest.mark.django_db


def commune(name: str) -> Commune:
    return Commune.objects.get(name=name, department__code="12")


@pytest.fixture
def nurses(nord_aveyron):
    return {
        "anne": make_nurse("anne.lot", nord_aveyron, last_name="Lot"),
        "berthe": make_nurse("berthe.aubrac", nord_aveyron, last_name="Aubrac"),
        "carole": make_nurse("carole.viadene", nord_aveyron, last_name="Viadène"),
    }


@pytest.fixture
def sectors(coordinator, nord_aveyron, nurses):
    return {
        "lot": make_sector(
            actor=coordinator,
            cpts=nord_aveyron,
            name="Vallée du Lot",
            communes=["Espalion", "Estaing", "Saint-Côme-d'Olt"],
            nurses=[nurses["anne"]],
        ),
        "aubrac": make_sector(
            actor=coordinator,
            cpts=nord_aveyron,
            name="Aubrac",
            communes=["Laguiole", "Saint-Chély-d'Aubrac"],
            nurses=[nurses["berthe"], nurses["carole"]],
        ),
    }


def test_a_patient_of_sector_a_is_proposed_to_the_nurses_of_a_first_with_their_workload(
    coordinator, nord_aveyron, nurses, sectors
):
    # Carole already coordinates two open pathways, one with an open alert; Berthe none.
    for last_name in ("Un", "Deux"):
        pathway = make_pathway(actor=nurses["carole"], commune="12119", last_name=last_name)
    monitoring_record_add(actor=nurses["carole"], pathway=pathway, values={"temperature_c": "39"})
    closed = make_pathway(actor=nurses["berthe"], commune="12119", last_name="Clos")
    status_change(actor=coordinator, pathway=closed, to_status="closed", closing_reason="moved")

    proposal = proposed_nurses(nord_aveyron, commune("Laguiole"))

    assert [(p.user.username, p.in_patient_sector) for p in proposal] == [
        ("berthe.aubrac", True),
        ("carole.viadene", True),
        ("anne.lot", False),
    ]
    assert [(p.open_pathways, p.open_alerts) for p in proposal] == [(0, 0), (2, 1), (0, 0)]
    assert proposal[1].sectors == ("Aubrac",)


def test_a_commune_without_sector_proposes_every_nurse_least_loaded_first(
    nord_aveyron, nurses, sectors
):
    make_pathway(actor=nurses["anne"], commune="12096")
    proposal = proposed_nurses(nord_aveyron, commune("Bozouls"))
    assert not any(p.in_patient_sector for p in proposal)
    assert [p.user.username for p in proposal][-1] == "anne.lot"
    assert "Bozouls" in {c.name for c in communes_without_sector(nord_aveyron)}
    assert "Espalion" not in {c.name for c in communes_without_sector(nord_aveyron)}


def test_a_commune_is_in_one_sector_only_of_a_cpts(coordinator, nord_aveyron, sectors):
    with pytest.raises(ValidationError) as error:
        make_sector(actor=coordinator, cpts=nord_aveyron, name="Nord", communes=["Espalion"])
    assert error.value.message_dict["communes"] == [
        "La commune Espalion est déjà dans le secteur « Vallée du Lot » de cette CPTS : "
        "une commune n'appartient qu'à un secteur."
    ]
    assert not Sector.objects.filter(name="Nord").exists()
    assert SectorCommune.objects.filter(commune__name="Espalion").count() == 1


def test_a_commune_outside_the_cpts_and_a_nurse_of_another_role_are_refused(
    coordinator, nord_aveyron, community_nurse
):
    with pytest.raises(ValidationError) as error:
        sector_save(
            actor=coordinator,
            cpts=nord_aveyron,
            name="Ailleurs",
            communes=[Commune.objects.get(insee_code="81065")],
            nurses=[],
        )
    assert "n'est pas dans le territoire de la CPTS Nord Aveyron" in str(error.value)
    with pytest.raises(ValidationError) as error:
        sector_save(
            actor=coordinator, cpts=nord_aveyron, name="X", communes=[], nurses=[community_nurse]
        )
    assert "n'est pas infirmier·ère de coordination de la CPTS Nord Aveyron" in str(error.value)
    assert not Sector.objects.exists()


def test_every_commune_of_the_cpts_can_be_assigned(coordinator, nord_aveyron):
    sector_save(
        actor=coordinator,
        cpts=nord_aveyron,
        name="Tout le territoire",
        communes=list(nord_aveyron.communes.all()),
        nurses=[],
    )
    assert not communes_without_sector(nord_aveyron).exists()


def test_only_a_coordinator_of_the_cpts_defines_sectors(coordinating_nurse, outsider, nord_aveyron):
    for actor in (coordinating_nurse, outsider):
        with pytest.raises(PermissionDenied):
            sector_save(actor=actor, cpts=nord_aveyron, name="S", communes=[], nurses=[])
    assert AuditEntry.objects.filter(action="access.denied").count() == 2


def test_a_coordinator_reassigns_a_pathway_audited_and_the_care_team_follows(
    coordinator, nurses, sectors
):
    pathway = make_pathway(actor=nurses["anne"], commune="12119")
    assignment = reassign_coordinating_nurse(
        actor=coordinator, pathway=pathway, nurse=nurses["berthe"]
    )
    team = {
        m.user.username: m.active
        for m in pathway.care_team.filter(role=CareTeamRole.COORDINATING_NURSE)
    }
    assert team == {"anne.lot": False, "berthe.aubrac": True}
    assert (assignment.from_nurse, assignment.to_nurse) == (nurses["anne"], nurses["berthe"])
    entry = AuditEntry.objects.filter(action="pathway.coordinating_nurse").get()
    assert entry.details == {
        "from": nurses["anne"].pk,
        "to": nurses["berthe"].pk,
        "at_intake": False,
    }
    # Anne no longer coordinates it: her workload drops, Berthe's rises.
    loads = {
        p.user.username: p.open_pathways for p in proposed_nurses(pathway.cpts, commune("Espalion"))
    }
    assert loads["anne.lot"] == 0 and loads["berthe.aubrac"] == 1


def test_reassignment_is_refused_to_a_nurse_and_to_another_cpts(
    coordinator, outsider, nurses, sud_tarn
):
    pathway = make_pathway(actor=nurses["anne"])
    with pytest.raises(PermissionDenied):
        reassign_coordinating_nurse(actor=nurses["anne"], pathway=pathway, nurse=nurses["berthe"])
    with pytest.raises(PermissionDenied):
        reassign_coordinating_nurse(actor=outsider, pathway=pathway, nurse=nurses["berthe"])
    tarn_nurse = make_nurse("denise.tarn", sud_tarn)
    with pytest.raises(ValidationError) as error:
        reassign_coordinating_nurse(actor=coordinator, pathway=pathway, nurse=tarn_nurse)
    assert "n'est pas infirmier·ère de coordination de la CPTS Nord Aveyron" in str(error.value)
    assert not NurseAssignment.objects.exists()
    assert pathway.care_team.get(role=CareTeamRole.COORDINATING_NURSE).user == nurses["anne"]


def test_a_closed_pathway_keeps_its_nurse(coordinator, nurses):
    pathway = make_pathway(actor=nurses["anne"])
    status_change(actor=coordinator, pathway=pathway, to_status="closed", closing_reason="moved")
    with pytest.raises(ValidationError, match="clôturé"):
        reassign_coordinating_nurse(actor=coordinator, pathway=pathway, nurse=nurses["berthe"])
    assert not NurseAssignment.objects.exists()
