"""The sheets table of the pathway page shows what the nurse typed, and writes units
as they are written (mmHg, °C, CNO, EVA)."""

import re
from html import unescape

import pytest
from django.urls import reverse

from oncolien.pathways.services import monitoring_record_add
from oncolien.pathways.tests.factories import make_pathway

pytestmark = pytest.mark.django_db


def sheet_rows(client, pathway) -> dict[str, list[str]]:
    """{row label: [cell texts]} of the sheets table, as a reader sees them."""
    page = client.get(reverse("pathways:pathway_detail", kwargs={"pk": pathway.pk}))
    section = page.content.decode().split('id="fiches"', 1)[1].split("</section>", 1)[0]
    rows = {}
    for label, cells in re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', section, re.S):
        rows[unescape(label)] = [unescape(c) for c in re.findall(r"<td>(.*?)</td>", cells, re.S)]
    return rows


def test_a_typed_note_is_shown_with_its_punctuation(coordinating_nurse, login):
    pathway = make_pathway(actor=coordinating_nurse)
    note = "Fatiguée le matin. J8 de la cure, T° 37.8 hier soir ; voir Dr Roux."
    monitoring_record_add(
        actor=coordinating_nurse,
        pathway=pathway,
        values={
            "observations": note,
            "treatment_difficulties": "Oublie le comprimé du soir (2 fois).",
            "pain_location": "Épaule g. et dos",
            "weight_kg": "62.5",
            "temperature_c": "38",
        },
    )
    rows = sheet_rows(login(coordinating_nurse), pathway)
    assert rows["Observations"] == [note]
    assert rows["Difficultés avec le traitement"] == ["Oublie le comprimé du soir (2 fois)."]
    assert rows["Localisation de la douleur"] == ["Épaule g. et dos"]
    # Numbers are still written the French way.
    assert rows["Poids (kg)"] == ["62,5"]
    assert rows["Température (°C)"] == ["38,0"]


def test_units_and_acronyms_keep_their_capitals(coordinating_nurse, login):
    pathway = make_pathway(actor=coordinating_nurse)
    monitoring_record_add(
        actor=coordinating_nurse,
        pathway=pathway,
        values={"systolic_bp": "125", "diastolic_bp": "80", "pain_score": "3"},
    )
    labels = list(sheet_rows(login(coordinating_nurse), pathway))
    for label in (
        "PA systolique (mmHg)",
        "PA diastolique (mmHg)",
        "Température (°C)",
        "Alimentation enrichie / CNO",
        "Douleur (EVA 0-10)",
        "Saturation (%)",
    ):
        assert label in labels
