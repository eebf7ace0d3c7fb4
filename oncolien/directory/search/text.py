"""The one normalisation of searchable text, done in Python for both databases.

Documents and queries are reduced here to lower-case, accent-free words of
letters and digits, so that SQLite FTS5 and PostgreSQL full text see exactly
the same tokens: a word either engine would split or fold differently
(« Cœur », « socio-esthétique », « diététicien·ne ») is split and folded once,
here, before it reaches them. That is what makes the two backends agree.
"""

import re
import unicodedata

# Ligatures that NFKD does not decompose.
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})
_NOT_WORD = re.compile(r"[^0-9a-z]+")

# Words too common to narrow a search: dropped from queries (not from documents),
# so that « soutien des proches » finds « Soutien aux proches ».
STOP_WORDS = frozenset(
    [
        "a",
        "au",
        "aux",
        "avec",
        "d",
        "de",
        "des",
        "du",
        "en",
        "et",
        "l",
        "la",
        "le",
        "les",
        "ou",
        "par",
        "pour",
        "sur",
        "un",
        "une",
    ]
)
# Longer "words" (a pasted address, a run of letters) are not searchable: left
# out of documents and queries alike, so that both engines agree on them.
MAX_WORD_LENGTH = 60
# The last word of a query also matches longer words from this length on
# (« diet » finds « diététicienne »); shorter prefixes would match too much.
MIN_PREFIX_LENGTH = 3


def _fold_slowly(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return "".join(char for char in decomposed if not unicodedata.combining(char)).lower()


# The same folding precomputed for the Latin letters French uses, so that the
# usual text is folded by one str.translate (rebuilding the index reads every
# description); anything else still goes through Unicode decomposition.
_LATIN = str.maketrans({chr(code): _fold_slowly(chr(code)) for code in range(0x80, 0x250)})


def _fold(text: str) -> str:
    folded = text.translate(_LATIN).lower()
    return folded if folded.isascii() else _fold_slowly(folded)


def _singular(word: str) -> str:
    # A light plural folding applied to documents and queries alike, so that
    # « psychologues » finds « psychologue » (and the reverse). Short words and
    # « -ss » endings are left alone.
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def words(text: str) -> list[str]:
    """The searchable words of a text: folded, split on anything but letters and digits."""
    return [
        _singular(word)
        for word in _NOT_WORD.split(_fold(text or ""))
        if word and len(word) <= MAX_WORD_LENGTH
    ]


def normalize_text(*parts: str) -> str:
    """A document field: the words of all parts, separated by single spaces."""
    return " ".join(word for part in parts for word in words(part))


def sort_key(text: str) -> str:
    """The key services are ordered by name with (same order on both databases)."""
    return " ".join(_NOT_WORD.split(_fold(text or ""))).strip()[:200]


def query_terms(text: str) -> tuple[list[str], bool]:
    """The words a query must all match, and whether the last one is a prefix.

    Stop words are dropped unless nothing else is left.
    """
    raw = words(text)
    kept = [word for word in raw if word not in STOP_WORDS] or raw
    # The same word twice adds nothing and would only lengthen the query.
    terms = list(dict.fromkeys(kept))
    last_is_prefix = bool(terms) and len(terms[-1]) >= MIN_PREFIX_LENGTH
    return terms, last_is_prefix
