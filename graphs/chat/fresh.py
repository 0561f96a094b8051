"""A new picture asked for in the middle of a conversation: "Next one: red and black horizontal stripes", "something
different now. A lighthouse keeper's cat knitting a scarf", "now do a hot dog stand on a beach".

Read as a change, such a message grafts its scene onto the last picture, and every turn after it refines the graft.
"""

from __future__ import annotations

import re

from graphs.reading.scene import COLOUR_WORDS, class_of, describe, phrase

_F = re.I | re.S
# The words that say the last picture is done with, then a stop before the new scene.
_MARKER = re.compile(
    r"^(?:(?:ok(?:ay)?|so|alright|all\s+right|cool|great|nice|good|perfect|thanks|thank\s+you|lovely|awesome)\b[\s,.!]*)*"
    r"(?:(?:and\s+)?now\b[\s,]*|then\b[\s,]*)?(?:let[’']?s\s+(?:do|try)\s+|(?:do|draw|make|try|give\s+me)\s+)?"
    r"(?:(?:the\s+)?next(?:\s+(?:one|picture|image|pic|idea|request))?|new(?:\s+(?:one|picture|image|pic|idea|request|prompt|"
    r"topic|scene))?|something\s+(?:different|else|new)|an?\s+(?:new|different)\s+(?:picture|image|pic|idea|one)|"
    r"(?:an?\s+)?(?:completely|totally|entirely)\s+(?:different|unrelated|new)(?:\s+(?:one|picture|image|pic|idea|thing))?|"
    r"unrelated|different\s+(?:picture|image|idea|topic|subject|thing)|"
    # "OK, separate request for my own desk: a bonsai tree"
    r"(?:an?\s+)?separate\s+(?:one|picture|image|pic|idea|request|thing)(?:\s+for\s+[\w\s'’]{1,40}?)?|change\s+of\s+(?:topic|plans?|subject)|"
    r"(?:let[’']?s\s+)?start\s+over|fresh\s+start|moving\s+on|switching\s+gears|another\s+(?:picture|image|idea|scene))"
    r"(?:\s+(?:now|please|pls|then|entirely|altogether))?\s*(?:[:.,!;]+|\s+-+|\s*—)\s*(?P<rest>\S.*)$",
    _F,
)
# A softer start: a verb of drawing before a scene. New only when the scene is about something the last one is not.
_AGREED = r"^(?:(?:ok(?:ay)?|alright|cool|great|nice|perfect|thanks)\b[\s,.!]*)*"  # what the last picture is left with
_DRAW = re.compile(
    _AGREED + r"(?:(?:and\s+)?now|next|then)[\s,]+"
    r"(?:do|draw|paint|show\s+me|give\s+me|make\s+me|try)\s+(?P<rest>(?:an?|some|two|three|four|five)\s.+)$",
    _F,
)
# What a change says, never a scene of its own.
_CHANGE = re.compile(
    r"^(?:make|change|turn|add|remove|put|swap|replace|switch|same|it|its|it[’']s|them|they|but|and|with|without|in|on|as|"
    r"into|more|less|no|not|keep|let|also|back|undo|again)\b|\b(?:instead|version|style|same|too|also|again|them|it|one|ones)\b",
    _F,
)


def fresh_request(text: str, previous_core: str) -> str | None:
    """The scene of a message that asks for a new picture in so many words, or None."""
    t = text.strip()
    if m := _MARKER.match(t):
        rest = m["rest"].strip()
        return rest if not _CHANGE.search(rest) and re.search(r"[a-z]{3}", rest, _F) else None
    glyph = re.match(r"^(?:an?|the)\s+[A-Za-z0-9]\b", m["rest"]) if (m := _DRAW.match(t)) else None
    if m and not glyph and not _CHANGE.search(m["rest"]) and len(m["rest"].split()) >= 3:  # "now do an X": a glyph
        if _about_else(m["rest"], previous_core):
            return m["rest"].strip()
    if (m := _OWN_GROUND.match(t)) and not _CHANGE.search(m["rest"]) and _about_else(m["rest"], previous_core, True):
        return m["rest"].strip(" .!")  # "ok, now a white ring on red" after green hills: a scene of its own
    return None


def _about_else(scene: str, previous_core: str, thing: bool = False) -> bool:
    """Whether `scene` is about something the last picture is not: its head noun is not in it (and, with `thing`,
    is no colour or other class word: "now purple on orange" recolours the drawn thing)."""
    parts = describe(scene).parts
    head = phrase(parts[0].text).noun.lower().split() if parts else []
    if not head or len(head[-1]) <= 2 or (thing and class_of(head[-1])):
        return False
    return not re.search(rf"\b{re.escape(head[-1])}(?:e?s)?\b", previous_core, _F)


# A whole picture said after "now": a thing and the ground it stands on ("now a white ring on red").
_OWN_GROUND = re.compile(
    _AGREED + r"(?:and\s+)?now[\s,]+"
    rf"(?P<rest>(?:an?\s+)?(?:{COLOUR_WORDS})\b.*?\s(?:on|against)\s+(?:an?\s+)?(?:{COLOUR_WORDS})"
    rf"(?:\s+(?:background|backdrop))?)[\s.!]*(?:please|pls)?[\s.!]*$",
    _F,
)
