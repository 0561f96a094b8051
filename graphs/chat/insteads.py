"""A new thing where an old one was, said without a verb of swapping: "now diagonal stripes in the same colours",
"put it on a snowy ridge instead of the rock", "give it a green scarf instead" (of a red one). Read as an addition
or a place, each drew the new thing beside the old one.
"""

from __future__ import annotations

import re

from graphs.chat.shapes import FILLER, FLAGS
from graphs.llm.schemas import Edit
from graphs.reading.forms import singular
from graphs.reading.scene import class_of, describe
from graphs.reading.targets import bare_target


def put_instead(value: str, previous: str | None) -> list[Edit] | None:
    """ "put it on a snowy ridge instead of the rock": the ridge where the rock was, the rest of the scene kept (read
    as a place, the whole "on a rock under a full moon" went and "instead of the rock" was drawn)."""
    m = re.fullmatch(r"(?P<new>.+?)\s*,?\s+(?:instead\s+of|rather\s+than|not)\s+(?P<old>.+?)", value.strip(), FLAGS)
    if not m or not previous:
        return None
    old = bare_target(m["old"])
    if not old or not re.search(rf"\b{re.escape(old)}(?:e?s)?\b", previous, FLAGS):
        return None
    return [Edit(op="replace", slot="thing", target=old, value=m["new"].strip())]


# "now diagonal stripes in the same colours", "do the letter S the same colors", "same colours but polka dots": a new
# thing that keeps the old one's colours
_SAME_COLOURS = (
    re.compile(
        r"^(?:now\s+|ok(?:ay)?\s+|and\s+|then\s+)*(?:(?:do|make|draw|try|use|switch\s+to|swap\s+to|change\s+to|go\s+with|"
        r"give\s+me)\s+)?(?:it\s+|them\s+)?(?:as\s+|into\s+|to\s+)?(?P<v>(?!it\b|them\b)[\w\s'-]+?)[\s,]+(?:but\s+|and\s+)?"
        r"(?:(?:in|with|keep|keeping|using)\s+)?(?:the\s+)?same\s+colou?rs?(?:\s+as\s+before)?[\s.!]*$",
        FLAGS,
    ),
    re.compile(
        r"^(?:(?:keep\s+)?(?:the\s+)?same\s+colou?rs?)[\s,]+(?:but\s+)?(?:as\s+|with\s+|make\s+it\s+|do\s+)?"
        r"(?P<v>(?!it\b|them\b)[\w\s'-]+?)[\s.!]*$",
        FLAGS,
    ),
)


def same_colours(text: str) -> list[Edit] | None:
    """The new thing of a message that keeps the old one's colours, or None."""
    for rx in _SAME_COLOURS:
        m = rx.match(text.strip()) or rx.match(FILLER.sub("", text.strip()))
        if (
            m
            and not class_of(m["v"].split()[-1])
            and not re.search(r"\b(?:it|them|keep|please|pls|thanks|instead|let[’']?s)\b", m["v"], FLAGS)
            and not re.search(r"\S\s+(?:an?|the)\s", m["v"], FLAGS)  # "the triangle a square": a change, read as one
        ):
            return [Edit(op="replace", slot="subject", value=m["v"].strip())]
    return None


def added_instead(edit: Edit, text: str, previous: str | None) -> Edit | None:
    """ "give it a green scarf instead" of "a snowman with a red scarf": the thing it has, replaced, not a second one."""
    if edit.op != "add" or not previous or not re.search(r"\binstead\b", text, FLAGS):
        return None
    head = re.findall(r"[\w-]+", edit.value)
    if not head or len(head) > 5 or class_of(head[-1]):
        return None
    noun = head[-1]
    if not re.search(rf"\b{re.escape(singular(noun))}(?:e?s)?\b", previous, FLAGS):
        return None
    return Edit(op="replace", slot="thing", target=singular(noun), value=edit.value)


_BODY = re.compile(r"^(?:with\s+)?(?:an?\s+|the\s+)?(?:[\w-]+\s+)?(?P<body>sun|moon)\b", FLAGS)
_OTHER = {"sun": "moon", "moon": "sun"}


def sky_swapped(edits: list[Edit], previous: str | None) -> list[Edit]:
    """ "make it sunset with the sun instead" of "moon over the hills at night": the picture's subject is the other
    sky body, so the new one takes its place once the time changes too (a body said beside the subject, "with the
    sun", is dropped by `graphs.reading.setting.sky_after`)."""
    if not previous or not any(e.op == "set" and e.slot == "time" for e in edits):
        return edits
    parts = describe(previous).parts
    subject = parts[0].text if parts else ""  # "moon over the hills": the subject is the body; "with the sun" goes
    out = []
    for e in edits:
        m = _BODY.match(e.value) if e.op == "add" and e.slot == "thing" else None
        old = _OTHER[m["body"].lower()] if m else ""
        if m and re.search(rf"\b{old}\b", subject, FLAGS) and not re.search(rf"\b{m['body']}\b", previous, FLAGS):
            out.append(
                Edit(op="replace", slot="subject", target=old, value=re.sub(r"^with\s+", "", e.value, flags=FLAGS))
            )
        else:
            out.append(e)
    return out
