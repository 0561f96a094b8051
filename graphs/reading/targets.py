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


_PLACE_WORD = r"left|right|top|bottom|middle|centre|center|front|back|leftmost|rightmost"
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
