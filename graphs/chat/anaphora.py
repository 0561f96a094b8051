"""A change no rule reads that is still plainly about the picture on screen: it names one of its things with "the"
("the dog should be off the leash running ahead"), points at one ("she's holding a cup of tea now"), or asks for
something to be there ("there should be a dragon circling the tower"). Drawn as a new picture it would lose
everything else, so its words are added to the picture as said, the modal verbs taken off."""

from __future__ import annotations

import re

from graphs.llm.schemas import Edit
from graphs.reading.forms import doing

_F = re.I | re.S
_POINTS = re.compile(
    r"^(?:and\s+|also\s+|but\s+|so\s+)?(?:she|he|they|her|his|their)\b|"
    r"\b(?:she|he|they)(?:\s+(?:should|could|would|must|can|is|are|was|were)\b|[’']s\b|[’']d\b)",
    _F,
)
_THERE = re.compile(r"\bthere\s+(?:should|could|must|needs?\s+to|has\s+to|would)\s+be\s+(?P<v>.+)$", _F)
_MODAL = re.compile(
    r"\b(?:should|could|would|must|can|might)\s+(?:be\s+|have\s+|look\s+)?|\b(?:needs?|has|have)\s+to\s+(?:be\s+)?|"
    r"[’']d\s+(?:like|love|want)\s+(?:to\s+)?",
    _F,
)
# "she's holding a cup of tea now": the doing, without who does it (the picture's person)
_WHO_DOES = re.compile(r"^(?:she|he|they)(?:[’']s|[’']re|\s+is|\s+are)\s+(?=\w+ing\b)", _F)
# "she holds a cup", "he sits on a bench", "she hold a teddy bear": the doing said plain, drawn as "holding a cup"
_WHO_VERB = re.compile(r"^(?:she|he|they)\s+(?P<verb>[a-z]{3,})\s+(?=\S)", _F)
_WHO_HAS = re.compile(r"^(?:she|he|they)\s+(?:has|have|got|has\s+got|have\s+got)\s+(?=\S)", _F)
_NOT_A_VERB = frozenset("should could would must can might will was were did does also still too just now then".split())
_THE_THING_SHOULD = re.compile(r"^the\s+[\w-]+(?:\s+[\w-]+)?\s+(?:should|could|must|needs?\s+to|has\s+to)\b", _F)
_TAIL = re.compile(r"[\s,]+(?:now|too|please|pls|instead)$", _F)
_LEAD = re.compile(r"^(?:(?:and|also|but|so|hmm+|ok(?:ay)?|oh|well|now|then|maybe|perhaps|make|let|have)\b[\s,]*)+", _F)
_QUESTION = re.compile(r"^\W*(?:what|why|how|which|who|where|when|is|are|do|does|did)\b", _F)
MOST_WORDS = 16


def _names_a_thing(text: str, previous: str) -> bool:
    said = {w.lower().rstrip("s") for w in re.findall(r"[A-Za-z][\w-]*", previous)}
    named = re.findall(r"\bthe\s+([A-Za-z][\w-]*)(?:\s+([A-Za-z][\w-]*))?", text, _F)
    return any(w.lower().rstrip("s") in said for pair in named for w in pair if w)


def _doing(text: str) -> str:
    if m := _WHO_HAS.match(text):
        return text[m.end() :]
    m = _WHO_VERB.match(text)
    if not m or m["verb"].lower() in _NOT_A_VERB:
        return text
    return f"{doing(m['verb'])} {text[m.end() :]}"


def about_edits(text: str, previous: str | None) -> list[Edit] | None:
    """The message's words as an addition to the picture, or None when it names and points at nothing of it, asks
    a question, or is too long to be one change."""
    t = text.strip().rstrip(" .!?")
    if not previous or not t or _QUESTION.match(t) or len(t.split()) > MOST_WORDS:
        return None
    if m := _THERE.search(t):
        value = m["v"]
    elif _POINTS.search(t) or _names_a_thing(t, previous) or _THE_THING_SHOULD.match(_LEAD.sub("", t)):
        value = _doing(_MODAL.sub("", _WHO_DOES.sub("", _LEAD.sub("", t))))
    else:
        return None
    value = _TAIL.sub("", " ".join(value.strip(" ,-—").split()))
    if not re.search(r"[a-z]{3}", value, _F):
        return None
    return [Edit(op="add", slot="thing", value=value[:80])]
