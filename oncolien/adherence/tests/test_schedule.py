"""The schedule of planned contacts: dates over the years of the treatment."""

from datetime import date

from oncolien.adherence.schedule import add_months, end_of, planned_dates


def test_five_years_every_three_months_then_every_six_is_twelve_contacts_to_the_last_day():
    dates = planned_dates(
        start=date(2026, 3, 15), years=5, interval_months=6, first_year_interval_months=3
    )
    assert dates == [
        date(2026, 6, 15),
        date(2026, 9, 15),
        date(2026, 12, 15),
        date(2027, 3, 15),
        date(2027, 9, 15),
        date(2028, 3, 15),
        date(2028, 9, 15),
        date(2029, 3, 15),
        date(2029, 9, 15),
        date(2030, 3, 15),
        date(2030, 9, 15),
        date(2031, 3, 15),
    ]
    assert dates[-1] == end_of(date(2026, 3, 15), 5)


def test_a_fixed_interval_counts_from_the_start_so_month_ends_do_not_drift():
    dates = planned_dates(start=date(2026, 1, 31), years=5, interval_months=3)
    assert len(dates) == 20
    assert dates[:4] == [
        date(2026, 4, 30),
        date(2026, 7, 31),
        date(2026, 10, 31),
        date(2027, 1, 31),
    ]
    assert dates[-1] == date(2031, 1, 31)


def test_the_29th_of_february_falls_on_the_28th_in_a_common_year():
    assert add_months(date(2028, 2, 29), 12) == date(2029, 2, 28)
    assert add_months(date(2026, 12, 31), 2) == date(2027, 2, 28)


def test_a_first_year_interval_that_does_not_divide_the_year_still_meets_the_anniversary():
    dates = planned_dates(
        start=date(2026, 1, 10), years=2, interval_months=6, first_year_interval_months=5
    )
    assert dates == [
        date(2026, 6, 10),
        date(2026, 11, 10),
        date(2027, 1, 10),
        date(2027, 7, 10),
        date(2028, 1, 10),
    ]
