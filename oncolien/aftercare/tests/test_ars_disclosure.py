"""The ARS file as regional staff get it: small counts protected, as in the regional
indicators (oncolien.disclosure), in the XLSX and in the PDF; the coordinator who sends
the file keeps the exact figures.

The hand-built world (conftest `world`) has structures of 3, 1 and 1 patients: every
per-structure count is a small count."""

import re
from itertools import product

import pytest
from django.urls import reverse

from oncolien.aftercare import semesters
from oncolien.aftercare.ars_disclosure import AMOUNT_RULE, published
from oncolien.aftercare.ars_exports import ars_pdf, ars_xlsx
from oncolien.aftercare.ars_file import ars_file
from oncolien.aftercare.tests.ars_world import TOTAL, A, B, C
from oncolien.aftercare.tests.test_ars_exports import sheets
from oncolien.disclosure import MASKED, RULE, SMALL
from tests.pdf import flat_pdf_text

pytestmark = pytest.mark.django_db

S1 = semesters.Semester(2026, 1)


def small_numbers(text: str) -> list[str]:
    """Counts of 1 to 4 written as figures (« 3 », « 3 sur 5 »), amounts apart."""
    return re.findall(r"(?<![\d,.<])[1-4](?![\d,.])", text)


def test_regional_staff_download_an_xlsx_without_any_small_count(login, regional, world):
    client = login(regional)
    response = client.get(reverse("aftercare:ars_file"), {"semestre": "2026-S1", "format": "xlsx"})
    assert response.status_code == 200
    book = sheets(response.content)
    summary = {row[0]: row[1:] for row in book["Synthèse"][1:]}
    # Structure C has one patient: « < 5 », never « 1 ».
    assert summary[C][0] == SMALL
    assert summary[A][0] == SMALL
    assert summary[B][1].startswith(("0 sur", SMALL, MASKED))
    for title in ("Synthèse", "Tranches d'âge", "Sexe", "Localisations", "Types de traitement"):
        for row in book[title][1:]:
            for cell in row[1:]:
                assert not small_numbers(str(cell)), (title, row)
    about = {row[0]: row[1] for row in book["Fichier"] if row[0]}
    assert about["Petits effectifs"] == RULE
    assert about["Montants"] == AMOUNT_RULE


def test_the_coordinator_who_sends_the_file_keeps_the_exact_figures(coordinator, world):
    book = sheets(ars_xlsx(ars_file(coordinator, S1)))
    summary = {row[0]: row[1:] for row in book["Synthèse"][1:]}
    assert summary[A][0] == "3"
    about = {row[0]: row[1] for row in book["Fichier"] if row[0]}
    assert "Petits effectifs" not in about


def test_amounts_follow_their_count_hidden_or_rounded_to_500_euros(regional, world):
    book = sheets(ars_xlsx(ars_file(regional, S1)))
    acts = {(row[0], row[1]): row[2:] for row in book["Actes"][1:]}
    # A's dietary follow-ups: 2 prescribed (45,00 €), 1 done (22,50 €): hidden with them.
    assert acts[(A, "Consultation de suivi diététique")] == (SMALL, SMALL, SMALL, SMALL)
    for (_, _), (prescribed, prescribed_amount, done, done_amount) in acts.items():
        for count, amount in ((prescribed, prescribed_amount), (done, done_amount)):
            if count in (SMALL, MASKED):
                assert amount == count
            else:
                assert int(amount.replace("\u202f", "").replace(" ", "")) % 500 == 0


def test_the_published_total_does_not_give_back_the_hidden_structures(regional, world):
    """Every assignment of the hidden file actives that agrees with what is published
    (bounds of « < 5 » and « masqué », rounding of what is shown to 5, the total being
    at most the sum of the structures) leaves each hidden count more than one value."""
    ars = ars_file(regional, S1)
    pub = published(ars)
    rows = list(range(len(ars.structures)))
    cells = [pub.cell(row, "file_active") for row in rows]
    total = pub.cell("total", "file_active")
    hidden = [index for index, cell in enumerate(cells) if cell.value is None]
    assert hidden, "the world's structures are small: they must be hidden"

    def candidates(cell):
        if cell.value is not None:
            return range(max(0, cell.value - 2), cell.value + 3)  # rounded to 5
        return range(1, 5) if cell.small else range(5, 40)

    possible = {index: set() for index in hidden}
    for values in product(*(candidates(cell) for cell in cells)):
        for real_total in candidates(total):
            if real_total <= sum(values) and real_total >= max(values, default=0):
                for index in hidden:
                    possible[index].add(values[index])
    for index in hidden:
        assert len(possible[index]) > 1, (ars.structures[index].name, possible[index])


def test_the_regional_pdf_states_the_rule_and_shows_no_small_count(regional, world):
    text = flat_pdf_text(ars_pdf(ars_file(regional, S1)).content)
    assert "Protection des petits effectifs" in text
    assert SMALL in text
    # The structures' names are there (they are organisations, not patients).
    assert A.split(" — ")[0] in text
    assert TOTAL in text
