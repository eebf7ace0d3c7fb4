"""What a search asks of the full-text index, in terms both backends read the same way."""

from dataclasses import dataclass, field


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

    @property
    def is_empty(self) -> bool:
        return not self.terms and not self.tag_groups
