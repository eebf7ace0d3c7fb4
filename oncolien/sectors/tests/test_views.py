import pytest
from django.urls import reverse
from django.utils import timezone

from oncolien.audit.models import AuditEntry
from oncolien.pathways.models import CareTeamRole, Pathway
from oncolien.pathways.tests.factories import make_pathway
from oncolien.sectors.models import NurseAssignment, Sector
from oncolien.sectors.tests.factories import make_nurse, make_sector
from oncolien.territories.models import Commune

pytestmark = pytest.mark.django_db

INTAKE = reverse("pathways:intake")


@pytest.fixture
def team(coordinator, nord_aveyron):
    anne = make_nurse("anne.lot", nord_aveyron, first_name="Anne", last_name="Lot")
    berthe = make_nurse("berthe.aubrac", nord_aveyron, first_name="Berthe", last_name="Aubrac")
    make_sector(
        actor=coordinator,
        cpts=nord_aveyron,
        name="Vallée du Lot",
        communes=["Espalion", "Estaing"],
        nurses=[anne],
    )
    make_sector(
        actor=coordinator, cpts=nord_aveyron, name="Aubrac", communes=["Laguiole"], nurses=[berthe]
    )
    return {"anne": anne, "berthe": berthe}


def intake_data(**overrides):
    return {
        "last_name": "Bernard",
        "first_name": "Lucie",
        "birth_date": "1961-05-20",
        "sex": "F",
        "commune": "Laguiole",
        "intake_channel": "phone_line",
        "first_contact_on": timezone.localdate().isoformat(),
        **overrides,
    }


def test_the_sector_page_shows_sectors_nurses_workloads_and_communes_without_sector(
    coordinator, login, team, nord_aveyron
):
    make_pathway(actor=team["anne"])
    page = login(coordinator).get(reverse("sectors:cpts", args=[nord_aveyron.slug]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Vallée du Lot" in text and "Espalion, Estaing" in text
    assert "Anne Lot — 1 parcours ouvert, 0 alerte non prise en compte" in text
    assert "38 communes sans secteur" in text
    without = login(coordinator).get(reverse("sectors:without", args=[nord_aveyron.slug]))
    assert "Bozouls" in without.content.decode() and "Espalion" not in without.content.decode()


def test_a_commune_already_in_a_sector_is_refused_in_french_on_the_form(
    coordinator, login, team, nord_aveyron
):
    espalion = Commune.objects.get(insee_code="12096")
    response = login(coordinator).post(
        reverse("sectors:create", args=[nord_aveyron.slug]),
        {"name": "Nord", "communes": [espalion.pk]},
    )
    assert response.status_code == 400
    assert "est déjà dans le secteur « Vallée du Lot » de cette CPTS" in response.content.decode()
    assert not Sector.objects.filter(name="Nord").exists()


def test_the_intake_proposes_the_sector_nurse_first_and_assigns_the_one_chosen(
    coordinating_nurse, login, team
):
    client = login(coordinating_nurse)
    check = client.post(
        INTAKE, {"step": "commune", "commune": "Laguiole", "intake_channel": "phone_line"}
    ).content.decode()
    assert "Laguiole est dans le secteur « Aubrac »" in check
    berthe = check.index("Berthe Aubrac (secteur « Aubrac »)")
    assert berthe < check.index("Anne Lot —")
    assert f'value="{team["berthe"].pk}" checked' in check

    response = client.post(INTAKE, intake_data(coordinating_nurse=str(team["berthe"].pk)))
    assert response.status_code == 302
    pathway = Pathway.objects.get()
    seats = {
        m.user.username: m.active
        for m in pathway.care_team.filter(role=CareTeamRole.COORDINATING_NURSE)
    }
    # The nurse who took the call handed the pathway to the sector's nurse.
    assert seats == {"idec.nord": False, "berthe.aubrac": True}
    assert NurseAssignment.objects.get().at_intake
    # She is no longer on the care team: back to a new call, told who has it.
    assert response["Location"] == INTAKE
    told = client.get(INTAKE).content.decode()
    assert "Le parcours est confié à l&#x27;infirmier·ère choisi·e." in told
    detail = reverse("pathways:pathway_detail", args=[pathway.pk])
    assert client.get(detail).status_code == 404
    page = login(team["berthe"]).get(detail).content.decode()
    assert "Parcours coordonné par <strong>Berthe Aubrac</strong>" in page


def test_an_intake_with_a_nurse_of_no_cpts_is_refused_and_saves_nothing(
    coordinating_nurse, login, team, sud_tarn
):
    stranger = make_nurse("denise.tarn", sud_tarn)
    response = login(coordinating_nurse).post(
        INTAKE, intake_data(coordinating_nurse=str(stranger.pk))
    )
    assert response.status_code == 400
    assert "Choisissez une infirmière ou un infirmier de coordination de la CPTS." in (
        response.content.decode()
    )
    assert not Pathway.objects.exists()


def test_the_coordinator_reassigns_from_the_pathway_page(coordinator, login, team, outsider):
    pathway = make_pathway(actor=team["anne"], commune="12119")
    client = login(coordinator)
    page = client.get(reverse("pathways:pathway_detail", args=[pathway.pk])).content.decode()
    assert "Confier le parcours à" in page
    assert "Berthe Aubrac (secteur du patient)" in page
    url = reverse("sectors:reassign", args=[pathway.pk])
    assert login(outsider).post(url, {"nurse": team["berthe"].pk}).status_code == 404
    response = login(coordinator).post(url, {"nurse": team["berthe"].pk})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Parcours confié à Berthe Aubrac." in page
    assert "Parcours coordonné par <strong>Berthe Aubrac</strong>" in page
    assert "(auparavant Anne Lot)" in page
    assert AuditEntry.objects.filter(action="pathway.coordinating_nurse").count() == 1


def test_a_nurse_sees_no_reassignment_form(login, team):
    pathway = make_pathway(actor=team["anne"])
    page = login(team["anne"]).get(reverse("pathways:pathway_detail", args=[pathway.pk]))
    assert "Parcours coordonné par <strong>Anne Lot</strong>" in page.content.decode()
    assert "Confier le parcours à" not in page.content.decode()
