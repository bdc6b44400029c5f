"""Tests for models.law.deadlines: holidays, business days, deadlines, months, French dates."""

from __future__ import annotations

import datetime as dt

import pytest

from models.law import deadlines as dl

D = dt.date


def test_public_holidays_2026_metropolitan() -> None:
    days = dl.public_holidays(2026)
    assert set(days) == {
        D(2026, 1, 1),
        D(2026, 4, 6),  # Easter Monday
        D(2026, 5, 1),
        D(2026, 5, 8),
        D(2026, 5, 14),  # Ascension
        D(2026, 5, 25),  # Pentecost Monday
        D(2026, 7, 14),
        D(2026, 8, 15),
        D(2026, 11, 1),
        D(2026, 11, 11),
        D(2026, 12, 25),
    }
    assert days[D(2026, 12, 25)] == "Noël"
    assert dl.holiday_name(D(2026, 5, 14)) == "Ascension"
    assert dl.holiday_name(D(2026, 5, 13)) is None


def test_alsace_moselle_adds_good_friday_and_26_december() -> None:
    local = set(dl.public_holidays(2026, alsace_moselle=True))
    assert local - set(dl.public_holidays(2026)) == {D(2026, 4, 3), D(2026, 12, 26)}
    assert not dl.is_holiday(D(2026, 4, 3))
    assert dl.is_holiday(D(2026, 4, 3), alsace_moselle=True)


def test_is_business_day() -> None:
    assert dl.is_business_day(D(2026, 11, 23))  # Monday
    assert not dl.is_business_day(D(2026, 11, 21))  # Saturday
    assert not dl.is_business_day(D(2026, 11, 22))  # Sunday
    assert not dl.is_business_day(D(2026, 11, 11))  # Armistice, a Wednesday
    assert dl.is_business_day(D(2026, 4, 3))  # Good Friday outside Alsace-Moselle
    assert not dl.is_business_day(D(2026, 4, 3), alsace_moselle=True)


def test_next_business_day() -> None:
    assert dl.next_business_day(D(2026, 11, 23)) == D(2026, 11, 23)  # same day
    assert dl.next_business_day(D(2026, 11, 21)) == D(2026, 11, 23)
    assert dl.next_business_day(D(2026, 12, 25)) == D(2026, 12, 28)
    assert dl.next_business_day(D(2026, 12, 31)) == D(2026, 12, 31)
    assert dl.next_business_day(D(2027, 1, 1)) == D(2027, 1, 4)  # across the year


def test_add_days() -> None:
    assert dl.add_days(D(2026, 12, 17), 8) == D(2026, 12, 25)
    assert dl.add_days(D(2026, 3, 1), -1) == D(2026, 2, 28)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2026, 4, 30), 1, D(2026, 5, 4)),  # 1 May (Fri) and the weekend skipped
        (D(2026, 5, 7), 1, D(2026, 5, 11)),  # 8 May (Fri) and the weekend skipped
        (D(2026, 4, 30), 5, D(2026, 5, 11)),  # 4, 5, 6, 7, (8 May off), 11
        (D(2026, 5, 13), 1, D(2026, 5, 15)),  # Ascension, Thursday 14 May
        (D(2026, 5, 22), 1, D(2026, 5, 26)),  # weekend, then Pentecost Monday 25 May
        (D(2026, 5, 11), -1, D(2026, 5, 7)),  # backwards over 8 May
        (D(2026, 5, 2), 0, D(2026, 5, 2)),  # zero: unchanged, even on a Saturday
        (D(2026, 12, 24), 2, D(2026, 12, 29)),  # Christmas and the weekend
    ],
)
def test_add_business_days(start: dt.date, n: int, expected: dt.date) -> None:
    assert dl.add_business_days(start, n) == expected


def test_add_business_days_alsace_moselle() -> None:
    # Thursday 2 April 2026: Good Friday 3 April, weekend, Easter Monday 6 April.
    assert dl.add_business_days(D(2026, 4, 2), 1) == D(2026, 4, 3)
    assert dl.add_business_days(D(2026, 4, 2), 1, alsace_moselle=True) == D(2026, 4, 7)


def test_deadline_christmas_pushed_to_monday() -> None:
    # 17 Dec 2026 + 8 = Friday 25 December (Christmas) -> Monday 28 December (CPC 642).
    assert dl.deadline(D(2026, 12, 17)) == D(2026, 12, 28)


def test_deadline_ascension_pushed_to_friday() -> None:
    # 6 May 2026 + 8 = Thursday 14 May (Ascension) -> Friday 15 May.
    assert dl.deadline(D(2026, 5, 6)) == D(2026, 5, 15)


def test_deadline_plain_and_weekend() -> None:
    assert dl.deadline(D(2026, 11, 2)) == D(2026, 11, 10)  # a Tuesday, unchanged
    assert dl.deadline(D(2026, 11, 6)) == D(2026, 11, 16)  # Saturday 14 -> Monday 16
    assert dl.deadline(D(2026, 3, 29)) == D(2026, 4, 7)  # Easter Monday 6 April -> 7
    assert dl.deadline(D(2026, 11, 2), days=15) == D(2026, 11, 17)


def test_deadline_alsace_moselle() -> None:
    # 26 March 2026 + 8 = Friday 3 April: Good Friday only in Alsace-Moselle.
    assert dl.deadline(D(2026, 3, 26)) == D(2026, 4, 3)
    assert dl.deadline(D(2026, 3, 26), alsace_moselle=True) == D(2026, 4, 7)


def test_deadline_business_days() -> None:
    # 30 April, (1 May off), 4, 5, 6, 7 May: the fifth business day after 29 April.
    assert dl.deadline(D(2026, 4, 29), 5, business=True) == D(2026, 5, 7)
    assert dl.deadline(D(2026, 5, 2), 0, business=True) == D(2026, 5, 4)


def test_deadline_refuses_negative_days() -> None:
    with pytest.raises(ValueError, match="négatif"):
        dl.deadline(D(2026, 5, 6), -1)


def test_half_years() -> None:
    assert dl.half_year_of(D(2025, 6, 30)) == "2025-H1"
    assert dl.half_year_of(D(2025, 7, 1)) == "2025-H2"
    assert dl.half_year_start(D(2025, 6, 30)) == D(2025, 1, 1)
    assert dl.half_year_start(D(2025, 12, 31)) == D(2025, 7, 1)
    assert dl.next_half_year_start(D(2025, 1, 1)) == D(2025, 7, 1)
    assert dl.next_half_year_start(D(2025, 7, 1)) == D(2026, 1, 1)
    assert dl.half_year_label("2026-H2") == "2e semestre 2026"
    assert dl.half_year_label("2026-H1") == "1er semestre 2026"
    assert dl.half_year_label(D(2026, 3, 1)) == "1er semestre 2026"
    with pytest.raises(ValueError, match="semestre"):
        dl.half_year_label("2026-S2")


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2028, 1, 31), 1, D(2028, 2, 29)),  # leap year
        (D(2026, 1, 31), 2, D(2026, 3, 31)),
        (D(2026, 11, 15), 3, D(2027, 2, 15)),
        (D(2026, 3, 31), -1, D(2026, 2, 28)),
        (D(2026, 1, 15), -13, D(2024, 12, 15)),
        (D(2026, 5, 10), 0, D(2026, 5, 10)),
    ],
)
def test_add_months(start: dt.date, n: int, expected: dt.date) -> None:
    assert dl.add_months(start, n) == expected


def test_end_of_month() -> None:
    assert dl.end_of_month(D(2026, 2, 10)) == D(2026, 2, 28)
    assert dl.end_of_month(D(2028, 2, 1)) == D(2028, 2, 29)
    assert dl.end_of_month(D(2026, 12, 31)) == D(2026, 12, 31)


def test_legal_due_date() -> None:
    assert dl.legal_due_date(D(2026, 1, 15)) == D(2026, 2, 14)
    assert dl.legal_due_date(D(2026, 12, 10)) == D(2027, 1, 9)


def test_max_term_warning_within_limits() -> None:
    issue = D(2026, 1, 15)
    assert dl.max_term_warning(issue, D(2026, 2, 14)) is None  # 30 days
    assert dl.max_term_warning(issue, D(2026, 3, 16)) is None  # exactly 60 days
    # 45 days end of month: 15 Jan + 45 = 1 Mar -> 31 March; end of Jan + 45 = 17 March.
    assert dl.max_term_warning(issue, D(2026, 3, 31)) is None


def test_max_term_warning_beyond_limits() -> None:
    message = dl.max_term_warning(D(2026, 1, 15), D(2026, 4, 1))
    assert message is not None
    assert "L441-10" in message
    assert "76 jours" in message
    assert "1er avril 2026" in message


def test_max_term_warning_end_of_month_count_after_invoice_month() -> None:
    # Invoice 5 January: + 60 days = 6 March; + 45 then end of month = 28 February;
    # end of January + 45 = 17 March, the latest limit.
    issue = D(2026, 1, 5)
    assert dl.max_term_warning(issue, D(2026, 3, 17)) is None
    assert dl.max_term_warning(issue, D(2026, 3, 18)) is not None


def test_french_and_short_dates() -> None:
    assert dl.french_date(D(2026, 11, 23)) == "23 novembre 2026"
    assert dl.french_date(D(2026, 5, 1)) == "1er mai 2026"
    assert dl.french_date(D(2026, 8, 15)) == "15 août 2026"
    assert dl.french_date(D(2026, 2, 2)) == "2 février 2026"
    assert dl.short_date(D(2026, 11, 23)) == "23/11/2026"
    assert dl.short_date(D(2026, 1, 5)) == "05/01/2026"
