"""A bare fragment after a picture ("lake in front", "autumn leaves", "letter A now", "bottle on a sandy beach"): read
as a change of the picture on screen, not as a new request, when no other reader knows it.

A terse writer drops the verb and the article; what is left is a thing and where it goes. In the development sets
(A, C-G, I-L) a follow-up of at most five words opening with no article that the rules read as a new request was a
change 38 times and a new request once ("new: sushi platter, photo"); of their 20 follow-up new requests, 19 open
with an article or run longer (a whole new scene is written as one: "a red fox in the snow", "draw me a castle"). So such a fragment
is read as the change it most plausibly shortens, each tried in turn with the rule reader: a thing of the picture
moved ("bottle on a sandy beach" -> put the bottle on a sandy beach), a replacement ("letter A now" -> letter A
instead), then an addition ("lake in front" -> add lake in front).
"""

from __future__ import annotations

import re

from graphs.chat.changes import read_changes
from graphs.llm.schemas import Edit
from graphs.reading.scene import phrase

MOST_WORDS = 6
_F = re.I | re.S
# how a request or a question opens, not a fragment of a change
_NOT_A_FRAGMENT = re.compile(
    r"^(?:an?|the|some|this|that|these|those|my|our|new|next|another|something|draw|make|generate|create|show|"
    r"give|paint|render|sketch|design|i|i'm|you|we|let's|she|he|they|it|she's|he's|they're|it's|what|why|how|which|who|where|when|is|are|can|could|"
    r"would|will|do|does|did|please|thanks|thank|ok|okay|yes|no|hi|hello|hey)\b",
    _F,
)
# a judgement, a redraw or a look change is not a thing to add ("very beautiful, i like so much", "again one more
# time", "colors more cold"); the rule reader has its own readings of those
_NOT_A_THING = re.compile(
    r"\b(?:i|me|my|you|your|again|once|time|seed|model|nice|good|great|beautiful|lovely|cool|perfect|bad|ugly|wrong|"
    r"like|love|hate|prefer|bright|brighter|dark|darker|cold|colder|warm|warmer|saturated|contrast|sharp|blurry|"
    r"more|less|too|so|very|not|ok|okay|hmm+|lol|idk|kinda)\b",
    _F,
)
_PREPOSITION = r"(?:on|in|at|under|over|by|beside|near|inside|behind|against|across|through|among|along)"
_NOW = re.compile(r"^(?:now\s+)?(?P<x>.+?)(?:\s+now)?$", _F)


def fragment_edits(text: str, previous: str | None) -> list[Edit] | None:
    """Edits for a bare fragment of a change, or None when `text` is not one."""
    t = text.strip(" .!?,")
    if not previous or "?" in text or ":" in text or not 1 <= len(t.split()) <= MOST_WORDS:
        return None
    bare = _NOW.match(t)["x"]
    if _NOT_A_FRAGMENT.match(t) and not (bare != t and re.match(r"^(?:an?|the)\s", bare, _F)):
        return None  # "now a 4" is a fragment, "a 4" on its own a request
    if _NOT_A_THING.search(t) or not re.search(r"[a-z]{3}|\d|\b[A-Z]\b", bare):
        return None
    said = set(re.findall(r"[a-z0-9]+", previous.lower()))
    tries = []
    if m := re.match(rf"^(?P<thing>[\w'-]+(?:\s+[\w'-]+)?)\s+(?P<where>{_PREPOSITION}\s.+)$", bare, _F):
        head = phrase(m["thing"]).noun.lower().split()[-1:] or [m["thing"].lower()]
        if head[0] in said:
            tries.append(f"put the {m['thing']} {m['where']}")
    if bare != t:  # "letter A now", "now a 4": what the picture shows from now on
        tries.append(f"{bare} instead")
    tries.append(f"add {bare}")
    for attempt in tries:
        if edits := read_changes(attempt, previous):
            return edits
    return None
