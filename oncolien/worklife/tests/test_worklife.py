"""The work situation and return-to-work plan: recorded, refused when wrong, shown on
the pathway page, in the visit report, and in the patient's words for the booklet."""

import html
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import strip_tags

from oncolien.accounts.authorization import AccessDenied
from oncolien.audit.models import AuditEntry
from oncolien.pathways.extensions import report_sections_for
from oncolien.pathways.reports import report_content, report_create
from oncolien.pathways.services import visit_add
from oncolien.pathways.tests.factories import make_pathway
from oncolien.worklife.models import WorkSituation
from oncolien.worklife.selectors import work_plan_lines
from oncolien.worklife.services import WorkValues, work_situation_save

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _text(response) -> str:
    return " ".join(html.unescape(strip_tags(response.content.decode())).split())


@pytest.fixture
def pathway(coordinating_nurse):
    return make_pathway(
        actor=coordinating_nurse, last_name="Durand", first_name="Agnès", gp_name="Dr Paul Roux"
    )


def _plan(**values) -> WorkValues:
    fields = {
        "status": "employed",
        "sick_leave_since": date(2026, 3, 2),
        "employer_sector": "Grande distribution",
        "occupational_physician_contacted_on": date(2026, 10, 5),
        "pre_return_visit_on": TODAY() + timedelta(days=10),
        "part_time_from": date(2027, 1, 4),
        "part_time_to": date(2027, 4, 2),
        "workstation_adjustment": "pas de port de charges lourdes",
        "notes": "Inquiète pour son poste.",
        **values,
    }
    return WorkValues(**fields)


def test_the_return_to_work_plan_is_in_the_visit_report(pathway, coordinating_nurse):
    work_situation_save(actor=coordinating_nurse, pathway=pathway, values=_plan())
    [section] = [
        s for s in report_sections_for(pathway) if s.title.startswith("Activité professionnelle")
    ]
    assert section.lines[0] == (
        "Situation : salarié·e (Grande distribution), en arrêt de travail depuis le 02/03/2026."
    )
    assert "Mi-temps thérapeutique du 04/01/2027 au 02/04/2027." in section.lines
    assert "Aménagement de poste : pas de port de charges lourdes." in section.lines
    # The report itself carries the section.
    visit = visit_add(
        actor=coordinating_nurse, pathway=pathway, kind="phone", occurred_at=timezone.now()
    )
    report = report_create(
        actor=coordinating_nurse, visit=visit, recipients=list(pathway.care_team.filter(role="gp"))
    )
    content = report_content(report)
    lines = [line for s in content.sections for line in s.lines]
    assert "Médecin du travail contacté le 05/10/2026." in lines
    assert AuditEntry.objects.filter(action="worklife.create", target_id=str(pathway.pk)).exists()


def test_the_booklet_lines_speak_to_the_patient_and_leave_the_notes_out(
    pathway, coordinating_nurse
):
    work_situation_save(actor=coordinating_nurse, pathway=pathway, values=_plan())
    lines = work_plan_lines(pathway)
    visit = (TODAY() + timedelta(days=10)).strftime("%d/%m/%Y")
    assert lines[:2] == [
        "Vous êtes en arrêt de travail depuis le 02/03/2026.",
        "Votre médecin du travail a été contacté le 05/10/2026.",
    ]
    assert f"Votre visite de pré-reprise avec le médecin du travail est prévue le {visit}." in lines
    assert "Vous reprenez en mi-temps thérapeutique du 04/01/2027 au 02/04/2027." in lines
    assert not any("Inquiète" in line for line in lines)
    # Once the visit is past, it is said so.
    later = work_plan_lines(pathway, today=TODAY() + timedelta(days=11))
    assert f"Votre visite de pré-reprise a eu lieu le {visit}." in later


def test_a_pathway_without_situation_has_no_booklet_lines(pathway):
    assert work_plan_lines(pathway) == []


def test_bad_input_is_refused_in_french_and_changes_nothing(pathway, coordinating_nurse):
    cases = [
        (_plan(status="astronaut"), "status", "Choisissez la situation professionnelle"),
        (_plan(status="retired"), "status", "concernent une personne en emploi"),
        (
            _plan(part_time_from=date(2027, 4, 2), part_time_to=date(2027, 1, 4)),
            "part_time_to",
            "La fin du mi-temps thérapeutique précède son début.",
        ),
        (
            _plan(part_time_from=None),
            "part_time_from",
            "Indiquez le début du mi-temps thérapeutique.",
        ),
        (
            _plan(sick_leave_since=TODAY() + timedelta(days=3)),
            "sick_leave_since",
            "L'arrêt de travail ne peut pas commencer dans le futur.",
        ),
    ]
    for values, field, message in cases:
        with pytest.raises(ValidationError) as error:
            work_situation_save(actor=coordinating_nurse, pathway=pathway, values=values)
        assert message in " ".join(error.value.message_dict[field])
    assert not WorkSituation.objects.exists()


def test_the_panel_and_form_on_the_pathway_page(login, pathway, coordinating_nurse):
    client = login(coordinating_nurse)
    text = _text(client.get(f"/parcours/{pathway.pk}/"))
    assert "Situation professionnelle non renseignée." in text
    assert "Besoin associé : Prise en charge sociale, familiale et professionnelle" in text
    url = f"/activite-professionnelle/parcours/{pathway.pk}/"
    bad = client.post(url, {"status": "student", "sick_leave_since": "2026-03-02"})
    assert bad.status_code == 400 and "rien n'a été enregistré" in _text(bad)
    done = client.post(url, {"status": "self_employed", "sick_leave_since": "2026-03-02"})
    assert done.status_code == 302
    text = _text(client.get(f"/parcours/{pathway.pk}/"))
    assert (
        "Situation : travailleur·se indépendant·e, en arrêt de travail depuis le 02/03/2026."
        in text
    )


def test_another_cpts_gets_404_and_its_refusal_is_audited(
    login, pathway, coordinating_nurse, outsider
):
    with pytest.raises(AccessDenied):
        work_situation_save(actor=outsider, pathway=pathway, values=_plan())
    client = login(outsider)
    url = f"/activite-professionnelle/parcours/{pathway.pk}/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"status": "employed"}).status_code == 404
    assert AuditEntry.objects.filter(action="access.denied", actor=outsider).count() == 3
    assert not WorkSituation.objects.exists()
