"""A change said in a shape the rules read otherwise, said again in one they read: "honestly the star looks off,
make it a ring" -> "not keen on the star, make it a ring"; "raincoat, make it pink" -> "make the raincoat pink";
"make the lady's coat camel colored" -> "make the coat camel"; "no, not on orange, I wanted it on white" -> "on white";
"stripes diagonal instead dots" -> "... instead of dots"; "a dog where the cat was" -> "a dog instead of the cat"."""

from __future__ import annotations

import re

from graphs.chat.attrs import bare
from graphs.chat.order import contrast
from graphs.chat.shapes import FLAGS, FUNCTION, VERBS
from graphs.reading.scene import SUBJECT_CLASSES, class_of

_LOOKS_OFF = re.compile(
    r"^(?:(?:honestly|tbh|hmm+|ok(?:ay)?|sorry|but|well)[\s,]+)*(?:the\s+)?(?P<old>[a-z][\w-]*?)(?:\s+(?:looks|seems|is)|['’]s)\s+"
    r"(?:a\s+bit\s+|a\s+little\s+|kinda\s+|kind\s+of\s+|too\s+|so\s+|really\s+)?(?:off|weird|wrong|odd|bad|strange|ugly|funny|"
    r"dull|boring|bland|loud)"
    r"\s*[,.;!—-]+\s*(?:so\s+|just\s+)?(?P<rest>\S.*)$",
    FLAGS,
)


def _topic_first(t: str, previous: str | None) -> str:
    """ "raincoat, make it pink pls", "the shutters, green pls, and add a cat": the thing named first, then its
    change said with a pronoun or a bare value -> "make the raincoat pink pls", "the shutters green pls, ..."."""
    m = re.match(r"^(?P<t>(?:the\s+)?[a-z][\w-]*(?:\s+[a-z][\w-]*)?)\s*,\s*(?P<rest>\S.*)$", t, FLAGS)
    if not m or not previous:
        return t
    thing = bare(m["t"])
    if class_of(thing.split()[-1]) or set(thing.lower().split()) & (FUNCTION | VERBS):
        return t
    if not re.search(rf"\b{re.escape(thing)}", previous, FLAGS):
        return t
    rest = m["rest"]
    if re.match(r"^(?:make|paint|turn|colou?r|have)\s+(?:it|them)\b", rest, FLAGS):
        return re.sub(r"^(\w+)\s+(?:it|them)\b", rf"\1 the {thing}", rest, count=1, flags=FLAGS)
    first = re.match(r"[\w-]+", rest)
    if first and class_of(first.group(0)) in SUBJECT_CLASSES:
        return f"the {thing} {rest}"
    return t


def as_complaint(text: str, previous: str | None) -> str:
    """ "honestly the star looks off, make it a ring": the thing complained of, then its fix; a thing the picture
    does not name ("the streetcar looks a bit boring" of a tram) is left to the other readers."""
    m = _LOOKS_OFF.match(text)
    if not m or not previous or not re.search(rf"\b{re.escape(m['old'])}", previous, FLAGS):
        return text
    return f"not keen on the {m['old']}, {m['rest']}"


def reworded(t: str, previous: str | None) -> str:
    """`t` in the shape the change rules read."""
    t = re.sub(r"\bin\s+place\s+of\b", "instead of", t, flags=FLAGS)
    # "make the lady's coat camel colored": the coat, camel
    t = re.sub(r"\b(?:the|her|his)\s+[\w-]+['’]s\s+(?=[\w-]+\s+\S)", "the ", t, flags=FLAGS)
    t = re.sub(r"(?<=[a-z])[\s-]+colou?red\b", "", t, flags=FLAGS)
    t = _topic_first(t, previous)
    if previous and (m := re.match(r"^(?P<x>[a-z][\w-]*)\s+(?=(?:should|could|must)\s+be\s|needs\s)", t, FLAGS)):
        if re.search(rf"\b{re.escape(m['x'])}", previous, FLAGS) and m["x"].lower() not in FUNCTION | VERBS:
            t = f"the {t}"  # "cottage should be light blue": the cottage
    t = re.sub(r"^the\s+[\w-]+\s+needs\s+(?=\S)", "add ", t, flags=FLAGS)  # "the donut needs sprinkles"
    # "could I get a yellow one on black?": the drawn thing in yellow, not one more
    t = re.sub(r"^(?:could|can|may)\s+i\s+(?:get|have|see)\s+(?=an?\s+[\w-]+\s+ones?\b)", "", t, flags=FLAGS)
    t = re.sub(
        r"\bi\s+(?:want(?:ed)?|meant|said|asked\s+for)\s+(?:it|them)\s+(?=(?:on|in|at|against)\s)", "", t, flags=FLAGS
    )
    t = re.sub(
        r"\b(make|paint|turn|colou?r)\s+them\s+(?:both|all)\b", r"\1 both", t, flags=FLAGS
    )  # "make them both purple"
    # "no I meant the triangle orange and the background yellow": what was meant, said as the change it is
    t = re.sub(r"^(?:no+[,.!]*\s+)?i\s+meant\s+(?=the\s+[\w-]+\s+[\w-]+)", "", t, flags=FLAGS)
    # "no, not on orange, on white": the new ground, the old one said only to undo it
    t = re.sub(r"^(?:no+[,.!]*\s+)?not\s+(?P<p>on|in|at)\s+[^,]+,\s*(?=(?P=p)\s)", "", t, flags=FLAGS)
    if previous and (
        m := re.search(r"\binstead\s+(?!of\b)(?:the\s+)?(?P<old>[\w-]+(?:\s+[\w-]+)?)[\s.!?]*$", t, FLAGS)
    ):
        if re.search(rf"\b{re.escape(m['old'])}", previous, FLAGS):  # "stripes diagonal instead dots"
            t = t[: m.start()] + "instead of " + t[m.start() + len("instead ") :].lstrip()
    t = contrast(t, previous)  # "sunset, not day" -> "sunset instead of day"
    t = re.sub(r"^(?:put|place|have|add)\s+(?=\S.*\s+where\s+the\s)", "", t, flags=FLAGS)  # "put the sea where ..."
    t = re.sub(
        r"^(?P<v>.+?)\s+where\s+the\s+(?P<old>[\w\s-]+?)\s+(?:was|is|are|were|used\s+to\s+be)$",
        r"\g<v> instead of the \g<old>",
        t,
        flags=FLAGS,
    )
    if previous and (m := _GLYPH_TO.fullmatch(t)) and re.search(rf"(?<![\w-]){m['x']}(?![\w-])", previous):
        t = f"replace {m['x']} with {m['y']}"  # "Z to R", "is possible the 5 to be 8?": that glyph for the other
    if previous and (m := _MOVED_FROM.match(t)) and re.search(rf"\b{re.escape(m['old'])}\b", previous, FLAGS):
        t = t[: m.start("from")]  # "move him to a beach from office": the old place is the one left
    return re.sub(r"^(?:swap|switch)\s+(?:it\s+|over\s+)*to\s+(?=\S)", "make it ", t, flags=FLAGS)  # "swap to X"


_GLYPH_TO = re.compile(
    r"(?:(?:is\s+(?:it\s+)?)?possible\s+(?:for\s+)?|could\s+|can\s+)?(?:the\s+)?(?P<x>[A-Z0-9])\s+"
    r"(?:to|into|for|(?:to\s+)?be(?:come)?)\s+(?:an?\s+)?(?P<y>[A-Z0-9])\s*[?.!]*"
)
_MOVED_FROM = re.compile(
    r"^(?:move|put|take|send|bring)\s+(?:it|him|her|them|the\s+[\w-]+)\s+(?:to|into|onto|on|in)\s+\S.*?"
    r"(?P<from>\s+(?:away\s+)?from\s+(?:the\s+|an?\s+|his\s+|her\s+|its\s+)?(?P<old>[\w-]+))[\s.!]*$",
    FLAGS,
)
