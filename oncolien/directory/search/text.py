"""The one normalisation of searchable text, done in Python for both databases.

Documents and queries are reduced here to lower-case, accent-free words of
letters and digits, so that SQLite FTS5 and PostgreSQL full text see exactly
the same tokens: a word either engine would split or fold differently
(« Cœur », « socio-esthétique », « diététicien·ne ») is split and folded once,
here, before it reaches them. That is what makes the two backends agree.

Each folded word is then reduced to its stem by the Snowball French stemmer
(PyStemmer), on documents and queries alike: « diététicienne » and
« diététiciens » index as « dieteticien », « assistante sociale » and
« assistants sociaux » as « assist social ». Changing the folding or the
stemmer changes what the index holds: bump INDEX_VERSION, and migrations
rebuild the stored index (see migration 0004 and ``rebuild_search_index``).
"""

import re
import unicodedata
from functools import lru_cache
from os.path import commonprefix

import Stemmer  # type: ignore[import-not-found]  # PyStemmer ships no type information

# Ligatures that NFKD does not decompose.
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})
_NOT_WORD = re.compile(r"[^0-9a-z]+")
# Inclusive endings (« enseignant·e », « diététicien·nes », « infirmier(e) »):
# the word is read in its first form, which the stemmer brings close to the other.
_INCLUSIVE_ENDING = re.compile(
    r"[·⋅•](?:e|es|ne|nes|le|les|se|ses|ice|ices|rice|rices)\b|\((?:e|es|ne|nes)\)"
)

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


# What the stored index holds depends on this module: a new value means the
# documents must be rebuilt (``manage.py rebuild_search_index``).
INDEX_VERSION = "2026-12-french-snowball"
_STEMMER = Stemmer.Stemmer("french")


# Where Snowball joins words people keep apart (« aidants » and « aides » both
# give « aid ») or parts forms of one word (« infirmier » → « infirmi »,
# « infirmière » → « infirmier »), the stem is given here.
STEM_EXCEPTIONS = {
    **dict.fromkeys(["aidant", "aidants", "aidante", "aidantes"], "aidant"),
    **dict.fromkeys(["infirmier", "infirmiers", "infirmiere", "infirmieres"], "infirmier"),
}


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """The Snowball French stem of a folded word (« psychologues » → « psychologu »)."""
    return STEM_EXCEPTIONS.get(word) or _STEMMER.stemWord(word)


def folded_words(text: str) -> list[str]:
    """The words of a text folded (lower case, no accents), not yet stemmed."""
    folded = _fold(_INCLUSIVE_ENDING.sub("", text)) if text else ""
    return [word for word in _NOT_WORD.split(folded) if word and len(word) <= MAX_WORD_LENGTH]


def words(text: str) -> list[str]:
    """The searchable words of a text: folded, split on anything but letters and digits,
    then stemmed."""
    return [stem(word) for word in folded_words(text)]


def normalize_text(*parts: str) -> str:
    """A document field: the words of all parts, separated by single spaces."""
    return " ".join(word for part in parts for word in words(part))


def sort_key(text: str) -> str:
    """The key services are ordered by name with (same order on both databases)."""
    return " ".join(_NOT_WORD.split(_fold(text or ""))).strip()[:200]


def query_words(text: str) -> list[str]:
    """The folded words of a query that count: stop words dropped unless nothing else is left."""
    raw = folded_words(text)
    return [word for word in raw if word not in STOP_WORDS] or raw


def prefix_stem(word: str) -> str:
    """What a word typed last matches the beginning of: the part its stem shares with it
    (« travaux » → « trava », so that it also finds « travail »)."""
    return commonprefix([stem(word), word])


def query_terms(text: str) -> tuple[list[str], bool]:
    """The stems a query must all match, and whether the last one is a prefix.

    Stop words are dropped unless nothing else is left. A last word long enough
    to be a prefix matches by the part of its stem it shares with it.
    """
    kept = query_words(text)
    last_is_prefix = bool(kept) and len(kept[-1]) >= MIN_PREFIX_LENGTH
    stems = [stem(word) for word in kept]
    if last_is_prefix:
        stems[-1] = prefix_stem(kept[-1])
    # The same word twice adds nothing and would only lengthen the query.
    terms = list(dict.fromkeys(stems))
    if last_is_prefix and terms[-1] != stems[-1]:
        # The prefix repeated an earlier word: the earlier, exact one is dropped.
        terms.remove(stems[-1])
        terms.append(stems[-1])
    return terms, last_is_prefix and len(terms[-1]) >= MIN_PREFIX_LENGTH
