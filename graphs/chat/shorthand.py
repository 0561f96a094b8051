"""Changes said in a few words, in shapes of their own: "her hat to white", "stormy sky please", "3 more balloons",
"make him young", "only the star", "letter K pink on green", "digit 9", "the yellow to green", "cabin lights blue"; and
what a glyph is. Each reads one clause against the last prompt, or gives None for the other rules to read."""

from __future__ import annotations

import re

from graphs.chat.shapes import FLAGS, TRAIL
from graphs.llm.schemas import Edit
from graphs.reading.attributes import LEAD, SAME_KIND_WORDS, SHADES
from graphs.reading.forms import singular
from graphs.reading.scene import COLOUR_WORDS, class_of, describe, phrase

_THING_ON = re.compile(
    rf"(?:the\s+)?(?P<t>(?:(?:letter|number|digit)\s+)?[A-Z0-9]|[a-z][\w-]*)\s+(?:in\s+)?(?P<c>{COLOUR_WORDS})\s+on\s+"
    rf"(?:an?\s+)?(?P<b>{COLOUR_WORDS})(?:\s+(?:background|backdrop|bg))?[\s.!]*",
    FLAGS,
)
_ITS_TO = re.compile(
    rf"(?:the|her|his|its|their)\s+(?P<t>[a-z][\w-]*(?:\s+[a-z][\w-]*)?)\s+(?:to|into|->)\s+"
    rf"(?P<v>(?:(?:{'|'.join(SHADES)})\s+)?(?:{COLOUR_WORDS}))[\s.!]*",
    FLAGS,
)
_SKY_SAID = re.compile(
    r"(?:an?\s+)?(?P<w>stormy|cloudy|overcast|rainy|grey|gray|foggy|misty|clear|thundery|dark)\s+sky[\s.!]*", FLAGS
)
_N_MORE = re.compile(r"(?P<k>[234]|two|three|four)\s+more\s+(?P<x>[a-z][\w-]*)(?:\s+\S.*)?", FLAGS)
_MAKE_HIM = re.compile(
    rf"(?:make|have)\s+(?:him|her)\s+(?:a\s+bit\s+|a\s+little\s+|much\s+)?(?P<v>{'|'.join(sorted(SAME_KIND_WORDS))})[\s.!]*",
    FLAGS,
)
_ONLY = re.compile(
    r"(?:keep\s+)?(?:only|just)\s+(?:keep\s+)?(?:the|a|an)\s+(?P<x>[a-z][\w-]*)(?:\s+(?:one|alone))?[\s.!]*", FLAGS
)


def _all_but(kept: str, previous: str) -> list[str]:
    """The heads of the other things listed in the picture's subject ("a red star and a blue circle": "circle" when
    the star is kept); empty when the subject lists one thing or does not name the kept one."""
    parts = describe(previous).parts
    if not parts:
        return []
    items = re.split(r"\s+and\s+|\s*,\s*", parts[0].text)
    heads = [phrase(LEAD.sub("", it)).noun for it in items]
    heads = [h for h in heads if h]
    if len(heads) < 2 or not any(singular(h.split()[-1].lower()) == singular(kept.lower()) for h in heads):
        return []
    return [h for h in heads if singular(h.split()[-1].lower()) != singular(kept.lower())]


_GLYPH_SAID = re.compile(r"(?:the\s+)?(?:letter|number|digit)\s+(?P<g>[A-Za-z0-9])[\s.!]*", FLAGS)
_COLOUR_TO = re.compile(
    rf"(?:and\s+)?(?:the\s+)?(?P<x>{COLOUR_WORDS})\s+(?:to|into|->|→)\s+(?P<y>(?:{COLOUR_WORDS})(?:\s+(?:{COLOUR_WORDS}))?)"
    r"[\s.!?]*",
    FLAGS,
)


def said_short(also: str, raw: str, previous: str | None) -> list[Edit] | None:
    """The edits of a clause said in one of these shapes (`also`: without its courtesy; `raw`: as said), or None."""
    if (
        previous
        and (m := _THING_ON.fullmatch(also))
        and re.search(rf"(?<![\w-]){re.escape(m['t'])}(?![\w-])", previous, FLAGS)
    ):
        # "letter K pink on green": the thing of the picture in its new colour, on a new ground
        return [
            Edit(op="set", slot="colour", target=m["t"], value=m["c"].lower()),
            Edit(op="set", slot="background", value=m["b"].lower()),
        ]
    if previous and (m := _ITS_TO.fullmatch(also)) and re.search(rf"\b{re.escape(m['t'])}", previous, FLAGS):
        return [Edit(op="set", slot="colour", target=m["t"].lower(), value=m["v"].lower())]  # "her hat to white"
    if previous and (m := _SKY_SAID.fullmatch(also)) and re.search(r"\bsky\b", previous, FLAGS):
        return [Edit(op="set", slot="weather", target="sky", value=m["w"].lower())]  # "stormy sky please"
    if previous and (m := _N_MORE.fullmatch(also)):
        return [Edit(op="add", slot="thing", value=f"{m['k']} more {m['x']}")]  # "3 more balloons in the background"
    if previous and (m := _MAKE_HIM.fullmatch(also)):
        return [Edit(op="set", slot="quality", value=m["v"].lower())]  # "make him young": the one drawn
    only = _ONLY.fullmatch(TRAIL.sub("", raw).strip())  # before FILLER, which takes "just" for a filler word
    if previous and only and (others := _all_but(only["x"], previous)):
        return [Edit(op="remove", slot="thing", target=o) for o in others]  # "only the star please"
    if previous and re.fullmatch(r"[A-Z0-9]", also) and glyph_subject(previous):
        return [Edit(op="replace", slot="subject", value=also)]  # "7 please, in black": that glyph
    if previous and (m := _GLYPH_SAID.fullmatch(also)) and glyph_subject(previous):
        return [Edit(op="replace", slot="subject", value=m["g"])]  # "digit 9 and blue bg": that glyph, in its colour
    if previous and (m := _COLOUR_TO.fullmatch(also)) and re.search(rf"\b{m['x']}\b", previous, FLAGS):
        return [Edit(op="replace", slot="colour", target=m["x"].lower(), value=m["y"].lower())]  # "the yellow to green"
    return None


def glyph(value: str) -> bool:
    return (
        re.fullmatch(r"(?:(?:an?|the)\s+)?(?:(?:letter|number|digit)\s+)?[A-Za-z0-9]", value.strip(), FLAGS) is not None
    )


def glyph_subject(previous: str) -> bool:
    return re.search(r"\b(?:letter|number|digit)\s+[A-Za-z0-9]\b", previous, FLAGS) is not None


def thing_colour(said: str, previous: str) -> dict[str, str] | None:
    """ "car teal", "cabin lights blue", "cloak dark green": a thing of the picture (one or two words), then its
    colour (a shade at most before it, or two colours joined by "and"); None for any other words."""
    words = said.split()
    for k in (1, 2):
        thing, value = words[:k], words[k:]
        if not value or len(value) > 3 or not re.fullmatch(r"[a-z][\w-]*|[A-Z0-9]", words[0], FLAGS):
            continue  # a thing's name, or a glyph ("7 red")
        cls = class_of(value[-1])
        if any(class_of(w) for w in thing) or cls not in ("colour", "material"):
            continue
        if not all(class_of(w) == cls or w.lower() in SHADES or w.lower() == "and" for w in value):
            continue
        if re.search(rf"\b{re.escape(' '.join(thing))}", previous, FLAGS):
            return {"t": " ".join(thing), "v": " ".join(value), "cls": cls}
    return None
