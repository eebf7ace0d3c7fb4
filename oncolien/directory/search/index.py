"""Search index maintenance (to be completed by the search work: SQLite FTS5 / PostgreSQL).

`refresh(service_ids)` is called by every write in directory.services, inside the
same transaction, so that the index never lags behind the directory.
"""

from collections.abc import Iterable


def refresh(service_ids: Iterable[int]) -> None:
    """Rebuild the search documents of these services (placeholder until the search lands)."""
    list(service_ids)
