"""The names of the hand-built world of the ARS file (the fixture `world`, conftest.py)."""

from datetime import date

A = "Centre Parcours après cancer — Parcours après cancer"
B = "Centre Espace après cancer — Espace après cancer"
C = "Centre Après cancer Sud Tarn — Après cancer Sud Tarn"
TOTAL = "Ensemble des structures"
TODAY = date(2026, 12, 1)
