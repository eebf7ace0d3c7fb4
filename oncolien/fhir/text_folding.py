"""Case- and accent-insensitive matching of names, the same on SQLite and PostgreSQL.

FHIR compares `string` search parameters "after both have been normalized by
case and accent". The databases cannot fold the stored names the same way:
SQLite's LOWER() only knows ASCII, PostgreSQL's unaccent needs an extension,
and folding in SQL with a chain of REPLACE() overflows SQLite's parser.

So the searched text is folded in Python and turned into a regular expression
whose character classes list every spelling of each letter, both cases, with
and without accents (« eveil » → `[eEèÈéÉ…]v[eE…]…`). Django's `regex` lookup
runs it with Python's `re` on SQLite and `~` on PostgreSQL; the classes are
explicit, so neither engine's notion of case or locale is involved and both
give the same answer.

The directory's full-text search answers the public pages; this is enough for
FHIR's plain "starts with" / "contains" on a name.
"""

import re

# Spellings of each plain letter in French names (and their neighbours).
_ACCENTED = {
    "a": "àáâãäå",
    "c": "ç",
    "e": "èéêë",
    "i": "ìíîï",
    "n": "ñ",
    "o": "òóôõö",
    "u": "ùúûü",
    "y": "ýÿ",
}
# Separators people type differently (« Saint-Affrique », « saint affrique »).
SEPARATORS = "-'’"
_LIGATURES = {"oe": "œŒ", "ae": "æÆ"}

_FOLDS = {char: plain for plain, chars in _ACCENTED.items() for char in chars + chars.upper()}
_FOLDS.update(dict.fromkeys(SEPARATORS, " "))
_FOLDS.update({char: pair for pair, chars in _LIGATURES.items() for char in chars})
FOLD_TABLE = str.maketrans(_FOLDS)


def fold(text: str) -> str:
    """The searchable form of a text: lower case, no accents, separators as spaces."""
    return text.lower().translate(FOLD_TABLE).strip()


def _letter_class(char: str) -> str:
    if char == " ":
        return f"[ {SEPARATORS[1:]}{SEPARATORS[0]}]"  # '-' last: a literal in a class
    if char.isalpha():
        spellings = char + char.upper() + _ACCENTED.get(char, "") + _ACCENTED.get(char, "").upper()
        return f"[{spellings}]"
    return re.escape(char)


def folding_pattern(text: str, *, anchored: bool) -> str:
    """A regular expression matching `text` whatever the case, accents and separators.

    `anchored` makes it a "starts with" match. The syntax (classes, `(?:…)`,
    backslash escapes of punctuation) reads the same in Python and PostgreSQL.
    """
    folded = fold(text)
    parts, index = [], 0
    while index < len(folded):
        pair = folded[index : index + 2]
        if pair in _LIGATURES:
            letters = _letter_class(pair[0]) + _letter_class(pair[1])
            parts.append(f"(?:{letters}|[{_LIGATURES[pair]}])")
            index += 2
            continue
        parts.append(_letter_class(folded[index]))
        index += 1
    return ("^" if anchored else "") + "".join(parts)
