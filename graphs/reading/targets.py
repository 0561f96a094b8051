"""Which thing of the picture an edit's target names when it does not name it plainly: by its colour ("the red
ones", "the blue squares"), by its place ("the one on the left", "the right one"), or with a finish the reader took
for part of its name ("the car matte" + black -> "matte black"); and the colour words before two named things of one
phrase, to swap them ("a ginger cat and a black dog")."""

from __future__ import annotations

import re

from graphs.llm.schemas import Edit
from graphs.reading.scene import COLOUR_WORDS, class_of


def bare_target(target: str) -> str:
    return re.sub(r"^(?:the|a|an|her|his|its|their)\s+", "", target.lower().strip())


_PARTS = frozenset("one ones squares square stripes stripe dots dot parts part bits bit tiles lines areas".split())
# A finish said with a colour is one value with it ("matte black", "glossy red").
FINISHES = frozenset("matte glossy metallic shiny satin pearl pearlescent neon pastel".split())


def colour_named(edit: Edit) -> Edit:
    """A colour set on a thing named by its colour ("the red ones blue") replaces that colour; a finish the reader
    took for part of the thing ("the car matte" + black) goes with the colour ("matte black")."""
    words = edit.target.lower().split()
    if words and words[0] in ("the", "its", "their"):
        words = words[1:]
    if words and class_of(words[0]) == "colour" and all(w in _PARTS for w in words[1:]):
        return Edit(op="replace", slot="colour", target=words[0], value=edit.value)
    if len(words) > 1 and words[-1] in FINISHES:
        return edit.model_copy(update={"target": " ".join(words[:-1]), "value": f"{words[-1]} {edit.value}"})
    return edit


_PLACE_WORD = (
    r"left|right|top|bottom|middle|centre|center|front|back|leftmost|rightmost|inner|outer|upper|lower|first|second|"
    r"last|other|inside|outside"
)
_POSITION = re.compile(
    rf"^(?:the\s+)?(?:one\s+(?:on|at|in)\s+the\s+(?P<a>{_PLACE_WORD})|(?P<b>{_PLACE_WORD})(?:\s+[\w-]+)?)$", re.I
)


def position(prompt: str, target: str) -> str | None:
    """The thing of `prompt` a place names ("the one on the left" of "a red circle on the left" -> "circle"), or the
    colour word said beside that place ("the right one" of "…, right one cobalt" -> "cobalt"); else None."""
    m = _POSITION.match(target.strip())
    if not m:
        return None
    where = (m["a"] or m["b"]).lower()
    if said := re.search(
        rf"\b{where}\s+(?:one|[\w-]+)\s+(?:painted\s+|in\s+|is\s+)?(?P<c>[\w-]+)|\b{where}\s+(?P<d>[\w-]+)",
        prompt,
        re.I,
    ):
        word = said["c"] or said["d"]
        if class_of(word) == "colour":
            return word
    if thing := re.search(rf"(?P<np>[\w-]+)\s+(?:on|at|in)\s+the\s+{where}\b", prompt, re.I):
        return thing["np"] if not class_of(thing["np"]) else None
    return _by_relation(prompt, where)


# Which of two things a place word names, by how the prompt relates them ("a red ring inside a blue ring": the inner
# one is the first): relation -> the place words of the first thing; the second thing has the others of its pair.
_RELATIONS = (
    (r"above|over|on\s+top\s+of", ("top", "upper")),
    (r"below|under|beneath|underneath", ("bottom", "lower")),
    (r"inside|within|in", ("inner", "inside", "middle", "centre", "center")),
    (r"in\s+front\s+of", ("front",)),
    (r"behind", ("back",)),
    (r"(?:to\s+the\s+)?left\s+of", ("left", "leftmost")),
    (r"(?:to\s+the\s+)?right\s+of", ("right", "rightmost")),
    (r"next\s+to|beside|and|with", ("left", "leftmost")),
)
_OPPOSITE = {
    "top": "bottom",
    "upper": "lower",
    "bottom": "top",
    "lower": "upper",
    "inner": "outer",
    "inside": "outside",
    "middle": "outer",
    "centre": "outer",
    "center": "outer",
    "front": "back",
    "back": "front",
    "left": "right",
    "leftmost": "rightmost",
    "right": "left",
    "rightmost": "leftmost",
}


def _thing(name: str, rels: str) -> str:
    """A thing's phrase, its last word (not a relation word) captured as `name`."""
    return rf"(?:an?|the|one|two|three)\s+(?:[\w-]+\s+){{0,3}}?(?P<{name}>(?!(?:{rels})\b)[a-z][\w-]*)"


def _by_relation(prompt: str, where: str) -> str | None:
    """ "the top one" of "a purple triangle above a purple square" -> "triangle"; "the inner one" of "a red ring
    inside a blue ring" -> "ring" (the first); "the second one" of "a red circle and a blue square" -> "square"."""
    for rel, firsts in _RELATIONS:
        rels = "|".join(r for r, _ in _RELATIONS)
        m = re.search(rf"{_thing('x', rels)}\s+(?:{rel})\s+{_thing('y', rels)}\b", prompt, re.I)
        if not m:
            continue
        if where in firsts or where == "first":
            return m["x"]
        if where in {_OPPOSITE[f] for f in firsts} or where in ("second", "last", "other"):
            return m["y"]
    return None


def swap_before(text: str, names: list[str]) -> str | None:
    """`text` with the colour words right before the two named things exchanged, or None when either has none."""
    found = []
    for name in names:
        rx = rf"\b(?P<c>(?:{COLOUR_WORDS}))\s+(?:[\w-]+\s+)?{re.escape(bare_target(name))}(?:e?s)?\b"
        m = re.search(rx, text, re.I)
        if not m:
            return None
        found.append(m)
    (a, b) = found
    if a.start("c") > b.start("c"):
        a, b = b, a
    return text[: a.start("c")] + b["c"] + text[a.end("c") : b.start("c")] + a["c"] + text[b.end("c") :]
