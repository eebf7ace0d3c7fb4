"""Write demo_register.csv: the fictitious register of Occitanie's CPTS for the demo.

86 CPTS, as many per department as the Baromètre 2024 (field document 004) implies
(its shares of « CPTS Occitanie » are multiples of 1/86: 3 in Ariège, 7 in Aude…),
and size classes 27 / 34 / 24 / 1 (31 / 40 / 28 / 1 %, the document's « CPTS en
région »). Every name but three is invented (« CPTS fictive … »); the three demo
CPTS of OncoLien are included under their own names, with the populations of the
field documents, so that the demo's responses can be compared to the register.
Populations are declared (the demo does not depend on loaded communes); dates
fall between 2019 and 2025. Run: python oncolien/surveys/data/build_demo_register.py
"""

import csv
import random
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
HEADINGS = [
    "Nom",
    "Département",
    "Date de signature de l'ACI",
    "Communes (codes INSEE)",
    "Population déclarée",
]
# department: (name, count of size 1, 2, 3, 4)
DEPARTMENTS = {
    "09": ("Ariège", (2, 1, 0, 0)),
    "11": ("Aude", (3, 3, 1, 0)),
    "12": ("Aveyron", (2, 2, 0, 0)),
    "30": ("Gard", (3, 5, 4, 0)),
    "31": ("Haute-Garonne", (3, 6, 6, 1)),
    "32": ("Gers", (3, 3, 0, 0)),
    "34": ("Hérault", (2, 5, 5, 0)),
    "46": ("Lot", (2, 1, 0, 0)),
    "48": ("Lozère", (3, 0, 0, 0)),
    "65": ("Hautes-Pyrénées", (1, 2, 1, 0)),
    "66": ("Pyrénées-Orientales", (1, 2, 2, 0)),
    "81": ("Tarn", (1, 2, 3, 0)),
    "82": ("Tarn-et-Garonne", (1, 2, 2, 0)),
}
# The demo CPTS of OncoLien (territories/data/demo_cpts.json): department, size, row.
REAL = [
    ("12", 1, ["CPTS Nord Aveyron", "12", "2020-12-01", "", "27063"]),
    ("81", 3, ["CPTS Sud Tarn", "81", "2021-11-01", "", "134453"]),
    ("31", 2, ["CPTS Volvestre – Cœur de Garonne", "31", "2024-05-01", "", "41745"]),
]
PLACES = [
    "des Coteaux",
    "du Causse",
    "de la Vallée",
    "du Littoral",
    "des Garrigues",
    "du Piémont",
    "des Monts",
    "de la Plaine",
    "du Plateau",
    "des Rives",
    "du Bocage",
    "des Collines",
    "du Val",
    "des Étangs",
    "des Terrasses",
    "du Vignoble",
]
POPULATIONS = {
    1: (12_000, 39_500),
    2: (40_500, 79_000),
    3: (81_000, 170_000),
    4: (210_000, 300_000),
}
FIRST, LAST = date(2019, 7, 1), date(2025, 6, 30)


def rows() -> list[list[str]]:
    rng = random.Random(2024)
    result = []
    for code, (name, sizes) in DEPARTMENTS.items():
        classes = [size for size, count in enumerate(sizes, start=1) for _ in range(count)]
        for department, size, _row in REAL:
            if department == code:
                classes.remove(size)
        places = iter(PLACES)
        for size in classes:
            low, high = POPULATIONS[size]
            signed_on = FIRST + timedelta(days=rng.randrange((LAST - FIRST).days))
            result.append(
                [
                    f"CPTS fictive {next(places)} ({name})",
                    code,
                    signed_on.strftime("%d/%m/%Y"),
                    "",
                    str(rng.randrange(low, high) // 10 * 10),
                ]
            )
    result.extend(row for _, _, row in REAL)
    return sorted(result, key=lambda row: (row[1], row[0]))


if __name__ == "__main__":
    with open(HERE / "demo_register.csv", "w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        writer.writerow(HEADINGS)
        writer.writerows(rows())
