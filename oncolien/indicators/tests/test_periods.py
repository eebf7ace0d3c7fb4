from datetime import date

import pytest

from oncolien.indicators.periods import InvalidPeriod, parse


@pytest.mark.parametrize(
    ("code", "first", "last", "label"),
    [
        ("2026-11", date(2026, 11, 1), date(2026, 11, 30), "novembre 2026"),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29), "février 2024"),
        ("2026-T1", date(2026, 1, 1), date(2026, 3, 31), "1er trimestre 2026"),
        ("2026-T4", date(2026, 10, 1), date(2026, 12, 31), "4e trimestre 2026"),
        ("2024-S1", date(2024, 1, 1), date(2024, 6, 30), "1er semestre 2024"),
        ("2026-S2", date(2026, 7, 1), date(2026, 12, 31), "2e semestre 2026"),
        ("2025", date(2025, 1, 1), date(2025, 12, 31), "année 2025"),
        (
            "2026-01-15..2026-03-31",
            date(2026, 1, 15),
            date(2026, 3, 31),
            "du 15/01/2026 au 31/03/2026",
        ),
    ],
)
def test_periods(code, first, last, label):
    period = parse(code)
    assert (period.first_day, period.last_day, period.label, period.code) == (
        first,
        last,
        label,
        code,
    )


def test_a_period_starts_and_ends_at_midnight_paris_time():
    period = parse("2026-T1")
    assert period.starts_at.isoformat() == "2026-01-01T00:00:00+01:00"
    # Summer time has begun by 1 April.
    assert period.ends_before.isoformat() == "2026-04-01T00:00:00+02:00"


@pytest.mark.parametrize(
    ("code", "previous"),
    [
        ("2026-01", "2025-12"),
        ("2026-T1", "2025-T4"),
        ("2026-S1", "2025-S2"),
        ("2026", "2025"),
        ("2026-01-11..2026-01-20", "2026-01-01..2026-01-10"),
    ],
)
def test_previous_period(code, previous):
    assert parse(code).previous().code == previous


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "Période illisible"),
        ("novembre", "Période illisible"),
        ("2026-13", "Le mois 13 n'existe pas"),
        ("2026-T5", "Période illisible"),
        ("1990", "hors de la plage acceptée"),
        ("2026-02-30..2026-03-01", "n'existe pas"),
        ("2026-03-01..2026-02-01", "précède sa date de début"),
        ("2010-01-01..2026-01-01", "au plus cinq ans"),
        ("9" * 5000, "Période illisible"),
    ],
)
def test_unreadable_periods_are_refused_in_french(code, message):
    with pytest.raises(InvalidPeriod, match=message):
        parse(code)
