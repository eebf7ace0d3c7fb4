"""The hormone-therapy follow-up and the return to work in the patient's booklet: the
treatment, its end, the next contacts and the plan back to work, in the patient's
words, in the printed edition; nothing for a pathway without them."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from oncolien.adherence.tests.helpers import make_plan
from oncolien.booklets.extensions import booklet_sections_for
from oncolien.pathways.tests.factories import make_pathway
from oncolien.worklife.services import WorkValues, work_situation_save
from tests.pdf import flat_pdf_text

pytestmark = pytest.mark.django_db

HORMONE = "Votre suivi de l'hormonothérapie"
WORK = "Votre reprise d'activité professionnelle"


@pytest.fixture
def pathway(coordinating_nurse):
    return make_pathway(actor=coordinating_nurse, last_name="Durand", first_name="Agnès")


def _titles(pathway) -> list[str]:
    return [section.title for section in booklet_sections_for(pathway)]


def test_a_pathway_without_plan_nor_work_situation_has_neither_section(pathway):
    titles = _titles(pathway)
    assert HORMONE not in titles and WORK not in titles


def test_the_plan_and_the_return_to_work_are_in_the_printed_booklet(
    login, coordinating_nurse, pathway
):
    started = timezone.localdate() - timedelta(days=30)
    make_plan(actor=coordinating_nurse, pathway=pathway, started_on=started)
    work_situation_save(
        actor=coordinating_nurse,
        pathway=pathway,
        values=WorkValues(
            status="employed",
            sick_leave_since=date(2026, 3, 2),
            part_time_from=date(2027, 1, 4),
            part_time_to=date(2027, 4, 2),
            notes="Inquiète pour son poste.",
        ),
    )
    sections = {section.title: section for section in booklet_sections_for(pathway)}
    hormone = sections[HORMONE].lines
    assert hormone[0].startswith(
        f"Votre hormonothérapie : Tamoxifène, commencée le {started:%d/%m/%Y}"
    )
    assert any(line.startswith("Prochain contact prévu le ") for line in hormone)
    assert "N'arrêtez pas votre traitement sans en parler à votre médecin." in hormone

    client = login(coordinating_nurse)
    response = client.post(f"/livrets/parcours/{pathway.pk}/imprimer/", {"page_format": "a4"})
    assert response.status_code == 200, response.content[:300]
    text = flat_pdf_text(response.content)
    assert HORMONE in text and WORK in text
    assert "Vous êtes en arrêt de travail depuis le 02/03/2026." in text
    assert "Inquiète" not in text  # the team's notes stay with the team
