"""The words a picture spells out (a sign's text, a logo's name, a poster's title) changed to other words: "change
the text to GOODBYE", "make the sign say CLOSED", "title should read PETAL", "call it Loaf". The old words are found in
the last prompt (quoted, in capitals, or after "saying", "called", "the name is") and the new ones take their place,
so the sign, the logo and everything else stay as they were."""

from __future__ import annotations

import re

from graphs.llm.schemas import Edit

_F = re.I | re.S
_LETTERS = r"(?:text|name|title|word|words|caption|sign|slogan|lettering|writing|label|tagline|headline|banner)"
# The new words, as a change names them; the value runs to the end of the piece, quotes and courtesy taken off.
_NEW = (
    re.compile(
        rf"^(?:change|set|switch|make|update|edit)\s+(?:the\s+|its\s+)?{_LETTERS}\s*(?:to|into|say|says|read|reads|"
        r":)\s*(?P<v>.+)$",
        _F,
    ),
    re.compile(
        rf"^(?:the\s+|its\s+)?{_LETTERS}\s+(?:should|to|must|needs?\s+to|could|can|will)?\s*(?:say|read|be|reads|says|"
        r"to)\s+(?P<v>.+)$",
        _F,
    ),
    re.compile(rf"^(?:the\s+|its\s+)?{_LETTERS}\s*:\s*(?P<v>.+)$", _F),
    re.compile(r"^(?:make|have|let)\s+(?:it|the\s+[\w-]+)\s+(?:say|read|spell)\s+(?P<v>.+)$", _F),
    re.compile(r"^(?:call|rename|name)\s+(?:it|the\s+[\w-]+)\s+(?:to\s+)?(?P<v>.+)$", _F),
    re.compile(
        r"^(?:write|spell|put)\s+(?P<v>[\"'].+?[\"']|[A-Z0-9][A-Z0-9' !-]+?)(?:\s+(?:instead|on\s+it|there))?$", _F
    ),
)
_WRITE = re.compile(
    r"^(?:write|spell|put|add)\s+(?:on\s+(?:it|the\s+[\w-]+)\s+)?(?:the\s+(?:text|words?)\s+)?"
    r"(?:\"(?P<v>[^\"]+)\"|'(?P<s>[^']+)')(?:\s+on\s+(?:it|the\s+[\w-]+))?$",
    _F,
)
_TAIL = re.compile(r"[\s,.!]*(?:\s(?:instead|please|pls|now|thanks))*[\s,.!]*$", _F)
# The old words in the last prompt: quoted, a run of capitals, or the words after a word that introduces them.
_QUOTED = re.compile(r"\"(?P<v>[^\"]+)\"|(?<![\w])'(?P<s>[^']+)'(?![\w])|“(?P<c>[^”]+)”")
_CAPITALS = re.compile(r"(?<![\w'-])(?P<v>[A-Z][A-Z0-9'!]+(?:\s+[A-Z0-9][A-Z0-9'!]*)*)(?![\w-])")
_INTRODUCED = re.compile(
    r"\b(?:saying|says|that\s+says|reading|reads|called|named|the\s+name\s+is|with\s+the\s+(?:text|words?))\s+"
    r"(?P<v>[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*)"
)


def spelled(previous: str) -> str | None:
    """The words the last picture spells out, or None."""
    if m := _QUOTED.search(previous):
        return m["v"] or m["s"] or m["c"]
    if m := _INTRODUCED.search(previous):
        return m["v"]
    found = [m["v"] for m in _CAPITALS.finditer(previous) if len(m["v"]) > 1]
    return found[0] if len(found) == 1 else None


def lettering_edit(piece: str, previous: str | None) -> list[Edit] | None:
    """The edit that puts new words where the last picture's words were, or None when `piece` asks for no such
    change or the picture spells nothing."""
    old = spelled(previous) if previous else None
    if not old:
        if previous and (m := _WRITE.match(piece.strip())):  # "write on the cake 'HAPPY 30'": words to add
            return [Edit(op="add", slot="thing", value=f'the words "{m["v"] or m["s"]}"')]
        return None
    for rx in _NEW:
        if m := rx.match(piece.strip()):
            new = _TAIL.sub("", m["v"]).strip().strip("\"'“”").strip()
            if new and len(new) <= 60 and new.lower() != old.lower():
                return [Edit(op="replace", slot="subject", target=old, value=new)]
    return None
