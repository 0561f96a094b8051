"""A new thing said where a thing of the picture is: "a dragon asleep on the clock tower" of a market square with a
clock tower, "give me a lake in front of the mountains" of snowy mountains. Said whole, such a message reads like a
new scene, but it places its thing against one the picture has (a thing, not the place: "a dog in the park" of "a cat
in the park" is a scene of its own), so it is one more thing drawn."""

from __future__ import annotations

import re

from graphs.chat.shapes import FLAGS
from graphs.reading.forms import singular
from graphs.reading.scene import describe, phrase

_AT_THE = re.compile(
    r"\b(?:on(?:\s+top\s+of)?|in\s+front\s+of|next\s+to|beside|behind|above|below|under|near|by|around|over|inside|"
    r"in|at|on\s+the\s+side\s+of)\s+(?:the|his|her|its|their)\s+(?P<x>[a-z][\w-]*(?:\s+[a-z][\w-]*)?)\b",
    FLAGS,
)
_ASKING = re.compile(
    r"^(?:(?:ok(?:ay)?|now|and|also|oh)[\s,]+)*(?:(?:please|pls)\s+)?(?:give\s+me|show\s+me|i\s+want|i[’']?d\s+like|"
    r"draw(?:\s+me)?|put|add|can\s+you\s+add|could\s+you\s+add|let[’']?s\s+have)\s+",
    FLAGS,
)


def points_back(text: str, previous: str | None) -> str | None:
    """The thing to add, without its asking, when `text` places a new thing against a thing (not the place or the
    background) of `previous`; else None."""
    if not previous:
        return None
    said = _ASKING.sub("", text.strip().rstrip(".!?")).strip()
    if not re.match(r"^(?:an?|some|two|three|four|five|a\s+few|\d+)\s", said, FLAGS):
        return None
    things = [p for p in describe(previous).parts if p.role in ("subject", "extra")]
    heads = {singular(w.lower()) for p in things for w in re.findall(r"[a-z][\w-]*", p.text, FLAGS)}
    for m in _AT_THE.finditer(said):
        noun = phrase(m["x"]).noun.lower().split()[-1:] or m["x"].lower().split()[-1:]
        if noun and singular(noun[0]) in heads and not re.match(rf"^(?:an?\s+|some\s+)?{re.escape(noun[0])}\b", said):
            return said
    return None
