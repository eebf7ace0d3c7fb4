"""The ARS activity file as XLSX (one sheet per section, through `oncolien.tables`) and
as PDF (WeasyPrint, nothing fetched, charts from `oncolien.web.charts`).

Both are made from the same rows (`sections`), so that the two never disagree.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from oncolien.aftercare.ars_file import (
    ArsFile,
    Share,
    StructureFigures,
    euros,
)
from oncolien.pdf import refuse_fetch
from oncolien.tables import xlsx_bytes
from oncolien.web import charts

TEMPLATE = "aftercare/ars_file_pdf.html"
SHARE_HEADER = ["Structure", "Catégorie", "Patients", "Sur (file active)", "Part"]


@dataclass(frozen=True)
class Section:
    title: str  # also the sheet's name (31 characters at most)
    rows: list[list[str]]  # the first is the header


def _everyone(ars: ArsFile) -> list[StructureFigures]:
    return [*ars.structures, ars.total]


def _share_rows(ars: ArsFile, pick: Callable[[StructureFigures], list[Share]]) -> list[list[str]]:
    rows = [SHARE_HEADER]
    for structure in _everyone(ars):
        for share in pick(structure):
            rows.append(
                [structure.name, share.label, str(share.count), str(share.of), share.percent]
            )
    return rows


def _summary(ars: ArsFile) -> list[list[str]]:
    rows = [
        [
            "Structure",
            "File active",
            "Nouvelles inclusions",
            "Patients sans acte réalisé",
            "Actes prescrits",
            "Actes réalisés",
            "Montant réalisé (€)",
        ]
    ]
    for s in _everyone(ars):
        rows.append(
            [
                s.name,
                str(s.file_active),
                s.new_inclusions.text,
                s.without_act.text,
                str(s.acts_prescribed),
                str(s.acts_done),
                f"{s.done_amount:.2f}".replace(".", ","),
            ]
        )
    return rows


def _acts(ars: ArsFile) -> list[list[str]]:
    rows = [
        [
            "Structure",
            "Acte",
            "Prescrits",
            "Montant prescrit (€)",
            "Réalisés",
            "Montant réalisé (€)",
        ]
    ]
    for s in _everyone(ars):
        for act in s.acts:
            rows.append(
                [
                    s.name,
                    act.label,
                    str(act.prescribed),
                    f"{act.prescribed_amount:.2f}".replace(".", ","),
                    str(act.done),
                    f"{act.done_amount:.2f}".replace(".", ","),
                ]
            )
        rows.append(
            [
                s.name,
                "Total",
                str(s.acts_prescribed),
                f"{s.prescribed_amount:.2f}".replace(".", ","),
                str(s.acts_done),
                f"{s.done_amount:.2f}".replace(".", ","),
            ]
        )
    return rows


def _about(ars: ArsFile) -> list[list[str]]:
    return [
        ["Fichier d'activité ARS", "Parcours de soins global après le traitement d'un cancer"],
        ["Semestre", f"{ars.semester.label} ({ars.semester.dates})"],
        ["Édité le", f"{ars.edited_at:%d/%m/%Y à %H:%M} (heure de Paris)"],
        ["Structures", str(len(ars.structures))],
        *(["", name] for name in ars.structure_names),
        *([term, text] for term, text in ars.definitions),
        ["Confidentialité", "Chiffres agrégés, sans donnée nominative."],
    ]


def sections(ars: ArsFile) -> list[Section]:
    return [
        Section("Fichier", _about(ars)),
        Section("Synthèse", _summary(ars)),
        Section("Tranches d'âge", _share_rows(ars, lambda s: s.age_bands)),
        Section("Sexe", _share_rows(ars, lambda s: s.sexes)),
        Section("Localisations", _share_rows(ars, lambda s: s.cancer_sites)),
        Section("Types de traitement", _share_rows(ars, lambda s: s.treatments)),
        Section("Actes", _acts(ars)),
        Section(
            "Satisfaction",
            [
                ["Structure", "Satisfaction"],
                *([s.name, s.satisfaction_text] for s in _everyone(ars)),
            ],
        ),
    ]


def filename(ars: ArsFile, extension: str) -> str:
    return f"fichier-ars-apres-cancer-{ars.semester.code}.{extension}"


def ars_xlsx(ars: ArsFile) -> bytes:
    return xlsx_bytes([(section.title, section.rows) for section in sections(ars)])


# --- PDF --------------------------------------------------------------------------------


def _share_chart(title: str, shares: list[Share]) -> charts.Chart:
    return charts.bars(
        title,
        [share.label for share in shares],
        {"Patients": [share.count for share in shares]},
        horizontal=True,
        width=640,
        height=40 + 28 * len(shares),
    )


def pdf_charts(ars: ArsFile) -> list[charts.Chart]:
    total = ars.total
    return [
        _share_chart(f"Patients par tranche d'âge (sur {total.file_active})", total.age_bands),
        charts.bars(
            "Actes prescrits et réalisés pendant le semestre",
            [act.label for act in total.acts],
            {
                "Prescrits": [act.prescribed for act in total.acts],
                "Réalisés": [act.done for act in total.acts],
            },
            horizontal=True,
            width=640,
            height=260,
        ),
    ]


@dataclass(frozen=True)
class PrintedTable:
    heading: str  # a structure's name, or "" for a table of every structure
    header: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class PrintedSection:
    """A section as printed, from the same rows as its sheet. The profile sections are
    one table of every structure against the categories (at most `COLUMNS` a table),
    the acts one small table per structure: printing the sheets' rows as they are made
    45 pages for 25 structures."""

    title: str
    tables: list[PrintedTable]


COLUMNS = 5
PROFILE = ("Tranches d'âge", "Sexe", "Localisations", "Types de traitement")


def _matrix(section: Section) -> list[PrintedTable]:
    _, *rows = section.rows
    labels = list(dict.fromkeys(row[1] for row in rows))
    cells: dict[str, dict[str, str]] = {}
    of: dict[str, str] = {}
    for structure, label, count, total, share in rows:
        cells.setdefault(structure, {})[label] = f"{count} ({share})" if total != "0" else "0"
        of[structure] = total
    tables = []
    for start in range(0, len(labels), COLUMNS):
        chunk = labels[start : start + COLUMNS]
        tables.append(
            PrintedTable(
                "",
                ["Structure", "Sur (file active)", *chunk],
                [[name, of[name], *(cells[name][label] for label in chunk)] for name in cells],
            )
        )
    return tables


def _printed(section: Section) -> PrintedSection:
    header, *rows = section.rows
    if section.title in PROFILE:
        return PrintedSection(section.title, _matrix(section))
    if section.title != "Actes":
        return PrintedSection(section.title, [PrintedTable("", header, rows)])
    groups: dict[str, list[list[str]]] = {}
    for row in rows:
        groups.setdefault(row[0], []).append(row[1:])
    return PrintedSection(
        section.title,
        [PrintedTable(name, header[1:], group) for name, group in groups.items()],
    )


def ars_html(ars: ArsFile) -> str:
    context = {
        "ars": ars,
        "sections": [_printed(section) for section in sections(ars)[1:]],
        "charts": pdf_charts(ars),
        "euros": euros,
    }
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(TEMPLATE, context)


@dataclass(frozen=True)
class RenderedArsPdf:
    content: bytes
    seconds: float


def ars_pdf(ars: ArsFile) -> RenderedArsPdf:
    from weasyprint import HTML  # heavy import, only where a PDF is made

    started = time.perf_counter()
    content = HTML(string=ars_html(ars), url_fetcher=refuse_fetch).write_pdf()
    return RenderedArsPdf(content=content, seconds=time.perf_counter() - started)
