"""The printable directory of a CPTS, read back from the PDF as a reader would (pdftotext)."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from oncolien.directory.models import Organization
from oncolien.directory.services import organization_save
from oncolien.directory.tests.factories import curator, make_service
from oncolien.territories.services import cpts_create
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db

FRENCH_MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


def get_pdf(client, slug: str):
    """The edition as a reader downloads it, once the task queue has rendered it (the
    suite runs tasks at once; see test_editions.py for the queue itself)."""
    from oncolien.directory.tasks import render_edition
    from oncolien.territories.models import Cpts

    cpts = Cpts.objects.filter(slug=slug).first()
    if cpts is not None:
        render_edition(cpts.pk)
    return client.get(reverse("directory:cpts_pdf", kwargs={"slug": slug}))


def line_with(text: str, needle: str) -> str:
    return next(line for line in text.splitlines() if needle in line)


@pytest.fixture
def cpts(base_data):
    """A CPTS of its own, so that no other directory data can leak into these PDFs."""
    return cpts_create(name="CPTS Test Impression", commune_codes=["12096", "12119", "12033"])


@pytest.fixture
def directory(cpts):
    today = timezone.localdate()
    dietitian = make_service(
        cpts=cpts,
        name="Consultations diététiques en oncologie",
        organization="Cabinet de diététique du Lot",
        kind="self_employed",
        care_types=["nutrition"],
        professions=["dietitian"],
        commune="12096",
        cost="remaining_cost",
        remaining_cost_amount=Decimal("35"),
        phone="05 36 49 00 01",
        last_verified_on=today - timedelta(days=30),
    )
    group = make_service(
        cpts=cpts,
        name="Groupe de parole des aidants",
        organization="Association Entraide Aubrac",
        care_types=["psychological", "carer_support"],
        commune="12119",
        cost="free",
        for_relatives=True,
    )
    make_service(
        cpts=cpts,
        name="Atelier fermé",
        organization="Association Entraide Aubrac",
        care_types=["walking_workshops"],
        commune="12119",
        status="inactive",
    )
    make_service(
        cpts="cpts-sud-tarn",
        name="Sophrologie à Castres",
        organization="Cabinet castrais",
        care_types=["sophrology"],
        commune="81065",
    )
    return dietitian, group


def test_the_pdf_is_served_inline_with_a_dated_file_name(client, directory, cpts):
    response = get_pdf(client, cpts.slug)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    today = timezone.localdate()
    assert response["Content-Disposition"] == (
        f'inline; filename="annuaire-soins-de-support-{cpts.slug}-{today:%Y-%m-%d}.pdf"'
    )
    assert response.content.startswith(b"%PDF-")


def test_the_title_page_names_the_cpts_and_the_date_of_edition_in_french(client, directory, cpts):
    text = pdf_text(get_pdf(client, cpts.slug).content)
    today = timezone.localdate()
    day = "1er" if today.day == 1 else str(today.day)
    assert "CPTS Test Impression" in text
    assert "Annuaire des soins oncologiques de support" in " ".join(text.split())
    assert f"Édition du {day} {FRENCH_MONTHS[today.month - 1]} {today.year}" in text


def test_each_care_type_has_a_heading_and_a_line_in_the_table_of_contents(client, directory, cpts):
    text = pdf_text(get_pdf(client, cpts.slug).content)
    assert "Sommaire" in text
    for heading, count in [
        ("Prise en charge diététique et nutritionnelle", "1 offre"),
        ("Prise en charge psychologique", "1 offre"),
        ("Soutien psychologique des proches et des aidants", "1 offre"),
    ]:
        toc_line = re.search(rf"{re.escape(heading)} \({count}\) *\.+ *(\d+)", text)
        assert toc_line, heading
        # The page the table of contents gives is the page where the heading is.
        pages = text.split("\f")
        page = int(toc_line.group(1))
        assert heading in [line.strip() for line in pages[page - 1].splitlines()]
    # No heading for a care type that has no active entry.
    assert "Ateliers de marche" not in text


def test_entries_show_their_organisation_contacts_cost_and_audience(client, directory, cpts):
    text = pdf_text(get_pdf(client, cpts.slug).content)
    flat = " ".join(text.split())
    assert "Consultations diététiques en oncologie" in text
    assert "Cabinet de diététique du Lot — Professionnel·le libéral·e" in flat
    assert "1 place de la Mairie, Espalion" in flat
    assert "Tél. 05 36 49 00 01" in flat
    assert "Coût : Reste à charge : 35 €" in flat
    assert "Professions : Diététicien" in flat
    assert "Pour : Patients, proches et aidants" in flat


def test_an_entry_not_verified_for_a_year_says_so(client, directory, cpts):
    text = pdf_text(get_pdf(client, cpts.slug).content)
    assert "à vérifier" in line_with(text, "Groupe de parole des aidants")
    assert "à vérifier" not in line_with(text, "Consultations diététiques en oncologie")


def test_a_service_with_two_cares_is_described_once_and_referred_to_under_the_other(
    client, directory, cpts
):
    text = pdf_text(get_pdf(client, cpts.slug).content)
    flat = " ".join(text.split())
    assert flat.count("Groupe de parole des aidants") == 2
    assert (
        "Groupe de parole des aidants — Association Entraide Aubrac "
        "(décrite sous « Prise en charge psychologique »)"
    ) in flat


def test_inactive_entries_and_other_cpts_are_left_out(client, directory, cpts):
    text = pdf_text(get_pdf(client, cpts.slug).content)
    assert "Atelier fermé" not in text
    assert "Sophrologie à Castres" not in text


def test_the_caution_on_non_conventional_practices_closes_the_directory(client, directory, cpts):
    text = pdf_text(get_pdf(client, cpts.slug).content)
    last_page = text.rstrip("\f").split("\f")[-1]
    assert "Pratiques non conventionnelles : restez vigilant" in last_page
    assert "MIVILUDES" in last_page


def test_every_page_but_the_first_carries_the_cpts_and_its_number(client, directory, cpts):
    text = pdf_text(get_pdf(client, cpts.slug).content)
    pages = text.rstrip("\f").split("\f")
    assert len(pages) >= 3
    assert "Page 1 sur" not in pages[0]
    for number, page in enumerate(pages[1:], start=2):
        flat = " ".join(page.split())
        assert f"Page {number} sur {len(pages)}" in flat
        assert "CPTS Test Impression — Annuaire des soins oncologiques de support" in flat


def test_fictitious_contacts_are_announced_only_when_the_directory_holds_some(
    client, directory, cpts
):
    text = pdf_text(get_pdf(client, cpts.slug).content)
    assert "Contacts fictifs (démonstration)" not in text

    organization = Organization.objects.get(cpts=cpts, name="Association Entraide Aubrac")
    organization_save(
        actor=curator(),
        cpts=cpts,
        organization=organization,
        name=organization.name,
        kind=organization.kind,
        is_fictitious=True,
    )
    pages = pdf_text(get_pdf(client, cpts.slug).content).rstrip("\f").split("\f")
    assert all("Contacts fictifs (démonstration)" in " ".join(page.split()) for page in pages)


def test_a_cpts_without_entries_gets_a_pdf_saying_the_directory_is_empty(client, cpts):
    response = get_pdf(client, cpts.slug)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    flat = " ".join(pdf_text(response.content).split())
    assert "Annuaire vide" in flat
    assert "L'annuaire de la CPTS Test Impression ne contient encore aucune offre" in flat
    assert "Sommaire" not in flat


def test_an_unknown_cpts_is_not_found(client, base_data):
    assert get_pdf(client, "cpts-inconnue").status_code == 404


def test_the_pdf_is_only_read(client, cpts):
    response = client.post(reverse("directory:cpts_pdf", kwargs={"slug": cpts.slug}))
    assert response.status_code == 405


def test_the_number_of_queries_does_not_grow_with_the_directory(cpts, directory):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from oncolien.directory.printing import directory_edition

    with CaptureQueriesContext(connection) as small:
        directory_edition(cpts=cpts)
    for number in range(5):
        make_service(
            cpts=cpts,
            name=f"Offre supplémentaire {number}",
            organization=f"Structure {number}",
            care_types=["pain", "social"],
            professions=["social_worker"],
            commune="12033",
            is_home_service=True,
            communes_served=[cpts.communes.first()],
        )
    with CaptureQueriesContext(connection) as large:
        edition = directory_edition(cpts=cpts)
    assert edition.service_count == 7
    assert len(large.captured_queries) == len(small.captured_queries)
