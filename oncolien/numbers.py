"""Numbers read from a request, bounded before they reach the database.

SQLite's integers, like PostgreSQL's bigint and Django's BigAutoField, stop at
2^63 - 1: a larger number handed to a query fails there (OverflowError, a 500)
instead of matching nothing. Every identifier or page number typed in a URL is read
through these functions, which accept ASCII digits only (Python's `int` also takes
« ٣ », « 1_000 » and spaces) and refuse what no row can carry.
"""

import re

# The largest value of a database integer column (BigAutoField, SQLite INTEGER).
DB_INT_MAX = 2**63 - 1

_DIGITS = re.compile(r"[0-9]+")


def is_number(text: str) -> bool:
    """Whether `text` is written in ASCII digits only (of any size)."""
    return bool(_DIGITS.fullmatch(text))


def as_id(text: str) -> int | None:
    """An identifier typed in a URL, or None when it is no number a row could carry."""
    text = text.strip()
    if not is_number(text):
        return None
    number = int(text)
    return number if 1 <= number <= DB_INT_MAX else None
