"""What a search asks of the full-text index, in terms both backends read the same way."""

from collections.abc import Collection
from dataclasses import dataclass, field, replace

# One stem, or a stem ending in « * » that also matches longer words.
Phrase = tuple[str, ...]  # stems all to be found
Concept = tuple[Phrase, ...]  # any of these phrases
PREFIX_MARK = "*"


@dataclass(frozen=True)
class Match:
    # Folded words the document must all hold (text.query_terms).
    terms: list[str] = field(default_factory=list)
    # Whether the last term also matches longer words (« diet » → « diététicienne »).
    last_is_prefix: bool = False
    # Tags (tags.py): the document holds at least one tag of every group.
    tag_groups: list[list[str]] = field(default_factory=list)
    # The indexed words the prefix stands for, when a backend looked them up
    # (see sqlite_fts.py): matching any of them is matching the prefix.
    prefix_words: tuple[str, ...] = ()
    # Words of the vocabulary (vocabulary.py) the document must also hold, each
    # as any of the phrases it stands for (« diététicienne » → « diététique »,
    # « nutrition »…). A stem ending in PREFIX_MARK matches longer words too.
    concepts: tuple[Concept, ...] = ()
    # Relaxed words: any of the terms and concepts, rather than all of them.
    any_word: bool = False
    # The indexed words a prefix phrase of a concept (« dietet* ») stands for,
    # when a backend looked them up, as (prefix stem, words) pairs.
    concept_prefix_words: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def literal(self) -> "Match":
        """The same match with each concept reduced to the words typed (no vocabulary)."""
        return replace(self, concepts=tuple((concept[0],) for concept in self.concepts))

    def words_in(self, tokens: Collection[str]) -> bool:
        """Whether a column holding these index tokens holds the words of this match,
        as the full-text index reads them (the filters left aside).

        Ranking the few services a search found by their titles is done with this,
        in Python, rather than by asking the index again (sqlite_fts.find).
        """
        found = [
            _holds(tokens, term + PREFIX_MARK if self._is_prefix(position) else term)
            for position, term in enumerate(self.terms)
        ]
        found += [
            any(all(_holds(tokens, stem) for stem in phrase) for phrase in concept)
            for concept in self.concepts
        ]
        return any(found) if self.any_word else all(found)

    def _is_prefix(self, position: int) -> bool:
        return self.last_is_prefix and position == len(self.terms) - 1

    @property
    def has_words(self) -> bool:
        return bool(self.terms or self.concepts)

    @property
    def is_empty(self) -> bool:
        return not self.has_words and not self.tag_groups


def _holds(tokens: Collection[str], stem: str) -> bool:
    if stem.endswith(PREFIX_MARK):
        prefix = stem[: -len(PREFIX_MARK)]
        return any(token.startswith(prefix) for token in tokens)
    return stem in tokens
