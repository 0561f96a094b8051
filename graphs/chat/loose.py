"""A change read by its words when no phrasing rule knows its shape: the last resort before "a new request".

Writers the rules were not built on phrase changes in ways no list of patterns foresees ("change color of circle in
blue", "the dragon make it red", "black/gold", "is possible to make in evening time?"). What such messages share is
their words: a thing the last picture has (the anchor) and a value of a known class (a colour, a size, a time of
day, weather, a season), or a new thing beside an anchor and a word that replaces or removes. Those are read into the
same slot edits as every other reading, so `apply_edits` renders them. A message with neither an anchor nor a
classed value (a whole new scene) gets no reading here and stays a new request.
"""

from __future__ import annotations

import re

from graphs.llm.schemas import Edit
from graphs.reading.edits import plural, singular
from graphs.reading.scene import SCENE_CLASSES, class_of

# Words that say how to change, not what: instruction verbs, courtesy, pronouns, function words.
_SAYING = frozenset(
    """a an the it its this that them they these those is are be been was were am to of in into on onto at for with
    by from as and or but so if then than too also now just only very really quite bit little more less much please
    pls plz thanks thank you u i me my we us our can could would should will shall may might must do does did done
    make made change changed turn set put use want need like love prefer rather possible possibly think guess maybe
    perhaps try see get give let have has having color colour colors colours coloured colored paint recolour recolor
    same version one ones instead again still keep kept leave image picture scene photo thing stuff way look looks
    mean meant ok okay yes no not hmm oh well actually hey lol wanna gonna something time there here all both whole
    what how about which who why when where rotate flip move shoot render draw show place dye tint bring adjust
    tweak switch fix go add include other vibes vibe feel mood repaint they're it's that's run""".split()
)
_REMOVING = frozenset("remove removed delete erase off rid without drop lose hide away out no clear".split())
_REPLACING = frozenset("instead replace replaced swap switch exchange not rather".split())
_CHANGING = frozenset("change changed turn make transform convert".split())  # with "to", "in", "into": a replace
_ADDING = frozenset("with add plus also include put".split())
_POINTING = frozenset("it them this that they".split())  # the picture itself, when no thing of it is named
_COUNT = re.compile(r"^(?:\d+|two|three|four|five|six|seven|eight|nine|ten)$", re.I)
_TOKEN = re.compile(r"[A-Za-z0-9][\w'-]*")


def _forms(word: str) -> set[str]:
    w = word.lower()
    return {w, plural(w), singular(w)}


def _in_previous(word: str, previous: str) -> bool:
    return any(re.search(rf"(?<![\w-]){re.escape(f)}(?![\w-])", previous, re.I) for f in _forms(word))


def loose_edits(text: str, previous: str | None) -> list[Edit] | None:
    """Slot edits read from the words of `text` against the last prompt, or None when the words name no change."""
    if not previous:
        return None
    clauses = [c for c in re.split(r"\s*[,;]\s*|\s+and\s+", text) if _TOKEN.search(c)]
    if len(clauses) > 1:  # "ring green pls, background black": each clause its own thing and value
        each = [loose_edits(c, previous) for c in clauses]
        if all(each):
            return [e for edits in each for e in edits]
    # an adverb of a class is its adjective: "could they run horizontally" -> horizontal
    tokens = [t[:-2] if t.lower().endswith("ly") and class_of(t[:-2]) else t for t in _TOKEN.findall(text)]
    if not tokens or len(tokens) > 16:
        return None
    lowered = [t.lower() for t in tokens]
    anchors = [t for t in tokens if t.lower() not in _SAYING and not class_of(t) and _in_previous(t, previous)]
    fresh = [t for t in tokens if t.lower() not in _SAYING and not _in_previous(t, previous)]
    edits: list[Edit] = []
    target = anchors[-1] if anchors else ""
    classed = [t for t in fresh if class_of(t)]
    modifiers = {  # "fresh snow", "cobalt blue": a new word right before a classed one qualifies it
        i - 1: tokens[i - 1]
        for i, t in enumerate(tokens)
        if i and t in classed and tokens[i - 1] in fresh and not class_of(tokens[i - 1])
    }
    for cls in dict.fromkeys(class_of(t) for t in classed):
        words = [
            " ".join(w for w in (modifiers.get(i - 1, ""), t.lower()) if w)
            for i, t in enumerate(tokens)
            if t in classed and class_of(t) == cls
        ]
        value = " and ".join(words) if cls == "colour" else words[-1]
        if cls in SCENE_CLASSES:
            edits.append(Edit(op="set", slot=cls, value=value))
        else:
            edits.append(Edit(op="set", slot=cls, value=value, target=target))
    things = [t for i, t in enumerate(tokens) if t in fresh and not class_of(t) and i not in modifiers]
    if len(things) == 1 and not anchors and edits and len(tokens) <= 3 and edits[0].slot not in SCENE_CLASSES:
        return [e.model_copy(update={"target": things[0]}) for e in edits]  # "armor red": red armor, added
    counted = next((i for i, t in enumerate(lowered) if _COUNT.match(t) and i + 1 < len(tokens)), None)
    if counted is not None and not things[1:]:
        noun = tokens[counted + 1]
        if noun.lower() not in _SAYING and not class_of(noun):  # "2 cats", "make it five duckies"
            return [Edit(op="replace", slot="subject", value=f"{tokens[counted]} {noun}")] + edits
    if things and anchors:
        value = " ".join(things)
        if set(lowered) & _REMOVING and not edits:
            return [Edit(op="remove", slot="thing", target=target)]
        if set(lowered) & _REPLACING or (set(lowered) & _CHANGING and set(lowered) & {"to", "in", "into"}):
            return [Edit(op="replace", slot="subject", value=value, target=target), *edits]
        return None  # a new thing beside an old one, with no word saying how: not guessed
    if things and not anchors and set(lowered) & _POINTING and set(lowered) & _ADDING:
        return [*edits, Edit(op="add", slot="thing", value=" ".join(things))]  # "make it at night with moon"
    if things and not anchors and set(lowered) & _POINTING and edits:
        return edits  # "could they run horizontally": the rest says how ("run", "straighten")
    if things and not anchors:
        return None  # new things and nothing of the last picture: a new request
    if not edits and anchors and set(lowered) & _REMOVING:
        return [Edit(op="remove", slot="thing", target=target)]  # "take off the lake please"
    return edits or None
