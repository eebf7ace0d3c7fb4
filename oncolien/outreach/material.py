"""The flyer (A5) and the posters (A4, A3) of a campaign: HTML rendered to PDF by
WeasyPrint, with the campaign's QR code drawn as inline SVG (nothing is fetched)."""

from dataclasses import dataclass

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from weasyprint import HTML

from oncolien.outreach.models import Campaign, Material
from oncolien.outreach.services import material_of
from oncolien.pdf import refuse_fetch
from oncolien.territories.svg_map import centroid_map


@dataclass(frozen=True)
class Format:
    code: str
    label: str
    page_size: str
    scale: float  # type sizes relative to A5


FORMATS = {
    "flyer-a5": Format("flyer-a5", "Flyer A5", "A5", 1.0),
    "affiche-a4": Format("affiche-a4", "Affiche A4", "A4", 1.41),
    "affiche-a3": Format("affiche-a3", "Affiche A3", "A3", 2.0),
}


def campaign_url(campaign: Campaign) -> str:
    """The address the QR code opens: short, on the public site."""
    return settings.ONCOLIEN_SITE_URL + campaign.public_path()


def qr_svg(url: str, *, title: str) -> str:
    # segno writes the SVG itself from the URL (no markup of a person's).
    return str(segno.make(url, error="m").svg_inline(scale=4, border=4, title=title, svgclass="qr"))


def territory_sentence(count: int, cpts_name: str) -> str:
    """« …vous devez habiter l'une des 55 communes de la CPTS » (the count computed)."""
    if count == 1:
        return f"Pour bénéficier de cet accompagnement, vous devez habiter la commune de la {cpts_name}."
    return (
        f"Pour bénéficier de cet accompagnement, vous devez habiter l'une des {count} "
        f"communes de la {cpts_name}."
    )


def material_context(campaign: Campaign, material: Material | None = None) -> dict:
    material = material or material_of(campaign.cpts)
    places = list(campaign.cpts.communes.order_by("name"))
    communes = [place.name for place in places]
    url = campaign_url(campaign)
    return {
        "campaign": campaign,
        "cpts": campaign.cpts,
        "material": material,
        "communes": communes,
        "territory_sentence": territory_sentence(len(communes), campaign.cpts.name),
        "url": url,
        "short_url": url.split("://", 1)[-1],
        # The posters draw the territory too (the flyer has no room for it).
        "map": centroid_map(communes=places, width=320),
        "qr": mark_safe(qr_svg(url, title=f"Code QR de la campagne {campaign.name}")),  # noqa: S308
    }


def render_material_pdf(campaign: Campaign, format_code: str) -> bytes:
    """The PDF of the flyer or poster of `campaign` in one of FORMATS."""
    page = FORMATS[format_code]
    html = render_to_string(
        "outreach/material_pdf.html",
        {
            **material_context(campaign),
            "format": page,
            # Type sizes in points, from the A5 flyer's.
            "size": {
                name: f"{points * page.scale:.1f}"
                for name, points in {
                    "title": 18,
                    "text": 9.5,
                    "phone": 20,
                    "small": 7,
                    "qr": 100,
                }.items()
            },
        },
    )
    pdf: bytes = HTML(string=html, url_fetcher=refuse_fetch).write_pdf()
    return pdf
