"""The ARS activity file as XLSX (one sheet per section, through `oncolien.tables`) and
as PDF (WeasyPrint, nothing fetched, charts from `oncolien.web.charts`).

Both are made from the same rows (`sections`), so that the two never disagree.
"""

import time
from dataclasses import dataclass, replace

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from oncolien.aftercare.ars_disclosure import Published, published, satisfaction_published
from oncolien.aftercare.ars_disclosure import rows as ars_rows
from oncolien.aftercare.ars_file import ArsFile, euros
from oncolien.disclosure import TOTAL, Shown
from oncolien.pdf import refuse_fetch
from oncolien.tables import xlsx_bytes
from oncolien.web import charts

TEMPLATE = "aftercare/ars_file_pdf.html"
SHARE_HEADER = ["Structure", "Catégorie", "Patients", "Sur (file active)", "Part"]


@dataclass(frozen=True)
class Section:
    title: str  # also the sheet's name (31 characters at most)
    rows: list[list[str]]  # the first is the header


def _share_rows(ars: ArsFile, pub: Published, name: str) -> list[list[str]]:
    rows = [SHARE_HEADER]
    for row, structure in ars_rows(ars):
        for share in getattr(structure, name):
            rows.append([structure.name, share.label, *pub.share(row, (name, share.label))])
    return rows


def _summary(ars: ArsFile, pub: Published) -> list[list[str]]:
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
    for row, s in ars_rows(ars):
        rows.append(
            [
                s.name,
                pub.count(row, "file_active"),
                pub.share_text(row, "new_inclusions"),
                pub.share_text(row, "without_act"),
                pub.count(row, "prescribed"),
                pub.count(row, "done"),
                pub.amount(row, "done", s.done_amount),
            ]
        )
    return rows


def _acts(ars: ArsFile, pub: Published) -> list[list[str]]:
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
    for row, s in ars_rows(ars):
        for act in s.acts:
            prescribed, done = ("prescribed", act.kind), ("done", act.kind)
            rows.append(
                [
                    s.name,
                    act.label,
                    pub.count(row, prescribed),
                    pub.amount(row, prescribed, act.prescribed_amount),
                    pub.count(row, done),
                    pub.amount(row, done, act.done_amount),
                ]
            )
        rows.append(
            [
                s.name,
                "Total",
                pub.count(row, "prescribed"),
                pub.amount(row, "prescribed", s.prescribed_amount),
                pub.count(row, "done"),
                pub.amount(row, "done", s.done_amount),
            ]
        )
    return rows


def _satisfaction(ars: ArsFile, pub: Published) -> list[list[str]]:
    rows = [["Structure", "Satisfaction"]]
    for row, s in ars_rows(ars):
        rows.append([s.name, satisfaction_published(pub, row, s.satisfaction)])
    return rows


def _about(ars: ArsFile, pub: Published) -> list[list[str]]:
    return [
        ["Fichier d'activité ARS", "Parcours de soins global après le traitement d'un cancer"],
        ["Semestre", f"{ars.semester.label} ({ars.semester.dates})"],
        ["Édité le", f"{ars.edited_at:%d/%m/%Y à %H:%M} (heure de Paris)"],
        ["Structures", str(len(ars.structures))],
        *(["", name] for name in ars.structure_names),
        *([term, text] for term, text in ars.definitions),
        ["Confidentialité", "Chiffres agrégés, sans donnée nominative."],
        *([term, text] for term, text in pub.rules),
    ]


def sections(ars: ArsFile, pub: Published | None = None) -> list[Section]:
    pub = pub or published(ars)
    return [
        Section("Fichier", _about(ars, pub)),
        Section("Synthèse", _summary(ars, pub)),
        Section("Tranches d'âge", _share_rows(ars, pub, "age_bands")),
        Section("Sexe", _share_rows(ars, pub, "sexes")),
        Section("Localisations", _share_rows(ars, pub, "cancer_sites")),
        Section("Types de traitement", _share_rows(ars, pub, "treatments")),
        Section("Actes", _acts(ars, pub)),
        Section("Satisfaction", _satisfaction(ars, pub)),
    ]


def filename(ars: ArsFile, extension: str) -> str:
    return f"fichier-ars-apres-cancer-{ars.semester.code}.{extension}"


def ars_xlsx(ars: ArsFile) -> bytes:
    return xlsx_bytes([(section.title, section.rows) for section in sections(ars)])


# --- PDF --------------------------------------------------------------------------------


def _bars(
    title: str, labels: list[str], series: dict[str, list[Shown]], *, height: int
) -> charts.Chart:
    """Bars of the published counts: a hidden count draws no bar, and its cell in the
    table beside says « < 5 » or « masqué »."""
    chart = charts.bars(
        title,
        labels,
        {name: [cell.value for cell in cells] for name, cells in series.items()},
        horizontal=True,
        width=640,
        height=height,
    )
    rows = [
        [label, *(cells[i].text for cells in series.values())] for i, label in enumerate(labels)
    ]
    return replace(chart, rows=rows)


def pdf_charts(ars: ArsFile, pub: Published) -> list[charts.Chart]:
    total = ars.total
    return [
        _bars(
            f"Patients par tranche d'âge (sur {pub.count(TOTAL, 'file_active')})",
            [share.label for share in total.age_bands],
            {"Patients": [pub.cell(TOTAL, ("age_bands", s.label)) for s in total.age_bands]},
            height=40 + 28 * len(total.age_bands),
        ),
        _bars(
            "Actes prescrits et réalisés pendant le semestre",
            [act.label for act in total.acts],
            {
                "Prescrits": [pub.cell(TOTAL, ("prescribed", act.kind)) for act in total.acts],
                "Réalisés": [pub.cell(TOTAL, ("done", act.kind)) for act in total.acts],
            },
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
    pub = published(ars)
    context = {
        "ars": ars,
        "sections": [_printed(section) for section in sections(ars, pub)[1:]],
        "charts": pdf_charts(ars, pub),
        "rules": pub.rules,
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
