"""A reading's edits settled against the picture before they are applied: a thing said only to keep it ("make it two
dogs and the cat"), two words for one place or weather joined, a thing gone with its replacement not drawn again as
"without", a "subject" of only time and weather words made those, a replacement named "one" given its thing's name,
and one colour for every thing ("make both white")."""

from __future__ import annotations

import re

from graphs.chat.attrs import bare as _bare
from graphs.chat.shapes import FLAGS
from graphs.chat.shorthand import glyph
from graphs.llm.schemas import Edit
from graphs.reading.forms import with_article
from graphs.reading.scene import COLOUR_WORDS, SCENE_CLASSES, SUBJECT_CLASSES, class_of, describe, phrase


def kept_things(edits: list[Edit], previous: str | None) -> list[Edit]:
    """ "make it two dogs and the cat": "the cat" names what the picture has, to keep, not a second new subject."""
    return [
        e
        for k, e in enumerate(edits)
        if not (
            k
            and previous
            and e.op == "replace"
            and e.slot == "subject"
            and not e.target
            and (m := re.fullmatch(r"the\s+([a-z][\w-]*)", e.value, FLAGS))
            and re.search(rf"\b{re.escape(m[1])}\b", previous, FLAGS)
        )
    ]


def joined_slots(edits: list[Edit]) -> list[Edit]:
    """ "indoors, by a window": two words for one place; "windy and cloudy": two for one weather."""
    out: list[Edit] = []
    for e in edits:
        if out and e.op == out[-1].op == "set" and e.slot == out[-1].slot == "place":
            out[-1] = out[-1].model_copy(update={"value": f"{out[-1].value} {e.value}"})
        elif out and e.op == out[-1].op == "set" and e.slot == out[-1].slot == "weather" and not e.target:
            # "windy and cloudy": one weather in two words, not the second in place of the first
            out[-1] = out[-1].model_copy(update={"value": f"{out[-1].value} and {e.value}"})
        else:
            out.append(e)
    return out


def dropped_what_goes(edits: list[Edit], previous: str | None) -> list[Edit]:
    """ "ring pls, ditch the star" of a star: the ring takes the star's place, and the star, gone with it, is not
    drawn again as "without star"."""
    if not previous or not any(e.op == "replace" and e.slot == "subject" and not e.target for e in edits):
        return edits
    parts = describe(previous).parts
    head = phrase(parts[0].text).noun.lower().split() if parts else []
    return [
        e
        for e in edits
        if not (e.op == "remove" and head and _bare(e.target or e.value).lower() in (head[-1], f"{head[-1]}s"))
    ]


_EVERY = re.compile(r"\b(?:both|all\s+of\s+them|them\s+all|each\s+of\s+them|all\s+the\s+\w+|every\s+\w+)\b", FLAGS)


def every_thing(edits: list[Edit], text: str) -> list[Edit]:
    """ "make both white": one colour for every thing, not the first one's; "hamster is brown and white": one thing
    in two colours, not the second over the first (whichever reader read the colours)."""
    if (
        len(edits) == 2
        and all(e.op == "set" and e.slot == "colour" for e in edits)
        and not edits[1].target
        and re.search(rf"\b{re.escape(edits[0].value)}\s+and\s+{re.escape(edits[1].value)}\b", text, FLAGS)
    ):
        return [edits[0].model_copy(update={"value": f"{edits[0].value} and {edits[1].value}"})]
    if len(edits) == 1 and edits[0].slot == "colour" and edits[0].op == "set" and not edits[0].target:
        if _EVERY.search(text):
            return [edits[0].model_copy(update={"target": "both"})]
    return edits


# Words that describe a time or a weather beside the word of its class ("a calm sunny day", "early morning").
SCENE_MODS = frozenset(
    "calm clear bright cold warm early late dark gloomy heavy light soft gentle crisp moonlit starlit starry sunlit".split()
)
_SCENE_FILLER = frozenset("a an the during in at on it time instead now everywhere all over and with".split())


def scene_only(edit: Edit, previous: str | None) -> list[Edit]:
    if edit.op != "replace" or edit.slot != "subject" or edit.target or not previous:
        return [edit]
    words = [w for w in re.findall(r"[\w-]+", edit.value.lower()) if w not in _SCENE_FILLER]
    scene = [w for w in words if class_of(w) in SCENE_CLASSES]
    if not scene or any(w not in scene and w not in SCENE_MODS for w in words):
        return [edit]
    times = [w for w in scene if class_of(w) == "time"]
    if len(times) == 1 and words[-1] == times[0]:  # "a snowy morning", "a calm sunny day": one phrase, kept whole
        gone = [w for w in re.findall(r"[\w-]+", previous.lower()) if class_of(w) in ("time", "weather")]
        return [
            *(Edit(op="remove", slot="thing", target=w) for w in gone if w not in words),
            Edit(op="set", slot="time", value=" ".join(words)),
        ]
    return [Edit(op="set", slot=class_of(w), value=w) for w in words if w in scene]


def named_one(edit: Edit) -> Edit:
    if edit.op != "replace" or not edit.target or not re.search(r"\bones?$", edit.value, FLAGS):
        return edit
    head = re.findall(r"[\w-]+", edit.target)[-1]
    return edit.model_copy(update={"value": re.sub(r"\bones?$", head, edit.value, flags=FLAGS)[:80]})


def added_one(edit: Edit, previous: str | None) -> Edit:
    """ "and a red one beside it" of a blue ring: a red ring, the picture's thing named for "one"."""
    m = re.match(r"^(?P<det>an?|another|one\s+more)\s+(?P<how>[\w-]+(?:\s+[\w-]+)?)\s+one\b", edit.value, FLAGS)
    if edit.op != "add" or not m or not previous:
        return edit
    parts = describe(previous).parts
    head = phrase(parts[0].text).noun.split() if parts else []
    if not head or not class_of(m["how"].split()[-1]):
        return edit
    value = f"{m['det']} {m['how']} {head[-1]}{edit.value[m.end() :]}"
    return edit.model_copy(update={"value": value[:80]})


def in_its_colour(edits: list[Edit]) -> list[Edit]:
    """ "make it a 6 in white": the new thing's colour, not a place called white."""
    out: list[Edit] = []
    for e in edits:
        last = out[-1] if out else None
        said = re.fullmatch(rf"in\s+(?:{COLOUR_WORDS})(?:\s+and\s+(?:{COLOUR_WORDS}))?", e.value.strip(), FLAGS)
        if last and last.op == "replace" and last.slot == "subject" and e.op == "set" and e.slot == "place" and said:
            out[-1] = last.model_copy(update={"value": f"{last.value} {e.value.strip()}"})
        else:
            out.append(e)
    return out


def it_is_the_last(edits: list[Edit]) -> list[Edit]:
    """ "the square should be a star, and make it yellow": a quality said of no thing, after a change of one thing,
    is of that thing (the star), not of the main subject."""
    out = list(edits)
    for k in range(1, len(out)):
        e, last = out[k], out[k - 1]
        if e.op != "set" or e.slot not in SUBJECT_CLASSES or e.target or not last.target:
            continue
        if last.op == "replace" and last.slot == "subject" and (noun := phrase(with_article(last.value)).noun):
            out[k] = e.model_copy(update={"target": noun})
        elif last.op == "set" and last.slot in SUBJECT_CLASSES:
            out[k] = e.model_copy(update={"target": last.target})
    return out


def as_meant(edit: Edit, text: str) -> Edit:
    """One edit as the message meant it: "M now" is the glyph M; "the rest black" is the background; "could the 3 be
    7?" is a glyph said to be another; "make the coat camel colored" sets the coat's colour, in the old colour's
    place, not a quality beside it."""
    if (
        edit.op == "replace"
        and edit.slot == "subject"
        and (m := re.fullmatch(r"(?P<g>[A-Z0-9])\s+(?:now|then)", edit.value))
    ):
        return edit.model_copy(update={"value": m["g"]})  # "M now, same colours": the glyph M
    if edit.op == "set" and edit.slot == "colour" and _bare(edit.target).lower() in ("rest", "everything else"):
        return Edit(op="set", slot="background", value=edit.value)  # "make it yellow and the rest black"
    if edit.op == "set" and edit.slot == "quality" and all(glyph(w) for w in (edit.target, edit.value)):
        return Edit(op="replace", slot="subject", target=edit.target, value=edit.value)
    said = rf"(?<![\w-]){re.escape(edit.value.strip())}[\s-]+colou?red\b"
    if edit.op == "set" and edit.slot == "quality" and edit.value.strip() and re.search(said, text, FLAGS):
        return edit.model_copy(update={"slot": "colour"})
    return edit
