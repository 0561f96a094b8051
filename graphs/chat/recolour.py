"""A thing of the picture in a new colour or material, said the way designers say it: "coat in camel", "booths in
teal vinyl", "tank in chrome", "case in rose gold instead of steel", "stools in brushed brass, not chrome".

The thing is found in the last prompt; the colour and material words that qualify it there (before it, "burgundy
trench coat", or after it, "tank in British racing green") are what the new value replaces: colours for a colour,
materials for a material. A thing with no such words is left to the other readers.
"""

from __future__ import annotations

import re

from graphs.llm.schemas import Edit
from graphs.reading.attributes import shade_start
from graphs.reading.scene import class_of

_F = re.I | re.S
_THING_IN = re.compile(
    r"^(?:the\s+|its\s+|her\s+|his\s+)?(?P<x>[a-z][\w-]*)\s+(?:(?:painted|coloured|colored|done|dyed|finished)\s+)?in\s+(?P<v>(?!an?\s|the\s|some\s|\d)[a-z][\w\s-]*?)"
    r"(?:\s*,?\s*(?:not|instead\s+of|rather\s+than)\s+(?:the\s+)?(?P<old>[\w\s-]+?))?\s*(?:please|pls|instead)?$",
    _F,
)
_QUALIFIES = ("colour", "material")
_CHUNK = re.compile(r"[^,;]+")


def _qualifiers(chunk: str, head: int, words: list[re.Match], classes: set[str]) -> list[re.Match]:
    """The colour and material words right before the thing (skipping other adjectives: "lacquered black armor"),
    or the whole finish of an "in ..." after it ("tank in British racing green" -> "tank in chrome")."""
    before = []
    for w in reversed(words[:head]):
        if class_of(w[0]) in classes:
            before.insert(0, w)
        elif w[0].lower() in ("a", "an", "the", "of", "in", "with", "and", "on"):
            break
    if before and "colour" in classes:  # "neon green helmet" -> "hot pink helmet": the shade goes with its colour
        start = shade_start(chunk, before[0].start(), "colour")
        before = [w for w in words[:head] if start <= w.start() < before[0].start()] + before
    if before:
        return before
    after = words[head + 1 :]
    if (
        len(after) >= 2
        and after[0][0].lower() == "in"
        and after[1][0].lower() not in ("a", "an", "the", "some")  # "tails in a bamboo forest": a place, no finish
        and any(class_of(w[0]) in _QUALIFIES for w in after[1:])
    ):
        return after[1:]
    return []


def thing_in(clause: str, previous: str | None) -> list[Edit] | None:
    """Edits for "<thing> in <value>" when the thing is in `previous`, else None."""
    m = _THING_IN.match(clause.strip(" .!?"))
    if not m or not previous:
        return None
    thing, value = m["x"].lower(), " ".join(m["v"].split())
    if len(value.split()) > 4 or (len(value.split()) > 2 and not any(class_of(w) for w in value.split())):
        return None  # "the cat in the garden of my grandmother": a place, not a finish
    for chunk in _CHUNK.finditer(previous):
        words = list(re.finditer(r"[\w'-]+", chunk[0]))
        head = next((i for i, w in enumerate(words) if w[0].lower() in (thing, f"{thing}s", thing.rstrip("s"))), None)
        if head is None:
            continue
        # a colour replaces colours, a material materials ("the bowl in cobalt blue" keeps it ceramic)
        classes = {class_of(w) for w in value.split()} & set(_QUALIFIES) or {"colour"}
        old = _qualifiers(chunk[0], head, words, classes)
        if old and old[0].start() > words[head].start():  # "tank in British racing green": the words after it
            target = chunk[0][old[0].start() : old[-1].end()]
            return [Edit(op="replace", slot=class_of(old[-1][0]) or "colour", value=value, target=target)]
        if old:  # the words replaced and the thing's name with them, so the target is this thing's and no other's
            target = chunk[0][old[0].start() : words[head].end()]
            new = value + chunk[0][old[-1].end() : words[head].end()]
            return [Edit(op="replace", slot="thing", value=new, target=target)]
        return None  # nothing of the kind to replace: the other readers place a new quality
    return None
