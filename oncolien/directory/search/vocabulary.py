"""The words people use for each care and profession, expanded at query time.

The vocabulary is versioned reference data (``directory/data/search_vocabulary.json``),
validated as a whole: a file with one mistake is refused with every problem
listed in French, and nothing of it is used. Each entry says what people type
(`words`: feminine and masculine forms, abbreviations, everyday words) and
what to look for in the directory when they do (`finds`). A query phrase that
is one of an entry's words matches a service holding any of the entry's finds,
or the phrase itself.

Words are compared once normalised (folded, stop words dropped, stemmed: see
text.py), so « Diététicienne », « dieteticiennes » and « diététicienne » are
one word of the vocabulary.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process, utils

from oncolien.json_documents import json_object

from . import text

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "data" / "search_vocabulary.json"
MAX_WORD_LENGTH = 80
# Longest phrase of the vocabulary, in normalised words.
MAX_PHRASE_WORDS = 6
# A typed word this close to a vocabulary word (rapidfuzz ratio, 0–100) is
# suggested as « Vouliez-vous dire … ».
SUGGESTION_SCORE = 85

_TOP_KEYS = {"version": str, "about": str, "sources": list, "entries": list}
_ENTRY_KEYS = {
    "code": str,
    "label": str,
    "care_types": list,
    "professions": list,
    "words": list,
    "finds": list,
}
_REQUIRED_ENTRY_KEYS = ("code", "label", "words", "finds")


class VocabularyError(Exception):
    """The vocabulary file is refused; ``errors`` lists every problem, in French."""

    def __init__(self, errors: list[str], *, source: str) -> None:
        self.errors = errors
        lines = "\n".join(f"- {error}" for error in errors)
        super().__init__(
            f"Le vocabulaire de recherche {source} est refusé, rien n'en est utilisé :\n{lines}"
        )


Phrase = tuple[str, ...]  # normalised words, all to be found


@dataclass(frozen=True)
class Entry:
    code: str
    label: str
    care_types: tuple[str, ...]
    professions: tuple[str, ...]
    words: tuple[str, ...]  # as written in the file (shown in suggestions)
    finds: tuple[Phrase, ...]


@dataclass(frozen=True)
class Vocabulary:
    version: str
    entries: tuple[Entry, ...]
    # Normalised typed phrase → what it finds (the union over its entries).
    expansions: dict[Phrase, tuple[Phrase, ...]] = field(default_factory=dict)
    # Folded typed word (one word, or a phrase's folded words joined) → as written.
    spellings: dict[str, str] = field(default_factory=dict)

    def expand(self, stems: list[str]) -> list[tuple[Phrase, tuple[Phrase, ...]]]:
        """Split a query's stems into (phrase, what it finds), longest vocabulary phrases first.

        A stem no vocabulary phrase starts with comes out as itself with nothing
        found beyond it.
        """
        found: list[tuple[Phrase, tuple[Phrase, ...]]] = []
        start = 0
        while start < len(stems):
            for length in range(min(MAX_PHRASE_WORDS, len(stems) - start), 0, -1):
                phrase = tuple(stems[start : start + length])
                if phrase in self.expansions:
                    found.append((phrase, self.expansions[phrase]))
                    start += length
                    break
            else:
                found.append(((stems[start],), ()))
                start += 1
        return found

    def knows(self, folded_word: str) -> bool:
        return folded_word in self.spellings

    def suggestion(self, folded_word: str) -> str | None:
        """The vocabulary word closest to a misspelt one, as written in the file, or None."""
        if len(folded_word) < 4 or not self.spellings:
            return None
        best = process.extractOne(
            folded_word,
            list(self.spellings),
            scorer=fuzz.ratio,
            processor=utils.default_process,
            score_cutoff=SUGGESTION_SCORE,
        )
        if best is None or best[0] == folded_word:
            return None
        return self.spellings[best[0]]


def _phrase(written: str) -> Phrase:
    return tuple(text.stem(word) for word in text.query_words(written))


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def parse_vocabulary(
    raw: bytes,
    *,
    source: str = "fourni",
    care_types: Iterable[str] | None = None,
    professions: Iterable[str] | None = None,
) -> Vocabulary:
    """Validate a vocabulary file's bytes; raise VocabularyError listing every problem.

    With the known care type and profession codes, the entries' links are
    checked against them and every care type must have an entry.
    """
    document = json_object(raw, refused=VocabularyError, source=source)
    errors: list[str] = []
    for key, kind in _TOP_KEYS.items():
        if not isinstance(document.get(key), kind):
            errors.append(f"Le document doit avoir « {key} » ({_kind(kind)}).")
    for key in sorted(set(document) - set(_TOP_KEYS)):
        errors.append(f"Clé inconnue dans le document : « {key} ».")
    if isinstance(document.get("version"), str) and not document["version"].strip():
        errors.append("La version ne doit pas être vide.")
    raw_entries: list[Any] = (
        document["entries"] if isinstance(document.get("entries"), list) else []
    )
    if not raw_entries and isinstance(document.get("entries"), list):
        errors.append("La liste « entries » ne doit pas être vide.")
    known_care = None if care_types is None else set(care_types)
    known_professions = None if professions is None else set(professions)
    entries: list[Entry] = []
    codes: set[str] = set()
    covered: set[str] = set()
    for index, item in enumerate(raw_entries):
        entry = _entry(item, index, errors, known_care, known_professions)
        if entry is None:
            continue
        if entry.code in codes:
            errors.append(f"entries[{index}] : le code « {entry.code} » apparaît deux fois.")
        codes.add(entry.code)
        covered.update(entry.care_types)
        entries.append(entry)
    if known_care is not None:
        for code in sorted(known_care - covered):
            errors.append(
                f"Le soin « {code} » du référentiel n'a aucune entrée dans le vocabulaire."
            )
    if errors:
        raise VocabularyError(errors, source=source)
    expansions: dict[Phrase, list[Phrase]] = {}
    spellings: dict[str, str] = {}
    for entry in entries:
        for written in entry.words:
            alternatives = expansions.setdefault(_phrase(written), [])
            alternatives += [found for found in entry.finds if found not in alternatives]
            spellings.setdefault(" ".join(text.folded_words(written)), written)
    return Vocabulary(
        version=document["version"],
        entries=tuple(entries),
        expansions={phrase: tuple(found) for phrase, found in expansions.items()},
        spellings=spellings,
    )


def _kind(kind: type) -> str:
    return "un texte" if kind is str else "une liste"


def _entry(
    item: Any,
    index: int,
    errors: list[str],
    known_care: set[str] | None,
    known_professions: set[str] | None,
) -> Entry | None:
    where = f"entries[{index}]"
    if not isinstance(item, dict):
        errors.append(f"{where} doit être un objet.")
        return None
    if isinstance(item.get("code"), str):
        where = f"entries[{index}] (« {item['code']} »)"
    problems = len(errors)
    for key in sorted(set(item) - set(_ENTRY_KEYS)):
        errors.append(f"{where} : clé inconnue « {key} ».")
    for key, kind in _ENTRY_KEYS.items():
        if key not in item:
            if key in _REQUIRED_ENTRY_KEYS:
                errors.append(f"{where} : « {key} » manque.")
        elif kind is list and not _strings(item[key]):
            errors.append(f"{where} : « {key} » doit être une liste de textes.")
        elif kind is str and not (isinstance(item[key], str) and item[key].strip()):
            errors.append(f"{where} : « {key} » doit être un texte non vide.")
    if len(errors) > problems:
        return None
    for key in ("words", "finds"):
        if not item[key]:
            errors.append(f"{where} : la liste « {key} » ne doit pas être vide.")
        seen: set[Phrase] = set()
        for written in item[key]:
            phrase = _phrase(written)
            if not phrase:
                errors.append(f"{where} : « {written} » ({key}) ne contient aucun mot cherchable.")
            elif len(written) > MAX_WORD_LENGTH or len(phrase) > MAX_PHRASE_WORDS:
                errors.append(
                    f"{where} : « {written} » ({key}) est trop long "
                    f"(au plus {MAX_WORD_LENGTH} caractères et {MAX_PHRASE_WORDS} mots)."
                )
            elif key == "finds" and phrase in seen:
                errors.append(f"{where} : « {written} » ({key}) répète un mot de la liste.")
            seen.add(phrase)
    for key, known, label in (
        ("care_types", known_care, "soin de support inconnu"),
        ("professions", known_professions, "profession inconnue"),
    ):
        for code in item.get(key, []):
            if known is not None and code not in known:
                errors.append(f"{where} : {label} du référentiel : « {code} ».")
    if len(errors) > problems:
        return None
    return Entry(
        code=item["code"],
        label=item["label"],
        care_types=tuple(item.get("care_types", [])),
        professions=tuple(item.get("professions", [])),
        words=tuple(item["words"]),
        finds=tuple(_phrase(written) for written in item["finds"]),
    )


@lru_cache(maxsize=1)
def current() -> Vocabulary:
    """The shipped vocabulary, read and validated once per process."""
    return parse_vocabulary(DEFAULT_PATH.read_bytes(), source=DEFAULT_PATH.name)
