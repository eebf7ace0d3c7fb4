"""SQLite backend of the search: an FTS5 index of the search documents.

The FTS5 table takes its text from `directory_searchdocument` (external
content; its rowid is the document's name rank, see ranks.py) and triggers on
that table keep it in step, so that every way a document is written —
`index.refresh`, a bulk insert, a flush between tests — updates the index too. Words are folded in Python
before they are stored (see `text.py`); `remove_diacritics 2` only guards text
that would reach the table another way.

Results by name: FTS5 yields its matches in rowid order, that is in name
order, so a page of results is read without sorting the matches, however many.

A table remade by a future migration of `directory_searchdocument` would lose
its triggers: `ensure_schema` recreates whatever is missing, and
`rebuild_search_index` calls it.
"""

# SQL here is assembled from this module's constants and conditions; every value
# a user gives travels as a query parameter.
# ruff: noqa: S608

from dataclasses import replace

from .criteria import PREFIX_MARK, Concept, Match

FTS_TABLE = "directory_search_fts"
DOCUMENT_TABLE = "directory_searchdocument"
TERM_TABLE = "directory_searchterm"
# Beyond this many words, a prefix stays a prefix (see _expand_prefix).
MAX_PREFIX_WORDS = 20
# Up to this many matches, every match is read at once and ordered in Python
# (see find); beyond, the index counts them and reads only the page.
FEW_MATCHES = 200
# detail=column: the index keeps in which column a word is, not at which place,
# since no query asks for words side by side; its lists are smaller and read a
# fifth faster. columnsize=0: no ranking by length (bm25) is ever asked for.
CREATE_TABLE = f"""
    CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(
        title, body, tags,
        content='{DOCUMENT_TABLE}', content_rowid='name_rank',
        tokenize='unicode61 remove_diacritics 2',
        detail=column, columnsize=0
    )"""
TRIGGERS = {
    "directory_search_fts_insert": f"""
        CREATE TRIGGER IF NOT EXISTS directory_search_fts_insert
        AFTER INSERT ON {DOCUMENT_TABLE} BEGIN
            INSERT INTO {FTS_TABLE}(rowid, title, body, tags)
            VALUES (new.name_rank, new.title, new.body, new.tags);
        END""",
    "directory_search_fts_delete": f"""
        CREATE TRIGGER IF NOT EXISTS directory_search_fts_delete
        AFTER DELETE ON {DOCUMENT_TABLE} BEGIN
            INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, body, tags)
            VALUES ('delete', old.name_rank, old.title, old.body, old.tags);
        END""",
    "directory_search_fts_update": f"""
        CREATE TRIGGER IF NOT EXISTS directory_search_fts_update
        AFTER UPDATE ON {DOCUMENT_TABLE} BEGIN
            INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, body, tags)
            VALUES ('delete', old.name_rank, old.title, old.body, old.tags);
            INSERT INTO {FTS_TABLE}(rowid, title, body, tags)
            VALUES (new.name_rank, new.title, new.body, new.tags);
        END""",
}


def _quote(token: str) -> str:
    # Tokens hold only [a-z0-9] (text.words, tags.py); quoting keeps FTS5 from
    # ever reading one as an operator (AND, OR, NOT, NEAR).
    return '"' + token.replace('"', '""') + '"'


def _stem(token: str, expansions: dict[str, tuple[str, ...]]) -> str:
    if token.endswith(PREFIX_MARK):
        prefix = token[: -len(PREFIX_MARK)]
        if words := expansions.get(prefix):
            return "(" + " OR ".join(_quote(word) for word in words) + ")"
        return _quote(prefix) + "*"
    return _quote(token)


def _concept(concept: Concept, expansions: dict[str, tuple[str, ...]]) -> str:
    return (
        "("
        + " OR ".join(
            "(" + " AND ".join(_stem(stem, expansions) for stem in phrase) + ")"
            for phrase in concept
        )
        + ")"
    )


def _words(match: Match, columns: str) -> str:
    parts = [_quote(term) for term in match.terms]
    if match.prefix_words:
        parts[-1] = "(" + " OR ".join(_quote(word) for word in match.prefix_words) + ")"
    elif match.last_is_prefix and parts:
        parts[-1] += "*"
    expansions = dict(match.concept_prefix_words)
    parts += [_concept(concept, expansions) for concept in match.concepts]
    joiner = " OR " if match.any_word else " AND "
    return f"{columns} : ({joiner.join(parts)})"


def _words_starting(cursor, prefix: str) -> tuple[str, ...] | None:
    """The indexed words starting with `prefix`, or None when there are too many."""
    # The first string after every word starting with the prefix (letters and digits only).
    ceiling = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    cursor.execute(
        f"SELECT term FROM {TERM_TABLE} WHERE term >= %s AND term < %s ORDER BY term LIMIT %s",
        [prefix, ceiling, MAX_PREFIX_WORDS + 1],
    )
    words = tuple(row[0] for row in cursor.fetchall())
    return words if len(words) <= MAX_PREFIX_WORDS else None


def _expand_prefix(cursor, match: Match) -> Match:
    """Each prefix (the last word, or a concept's « dietet* ») replaced by the
    indexed words it stands for.

    FTS5 answers « diet* » by merging the whole lists of every word starting
    with « diet », where « dieteticien OR dieteticienne OR dietetique » lets it
    skip through them: three to four times faster next to a selective filter,
    and a third faster for a count. The words come from the vocabulary table
    that index.py keeps complete; a prefix of too many words keeps the prefix form.
    """
    changes: dict = {}
    if match.terms and match.last_is_prefix:
        words = _words_starting(cursor, match.terms[-1])
        if words:
            changes["prefix_words"] = words
    prefixes = sorted(
        {
            stem[: -len(PREFIX_MARK)]
            for concept in match.concepts
            for phrase in concept
            for stem in phrase
            if stem.endswith(PREFIX_MARK)
        }
    )
    expansions = []
    for prefix in prefixes:
        words = _words_starting(cursor, prefix)
        if words:
            expansions.append((prefix, words))
    if expansions:
        changes["concept_prefix_words"] = tuple(expansions)
    return replace(match, **changes) if changes else match


def _expression(match: Match, *, words_in: str = "{title body}") -> str:
    parts = [_words(match, words_in)] if match.has_words else []
    parts += [
        "tags : (" + " OR ".join(_quote(tag) for tag in group) + ")" for group in match.tag_groups
    ]
    return " AND ".join(parts)


def matching_ids(match: Match, cursor=None) -> tuple[str, list]:
    """SQL selecting the ids of the services that match (the match must not be empty).

    With a cursor, the backend may first look up what a prefix stands for.
    """
    if cursor is not None:
        match = _expand_prefix(cursor, match)
    # The FTS5 rowid is the name rank: back to the service id through the documents.
    return (
        f"SELECT service_id FROM {DOCUMENT_TABLE} WHERE name_rank IN "
        f"(SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)",
        [_expression(match)],
    )


def _count(cursor, expression: str) -> int:
    cursor.execute(f"SELECT count(*) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [expression])
    return cursor.fetchone()[0]


def _segment(expression: str, *, with_title: bool = False) -> str:
    # ORDER BY rowid is answered by FTS5 itself: no sort, and it stops at the page.
    # CROSS JOIN keeps the index as the outer loop; the documents give the service ids.
    title = ", d.title" if with_title else ""
    return (
        f"SELECT d.service_id, {FTS_TABLE}.rowid AS name_rank{title} "
        f"FROM {FTS_TABLE} CROSS JOIN {DOCUMENT_TABLE} d "
        f"ON d.name_rank = {FTS_TABLE}.rowid WHERE {FTS_TABLE} MATCH %s "
        f"ORDER BY {FTS_TABLE}.rowid LIMIT %s OFFSET %s"
    )


def _page(cursor, expression: str, offset: int, limit: int) -> list[int]:
    cursor.execute(_segment(expression), [expression, limit, offset])
    return [row[0] for row in cursor.fetchall()]


def _first_page_of_two(cursor, first: str, second: str, limit: int) -> list[int]:
    """The first `limit` ids of the first segment, then of the second, in one query."""
    cursor.execute(
        f"SELECT 0 AS segment, * FROM ({_segment(first)}) "
        f"UNION ALL SELECT 1, * FROM ({_segment(second)}) ORDER BY segment, name_rank LIMIT %s",
        [first, limit, 0, second, limit, 0, limit],
    )
    return [row[1] for row in cursor.fetchall()]


def find(cursor, match: Match, offset: int, limit: int) -> tuple[list[int], int]:
    """A page of matching service ids and the number of matches.

    Order: when there are words, the documents holding them all in their title
    first (as typed, then as the vocabulary expands them); then by name, then
    by id (the name rank). A search with filters that finds few services reads
    them all at once and orders them in Python; otherwise each segment of that
    order is counted and read a page at a time.
    """
    if match.is_empty:
        cursor.execute(f"SELECT count(*) FROM {DOCUMENT_TABLE}")
        total = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT service_id FROM {DOCUMENT_TABLE} ORDER BY name_rank LIMIT %s OFFSET %s",
            [limit, offset],
        )
        return [row[0] for row in cursor.fetchall()], total
    match = _expand_prefix(cursor, match)
    expression = _expression(match)
    # Searches with filters mostly find a few dozen services: read them all, with
    # their name ranks, in the one query that also tells how many there are.
    # (Words alone mostly find hundreds: there, counting first is cheaper.)
    if match.tag_groups:
        cursor.execute(_segment(expression, with_title=True), [expression, FEW_MATCHES + 1, 0])
        found = cursor.fetchall()
        if len(found) <= FEW_MATCHES:
            if match.has_words:
                # The titles of these few are at hand: ranked here rather than by
                # two more passes over the index (a third of the search's time).
                found.sort(key=lambda row: _title_order(match, row[2]))  # stable: name order
            return [row[0] for row in found[offset : offset + limit]], len(found)
    total = _count(cursor, expression)
    if offset >= total:
        return [], total
    if match.has_words and match.concepts:
        literal = match.literal
        in_title_as_typed = _expression(literal, words_in="title")
        as_typed_count = _count(cursor, in_title_as_typed)
        in_title = _expression(match, words_in="title")
        title_count = _count(cursor, in_title)
        segments = [
            (in_title_as_typed, as_typed_count),
            (f"({in_title}) NOT ({_words(literal, 'title')})", title_count - as_typed_count),
            (f"({expression}) NOT ({_words(match, 'title')})", total - title_count),
        ]
    elif match.has_words:
        in_title = _expression(match, words_in="title")
        elsewhere = f"({expression}) NOT ({_words(match, 'title')})"
        if offset == 0:
            return _first_page_of_two(cursor, in_title, elsewhere, limit), total
        title_count = _count(cursor, in_title)
        segments = [(in_title, title_count), (elsewhere, total - title_count)]
    else:
        return _page(cursor, expression, offset, limit), total
    ids: list[int] = []
    for segment, count in segments:
        if len(ids) == limit:
            break
        if offset >= count:
            offset -= count
            continue
        ids += _page(cursor, segment, offset, limit - len(ids))
        offset = 0
    return ids, total


def _title_order(match: Match, title: str) -> tuple[bool, bool]:
    """Titles holding the words as typed first, then as the vocabulary expands them."""
    tokens = set(title.split())
    in_title = match.words_in(tokens)
    as_typed = in_title and (match.literal.words_in(tokens) if match.concepts else True)
    return (not as_typed, not in_title)


def neighbour_ranks(cursor, name_key: str, service_id: int) -> tuple[int | None, int | None]:
    """Ranks of the documents just before and just after (name_key, service_id)."""
    cursor.execute(
        f"SELECT name_rank FROM {DOCUMENT_TABLE} WHERE (name_key, service_id) < (%s, %s) "
        "ORDER BY name_key DESC, service_id DESC LIMIT 1",
        [name_key, service_id],
    )
    before = cursor.fetchone()
    cursor.execute(
        f"SELECT name_rank FROM {DOCUMENT_TABLE} WHERE (name_key, service_id) > (%s, %s) "
        "ORDER BY name_key, service_id LIMIT 1",
        [name_key, service_id],
    )
    after = cursor.fetchone()
    return (before and before[0], after and after[0])


def lock_for_writing(cursor) -> None:
    """Nothing to do: SQLite lets one transaction write at a time (IMMEDIATE mode)."""


def ensure_schema(cursor) -> None:
    """Create the FTS5 table and its triggers if they are missing (idempotent)."""
    cursor.execute(CREATE_TABLE)
    for sql in TRIGGERS.values():
        cursor.execute(sql)


def drop_schema(cursor) -> None:
    for name in TRIGGERS:
        cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
    cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


def before_rebuild(cursor) -> None:
    """Set the FTS5 index aside: it is read again in one pass by `rebuild`,
    faster than keeping it in step row by row."""
    drop_schema(cursor)


def rebuild(cursor) -> None:
    """Create what is missing, then re-read every document into the FTS5 index."""
    ensure_schema(cursor)
    cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")


def missing_parts(cursor) -> list[str]:
    """Names of the FTS table or triggers that do not exist (empty when all is in place)."""
    wanted = [FTS_TABLE, *TRIGGERS]
    cursor.execute(
        f"SELECT name FROM sqlite_master WHERE name IN ({', '.join(['%s'] * len(wanted))})",
        wanted,
    )
    present = {row[0] for row in cursor.fetchall()}
    return [name for name in wanted if name not in present]
