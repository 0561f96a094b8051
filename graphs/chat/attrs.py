"""The words a change says of one thing, as slot edits: "make the fox white" -> colour white; "red and bigger" -> a
colour and a size; "rusty and old" -> a colour and a word of no kind, which says how the thing is."""

from __future__ import annotations

import re

from graphs.chat.shapes import FLAGS, IT
from graphs.chat.shapes import PATTERNED as _PATTERNED
from graphs.llm.schemas import Edit
from graphs.reading.scene import KEPT_ADJECTIVES, SCENE_CLASSES, class_of


def bare(text: str) -> str:
    return re.sub(r"^(?:the|a|an|her|his|its|their)\s+", "", text.strip(), flags=re.I)


# "a pale apricot colour", "copper-coloured": the user says the words are a colour, whether or not we know them
_NAMED_COLOUR = re.compile(
    r"(?:an?\s+)?(?P<c>(?!(?:in|on|of|with|at|for|the|those|these|its|their|and)\b)[a-z][a-z-]*"
    r"(?:\s+(?!(?:in|on|of|with|at|for|the|those|these|its|their)\b)[a-z][a-z-]*){0,2})[\s-]+"
    r"(?:colou?r(?:ed|s)?|shade|tone|hue)",
    re.I,
)
_NO_COLOUR = frozenset(
    "different other new same another nicer lighter darker brighter warmer cooler softer bolder single solid one "
    "matching similar better right wrong main base background skin eye hair".split()
)


def attr_edit(target: str, value: str) -> Edit | None:
    """One edit for `value` said of `target` when its words are of one kind ("cobalt blue", "red and white"), else
    None."""
    if (m := _NAMED_COLOUR.fullmatch(value.strip())) and len(said := m["c"].lower().split()) <= 3:
        if said[-1] not in _NO_COLOUR and class_of(said[-1]) not in SCENE_CLASSES:
            target = "" if re.fullmatch(IT, target or "", flags=re.I) else bare(target or "")
            return Edit(op="set", slot="colour", value=" ".join(said), target=target)
    words = [
        w
        for w in re.split(r"[\s,-]+", value.lower())
        if w not in ("and", "a", "bit", "little", "lot", "much", "more", "")
    ]
    if len(words) > 1 and re.fullmatch(_PATTERNED, words[-1]):
        words = words[:-1]  # "red and white checked": colours, with the pattern they make
    classes = {class_of(w) for w in words}
    if words and class_of(words[-1]) and len(words) <= 3 and not re.match(r"^(?:an?|the|some)\s", value, FLAGS):
        classes = {class_of(words[-1])}  # "cobalt blue", "matte black": the class of the word they qualify
    if len(classes) != 1 or None in classes:
        return None
    cls = classes.pop()
    target = "" if re.fullmatch(IT, target or "", flags=re.I) else bare(target or "")
    if (pattern := re.search(rf"\s+(?P<p>{_PATTERNED})$", target, flags=re.I)) and not re.match(
        r"^(?:an?|the)\s", value, re.I
    ):
        # "make the scarf striped red and white": striped is how the scarf is, with its colours
        target, value = target[: pattern.start()], f"{pattern['p']} {value}"
    if re.fullmatch(r"colou?rs?", target, flags=re.I):  # "change the colours to red and black": the picture's
        target = ""
    if " and " in f" {target} ":
        return None
    value = re.sub(r"^(?:a\s+(?:bit|little|lot)\s+|much\s+|more\s+)", "", value.strip(), flags=re.I)
    return Edit(op="set", slot=cls, value=value.lower(), target=target)


def attr_edits(target: str, value: str) -> list[Edit] | None:
    """ "red and bigger", "rusty and old": values of different kinds joined by "and" are one edit each (a word
    of no kind says how the thing is); "red and white" stays one colour."""
    parts = [p for p in re.split(r"\s+and\s+|\s*,\s*", value.strip(), flags=FLAGS) if p]
    kinds = [class_of(p.split()[-1]) for p in parts]
    if (
        len(parts) < 2
        or len(set(kinds)) < 2
        or not any(kinds)
        or any(len(p.split()) > 2 for p in parts)
        or set(kinds) & set(SCENE_CLASSES)  # "night and moon": a time, then a thing
    ):
        return [edit] if (edit := attr_edit(target, value)) else None
    target = "" if re.fullmatch(IT, target or "", flags=re.I) else bare(target or "")
    edits = [attr_edit(target, p) or Edit(op="set", slot="quality", value=p.lower(), target=target) for p in parts]
    return _said_order(edits)


def _said_order(edits: list) -> list:
    """How a thing is goes in first: it leads the thing's words, so a colour set after it lands between it and the
    thing, in the order the user said them ("rusty and old" -> "rusty old robot")."""
    return sorted(edits, key=lambda e: e is not None and e.slot != "quality")


def attr_words(target: str, value: str) -> list[Edit | None]:
    """ "big red": one edit per word when the words are of different kinds, else one for the whole."""
    words = value.split()
    if len({class_of(w) for w in words}) > 1:  # "rusty old": a colour, and how the thing is
        return _said_order([attr_edit(target, w) or _how(target, w) for w in words])
    return [attr_edit(target, value)]


def _how(target: str, word: str) -> Edit | None:
    return (
        Edit(op="set", slot="quality", value=word.lower(), target=target) if word.lower() in KEPT_ADJECTIVES else None
    )
