"""The booklet for the care team: its page, its PDF (A4, A5), its editions and audit."""

import subprocess
from datetime import UTC, datetime

from django.urls import reverse

from oncolien.audit.models import AuditEntry
from oncolien.booklets import printing
from oncolien.booklets.extensions import (
    _SOURCES,
    BookletSection,
    booklet_sections_for,
    register_booklet_section,
)
from oncolien.booklets.models import BookletEdition
from oncolien.booklets.selectors import french_day
from oncolien.booklets.services import booklet_of, edition_record
from oncolien.booklets.tests.conftest import appointment_day
from oncolien.pathways.services import treatment_add
from tests.pdf import flat_pdf_text


def _print(client, pathway, page_format="a4"):
    return client.post(reverse("booklets:print", args=[pathway.pk]), {"page_format": page_format})


def test_the_a4_pdf_holds_every_section_with_names_dates_and_the_edition_date(
    login, coordinating_nurse, pathway
):
    client = login(coordinating_nurse)
    response = _print(client, pathway)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = flat_pdf_text(response.content)
    today = french_day(datetime.now(UTC))
    assert f"Édition du {today} (n° 1)" in text
    assert f"Édition n° 1 du {today}" in text  # the footer of every page
    for expected in (
        "Dossier oncologique de suivi",
        "Jeanne DURAND",
        "né·e le 12/04/1958",
        "Votre parcours",
        "Premier contact avec la CPTS : 02/11/2026",
        "Votre équipe de soins",
        "Dr Paul Costes — Oncologue : 05 36 49 30 01",
        "Qui appeler après l'annonce",
        "Hôpital de jour d'oncologie — Centre hospitalier de Rodez",
        "tél. 05 36 49 21 01 ; du lundi au vendredi, 9 h – 17 h",
        "Vos rendez-vous à venir",
        f"{appointment_day():%d/%m/%Y} à 14h30 : Prise en charge diététique et nutritionnelle — "
        "Consultation diététique",
        "Vos traitements",
        "Chimiothérapie : du 03/11/2026 au 15/02/2027 (6 cures)",
        "Vos soins de support",
        "Consultation diététique",
        "rendez-vous fixé",
        "Les signes qui doivent vous faire appeler",
        "Température à 38,0 °C ou plus",
        "Mes notes",
    ):
        assert expected in text, expected
    # The sections come in the booklet's order.
    order = [
        "Votre parcours",
        "Votre équipe de soins",
        "Qui appeler après l'annonce",
        "Vos rendez-vous à venir",
        "Vos traitements",
        "Vos soins de support",
        "Les signes qui doivent vous faire appeler",
        "Mes notes",
    ]
    positions = [text.index(title) for title in order]
    assert positions == sorted(positions)


def test_each_printing_is_a_new_edition_recorded_and_audited(login, coordinating_nurse, pathway):
    client = login(coordinating_nurse)
    _print(client, pathway)
    second = _print(client, pathway, "a5")
    assert "(n° 2)" in flat_pdf_text(second.content)
    editions = list(BookletEdition.objects.order_by("number"))
    assert [(e.number, e.page_format, e.printed_by) for e in editions] == [
        (1, "a4", coordinating_nurse),
        (2, "a5", coordinating_nurse),
    ]
    printed = AuditEntry.objects.filter(action="booklet.print", target_id=str(pathway.pk))
    assert [entry.details["edition"] for entry in printed.order_by("pk")] == [1, 2]
    assert all(entry.actor_id == coordinating_nurse.pk for entry in printed)
    page = client.get(reverse("booklets:booklet", args=[pathway.pk])).content.decode()
    assert "A5 (livret plié)" in page


def test_the_a5_edition_has_a5_pages(coordinating_nurse, pathway):
    edition = edition_record(actor=coordinating_nurse, pathway=pathway, page_format="a5")
    content = printing.render_booklet_pdf(pathway, edition)
    info = subprocess.run(
        ["pdfinfo", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    assert "419.528 x 595.276 pts" in info  # A5, 148 x 210 mm


def test_the_edition_date_is_the_day_in_paris(coordinating_nurse, pathway):
    # 23:30 UTC on 1 December is already 2 December in Paris.
    edition = BookletEdition.objects.create(
        booklet=booklet_of(pathway),
        number=7,
        page_format="a4",
        printed_at=datetime(2026, 12, 1, 23, 30, tzinfo=UTC),
        printed_by=coordinating_nurse,
    )
    text = flat_pdf_text(printing.render_booklet_pdf(pathway, edition))
    assert "Édition du 2 décembre 2026 (n° 7)" in text
    edition.printed_at = datetime(2026, 11, 30, 23, 0, tzinfo=UTC)
    assert "Édition du 1er décembre 2026" in flat_pdf_text(
        printing.render_booklet_pdf(pathway, edition)
    )


def test_the_page_follows_the_pathway_and_each_view_is_audited(login, coordinating_nurse, pathway):
    client = login(coordinating_nurse)
    url = reverse("booklets:booklet", args=[pathway.pk])
    page = client.get(url).content.decode()
    assert "Chimiothérapie : du 03/11/2026 au 15/02/2027" in page
    assert "Radiothérapie" not in page
    treatment_add(actor=coordinating_nurse, pathway=pathway, kind="radiotherapy")
    page = client.get(url).content.decode()
    assert "Radiothérapie : dates à préciser" in page
    views = AuditEntry.objects.filter(action="booklet.view", target_id=str(pathway.pk))
    assert views.filter(actor_id=coordinating_nurse.pk).count() == 2


def test_the_pathway_page_links_to_the_booklet(login, coordinating_nurse, pathway):
    page = login(coordinating_nurse).get(reverse("pathways:pathway_detail", args=[pathway.pk]))
    assert reverse("booklets:booklet", args=[pathway.pk]) in page.content.decode()


def test_another_cpts_sees_no_booklet_and_prints_nothing(login, outsider, pathway):
    client = login(outsider)
    assert client.get(reverse("booklets:booklet", args=[pathway.pk])).status_code == 404
    assert _print(client, pathway).status_code == 404
    assert not BookletEdition.objects.exists()


def test_a_bad_format_prints_nothing(login, coordinating_nurse, pathway):
    response = _print(login(coordinating_nurse), pathway, "a3")
    assert response.status_code == 302
    assert not BookletEdition.objects.exists()


def test_another_app_adds_its_section_or_none(pathway):
    def hormone_therapy(p):
        return BookletSection("Votre hormonothérapie", ["Un comprimé par jour"], "Rien.")

    def absent(p):
        return None

    register_booklet_section(hormone_therapy, order=65)
    register_booklet_section(absent, order=66)
    try:
        titles = [section.title for section in booklet_sections_for(pathway)]
    finally:
        _SOURCES[:] = [r for r in _SOURCES if r.source not in (hormone_therapy, absent)]
    assert titles.index("Votre hormonothérapie") == titles.index("Vos soins de support") + 1
    assert len(titles) == len(set(titles))
