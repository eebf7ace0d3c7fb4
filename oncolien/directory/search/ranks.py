"""Name ranks: an integer per search document that follows the order of names.

Results without distance are ordered by name, then by service id. SQLite FTS5
returns its matches in rowid order at no cost, so the FTS5 rowid of a
document is its rank: the first page of 10,000 matches is then read without
sorting them. Ranks are spaced (STEP apart when the index is built) so that a
new or renamed service takes the middle of the gap between its neighbours;
when a gap is used up, the caller rebuilds the whole index, which spaces them
again (it takes about 32 insertions at the same place in the alphabet).

Invariant: ordering documents by rank orders them by (name key in byte
order, service id). PostgreSQL sorts by the name itself; the test of the same
results on both engines therefore checks this invariant too.
"""

from .models import SearchDocument

STEP = 2**32
# Ranks are stored in a signed 64-bit column.
LOWEST, HIGHEST = -(2**63), 2**63 - 1


class NoRoom(Exception):
    """Two neighbours have no free rank between them: the index must be rebuilt."""


def spaced(name_keys: dict[int, str]) -> dict[int, int]:
    """Ranks of services that make the whole index (service id -> name key), STEP apart."""
    order = sorted((name_key, service_id) for service_id, name_key in name_keys.items())
    return {service_id: position * STEP for position, (_, service_id) in enumerate(order, 1)}


def _order(document: SearchDocument) -> tuple[str, int]:
    return document.name_key, document.service_id


def between_neighbours(cursor, search_backend, documents: list[SearchDocument]) -> None:
    """Ranks for documents joining an index that holds others (not these).

    Documents falling in the same gap share it evenly, in name order.
    """
    gaps: dict[tuple[int | None, int | None], list[SearchDocument]] = {}
    for document in sorted(documents, key=_order):
        gap = search_backend.neighbour_ranks(cursor, document.name_key, document.service_id)
        gaps.setdefault(gap, []).append(document)
    for (before, after), members in gaps.items():
        spread = STEP * (len(members) + 1)
        if before is not None and after is not None:
            low, high = before, after
        elif before is not None:
            low, high = before, before + spread
        elif after is not None:
            low, high = after - spread, after
        else:
            for position, document in enumerate(members, start=1):
                document.name_rank = position * STEP
            continue
        width = (high - low) // (len(members) + 1)
        if width < 1 or low < LOWEST or high > HIGHEST:
            raise NoRoom
        for position, document in enumerate(members, start=1):
            document.name_rank = low + width * position
