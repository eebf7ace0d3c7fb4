"""PostgreSQL backend of the search: full text on the search documents.

Words and tags are folded in Python before they are stored (see `text.py`,
`tags.py`), so the `simple` configuration (no stemming, no stop words) sees
exactly the tokens SQLite FTS5 sees; GIN indexes on the tsvectors answer the
words, including the prefix of the last one (`diet:*`), and the filters.

Migration 0003 installs `unaccent` and `pg_trgm`, which the issue names for
this engine. The search does not call them, on purpose: folding accents in the
database with `unaccent` would follow rules slightly different from SQLite's
(« œ », « ß », letters of other scripts), and the two engines must return the
same services. The folding is done once, in Python, for both.
"""

# SQL here is assembled from this module's constants and conditions; every value
# a user gives travels as a query parameter.
# ruff: noqa: S608

from .criteria import PREFIX_MARK, Concept, Match

# Written exactly as in the indexes, for PostgreSQL to use them.
WORDS_VECTOR = "to_tsvector('simple'::regconfig, d.title || ' ' || d.body)"
TITLE_VECTOR = "to_tsvector('simple'::regconfig, d.title)"
TAGS_VECTOR = "to_tsvector('simple'::regconfig, d.tags)"
EXTENSIONS = ("unaccent", "pg_trgm")
INDEXES = {
    "directory_search_words": (
        "CREATE INDEX IF NOT EXISTS directory_search_words ON directory_searchdocument "
        "USING gin (to_tsvector('simple'::regconfig, title || ' ' || body))"
    ),
    # Name order in bytes, as on SQLite, whatever the database's collation.
    "directory_search_name_c": (
        "CREATE INDEX IF NOT EXISTS directory_search_name_c ON directory_searchdocument "
        '(name_key COLLATE "C", service_id)'
    ),
    "directory_search_tags": (
        "CREATE INDEX IF NOT EXISTS directory_search_tags ON directory_searchdocument "
        "USING gin (to_tsvector('simple'::regconfig, tags))"
    ),
}


def _stem(token: str) -> str:
    if token.endswith(PREFIX_MARK):
        return token[: -len(PREFIX_MARK)] + ":*"
    return token


def _concept(concept: Concept) -> str:
    return "(" + " | ".join("(" + " & ".join(map(_stem, p)) + ")" for p in concept) + ")"


def _words(match: Match) -> str:
    # Terms hold only [a-z0-9] (text.words): nothing to escape for to_tsquery.
    parts = list(match.terms)
    if match.last_is_prefix and parts:
        parts[-1] += ":*"
    parts += [_concept(concept) for concept in match.concepts]
    return (" | " if match.any_word else " & ").join(parts)


def _conditions(match: Match) -> tuple[list[str], list]:
    conditions, params = [], []
    if match.has_words:
        conditions.append(f"{WORDS_VECTOR} @@ to_tsquery('simple'::regconfig, %s)")
        params.append(_words(match))
    if match.tag_groups:
        conditions.append(f"{TAGS_VECTOR} @@ to_tsquery('simple'::regconfig, %s)")
        params.append(" & ".join("(" + " | ".join(group) + ")" for group in match.tag_groups))
    return conditions, params


def matching_ids(match: Match, cursor=None) -> tuple[str, list]:
    """SQL selecting the ids of the services that match (the match must not be empty).

    With a cursor, the backend may first look up what a prefix stands for.
    """
    conditions, params = _conditions(match)
    return (
        f"SELECT d.service_id FROM directory_searchdocument d WHERE {' AND '.join(conditions)}",
        params,
    )


def find(cursor, match: Match, offset: int, limit: int) -> tuple[list[int], int]:
    """A page of matching service ids and the number of matches (order as on SQLite)."""
    conditions, params = _conditions(match)
    where = " AND ".join(conditions) or "TRUE"
    cursor.execute(f"SELECT count(*) FROM directory_searchdocument d WHERE {where}", params)
    total = cursor.fetchone()[0]
    if offset >= total:
        return [], total
    order, order_params = [], []
    if match.has_words:
        # The title holding the words as typed, then as the vocabulary expands them.
        order.append(
            f"CASE WHEN {TITLE_VECTOR} @@ to_tsquery('simple'::regconfig, %s) THEN 0 "
            f"WHEN {TITLE_VECTOR} @@ to_tsquery('simple'::regconfig, %s) THEN 1 ELSE 2 END"
        )
        order_params += [_words(match.literal), _words(match)]
    # Byte order, as on SQLite, whatever the collation of the database.
    order += ['d.name_key COLLATE "C"', "d.service_id"]
    cursor.execute(
        f"SELECT d.service_id FROM directory_searchdocument d WHERE {where} "
        f"ORDER BY {', '.join(order)} LIMIT %s OFFSET %s",
        [*params, *order_params, limit, offset],
    )
    return [row[0] for row in cursor.fetchall()], total


def neighbour_ranks(cursor, name_key: str, service_id: int) -> tuple[int | None, int | None]:
    """Ranks of the documents just before and just after (name_key, service_id)."""
    cursor.execute(
        "SELECT name_rank FROM directory_searchdocument "
        'WHERE (name_key COLLATE "C", service_id) < (%s, %s) '
        'ORDER BY name_key COLLATE "C" DESC, service_id DESC LIMIT 1',
        [name_key, service_id],
    )
    before = cursor.fetchone()
    cursor.execute(
        "SELECT name_rank FROM directory_searchdocument "
        'WHERE (name_key COLLATE "C", service_id) > (%s, %s) '
        'ORDER BY name_key COLLATE "C", service_id LIMIT 1',
        [name_key, service_id],
    )
    after = cursor.fetchone()
    return (before and before[0], after and after[0])


# Any constant: the key of the lock that serialises writes of the index.
WRITE_LOCK_KEY = 7_301_003


def lock_for_writing(cursor) -> None:
    """Two transactions must not pick the same free rank: one writes at a time
    (the lock is released at the end of the transaction)."""
    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [WRITE_LOCK_KEY])


def ensure_schema(cursor) -> None:
    for extension in EXTENSIONS:
        cursor.execute(f"CREATE EXTENSION IF NOT EXISTS {extension}")
    for sql in INDEXES.values():
        cursor.execute(sql)


def drop_schema(cursor) -> None:
    for name in INDEXES:
        cursor.execute(f"DROP INDEX IF EXISTS {name}")


def before_rebuild(cursor) -> None:
    """Nothing to set aside: PostgreSQL keeps its indexes in step with the rows."""


def rebuild(cursor) -> None:
    """Create the indexes that went missing, if any."""
    if missing_parts(cursor):
        # The foreign keys of rows written in this transaction are checked at
        # commit; PostgreSQL creates no index while such checks are pending.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        ensure_schema(cursor)


def missing_parts(cursor) -> list[str]:
    cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname = ANY(%s)", [list(INDEXES)])
    present = {row[0] for row in cursor.fetchall()}
    return [name for name in INDEXES if name not in present]
