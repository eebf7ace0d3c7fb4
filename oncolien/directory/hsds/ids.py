"""Stable HSDS identifiers: UUIDs derived from our primary keys.

HSDS requires a UUID in every `id` field. Ours are UUID version 5 (a SHA-1 of a
name) in one namespace per object type, named after the primary key(s), so an
object keeps its identifier for ever, across edits, exports and servers, and
no column had to be added to the directory's tables.

The namespace below is fixed for good: changing it would change every
identifier that clients have already stored.
"""

import threading
import uuid
from functools import cache, lru_cache

from django.db.models import Max, Model

ROOT_NAMESPACE = uuid.UUID("e7bc8729-e47e-4327-8676-5ed4a76daf3c")


@cache
def _namespace(kind: str) -> uuid.UUID:
    return uuid.uuid5(ROOT_NAMESPACE, kind)


def _derive(kind: str, *keys) -> str:
    return str(uuid.uuid5(_namespace(kind), ":".join(str(key) for key in keys)))


# A service's identifier is written in its row, its attributes, phones, places…:
# remembering recent ones saves most of the hashing of a large export.
@lru_cache(maxsize=100_000)
def hsds_id(kind: str, *keys) -> str:
    """The identifier of the `kind` object named by `keys` (primary keys, codes)."""
    return _derive(kind, *keys)


def canonical_uuid(value: str) -> str | None:
    """The canonical (lower-case, hyphenated) form of a UUID, or None if it is not one."""
    try:
        return str(uuid.UUID(value))
    except (ValueError, TypeError, AttributeError):
        return None


class PrimaryKeyResolver:
    """Finds the primary key behind an identifier of `kind` (a UUID cannot be reversed).

    The identifier is a pure function of the primary key, so a map from
    identifier to key, once computed, stays true whatever happens to the rows:
    a miss extends the map up to the largest key in the table (one query), and
    the caller still reads the row, which finds nothing if it was deleted.
    """

    def __init__(self, kind: str, model: type[Model]):
        self.kind = kind
        self.model = model
        self._pks: dict[str, int] = {}
        self._computed_up_to = 0
        self._lock = threading.Lock()

    def pk_for(self, value: str) -> int | None:
        key = canonical_uuid(value)
        if key is None:
            return None
        with self._lock:
            if key not in self._pks:
                largest = self.model._default_manager.aggregate(largest=Max("pk"))["largest"]
                for pk in range(self._computed_up_to + 1, (largest or 0) + 1):
                    self._pks[_derive(self.kind, pk)] = pk
                self._computed_up_to = max(self._computed_up_to, largest or 0)
            return self._pks.get(key)
