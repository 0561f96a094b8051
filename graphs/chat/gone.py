"""What a message says goes, gone: "but over a lake instead of the hills", "put them on dark slate, not oak", "and the
moon, not sun". A reading that sets the new thing and leaves the old one drew both ("over a lake ... over the hills",
"on a dark slate background ... on a light oak table"), and an added thing kept its ", not sun" as words to draw.
"""

from __future__ import annotations

import re

from graphs.llm.schemas import Edit
from graphs.reading.edits import apply_edits
from graphs.reading.rules import mentions_style
from graphs.reading.scene import describe

_F = re.I | re.S

# The old thing of "instead of X", "rather than X", ", not X" (not a message that opens with "not": "not the hat, the
# scarf" names the thing to change, not one to drop), up to the end of its clause.
_OLD = re.compile(
    r"(?:\binstead\s+of|\brather\s+than|(?<=[\w,])\s*,?\s+not)\s+(?:the\s+|a\s+|an\s+|any\s+|that\s+|those\s+)?"
    r"(?P<x>[a-z][\w-]*(?:\s+[a-z][\w-]*){0,2}?)(?:\s+(?:please|pls|anymore|any\s+more))?\s*(?=[,.;!?]|\s+(?:and|but)\s|$)",
    _F,
)
_OPENS = re.compile(r"\W*(?:(?:no+|nah|nope|oh|ok(?:ay)?|hmm+|wait|sorry)\W*)*", _F)
_TAIL = re.compile(r"\s*,?\s+(?:instead\s+of|rather\s+than|not)\s+[^,]+$", _F)


def gone_as_said(edits: list[Edit], text: str, previous: str | None) -> list[Edit]:
    """`edits` with the old things the message names dropped where they are still drawn, and no added value keeping
    the words that name them."""
    if not previous or not edits:
        return edits
    text = text.strip()
    said = [m for m in _OLD.finditer(text) if not _OPENS.fullmatch(text[: m.start()])]
    if not said:
        return edits
    edits = [
        e.model_copy(update={"value": _TAIL.sub("", e.value)}) if e.op == "add" and _TAIL.search(e.value) else e
        for e in edits
    ]
    olds = [m["x"] for m in said if _holds(previous, m["x"])]
    merged = apply_edits(previous, edits, mentions_style)
    parts = describe(merged).parts
    subject = parts[0].text if parts else ""
    return edits + [
        Edit(op="remove", slot="thing", target=x) for x in olds if _holds(merged, x) and not _ends(subject, x)
    ]


def _holds(prompt: str, thing: str) -> bool:
    return bool(re.search(rf"(?<![\w-]){re.escape(thing)}(?:e?s)?(?![\w-])", prompt, _F))


def _ends(subject: str, thing: str) -> bool:
    """Whether `thing` ends the subject's words: the subject is changed, not dropped ("red polka dots" is no "red
    polka", "the digit 8 in blue" no "the digit 8 in"); "a stormy sea" can lose its storm."""
    return bool(re.search(rf"(?<![\w-]){re.escape(thing)}(?:e?s)?\W*$", subject, _F))
