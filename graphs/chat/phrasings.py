"""Readers for refinement phrasings that name their change without a verb of change: a style named on its own
("art nouveau pls", "as a Van Gogh", "linocut print version"). graphs.chat.changes tries them among its rules.
"""

from __future__ import annotations

import re

from graphs.reading.lexicon import kind_table
from graphs.reading.rules import mentions_style

_F = re.I | re.S
# What may close any whole-message rule: punctuation and a please or thanks ("undo pls", "another one, thanks!").
END = r"[\s!.?,]*(?:please|pls|plz|thanks|thank\s+you)?[\s!.?]*$"

_STYLE_LEAD = re.compile(
    r"^(?:(?:make|turn|do|redo|render|paint|draw)\s+it\s+(?:as\s+|into\s+|in\s+)?|as\s+|in\s+|into\s+)?"
    r"(?:an?\s+|the\s+)?",
    _F,
)
_STYLE_TAIL = re.compile(r"(?:\s+(?:style|styled|version|look|vibes?|aesthetic|one|instead))+$", _F)
# Words a style phrase may carry besides the style itself: the medium it comes in and a period or place.
_MEDIUM_WORDS = frozenset(
    "print poster painting drawing art artwork render rendering movie film illustration sketch tapestry photo "
    "animation cartoon comic piece medieval vintage retro classic old modern japanese chinese victorian "
    "renaissance soviet french italian dutch 80s 90s 70s 60s".split()
)
# Patterns of the style vocabulary that match content ("a dragon" is fantasy, "a sign" typography): no evidence
# that a bare phrase names a look.
_CONTENT_STYLES = frozenset({"fantasy", "typography"})


def named_style(clause: str) -> str | None:
    """The style a clause names and nothing else ("low poly", "art nouveau poster", "as a Van Gogh"), as the words
    to write into the prompt; None when any word of it is content."""
    s = _STYLE_TAIL.sub("", _STYLE_LEAD.sub("", clause.strip())).strip()
    if not s or len(s.split()) > 4:
        return None
    hits = kind_table().scan(s)
    covered = "".join(" " if any(a <= i < b for a, b, _ in hits) else ch for i, ch in enumerate(s))
    rest = [w for w in re.findall(r"[\w'’-]+", covered.lower()) if w not in _MEDIUM_WORDS]
    if hits:
        if rest:
            return None
        if len(hits) == 1 and hits[0][2] == "artist" and hits[0][:2] == (0, len(s)):
            return f"in the style of {s}"
        return s
    styles = set(mentions_style(s)) - _CONTENT_STYLES
    if styles and all(set(mentions_style(w)) - _CONTENT_STYLES for w in rest):
        return s  # "gouache", "charcoal drawing": the vocabulary's own words
    return None
