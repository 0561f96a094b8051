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
from graphs.reading.forms import plural, singular
from graphs.reading.scene import SCENE_CLASSES, class_of
from graphs.reading.tagger import HOW

# Words that say how to change, not what: the tagger's instruction and courtesy words, and more of the same kind.
_SAYING = HOW | frozenset(
    """about add adjust all am been both bring changed color colored colors colour coloured colours did does done
    draw dye feel fix flip go gonna guess has having here how include it's kept look looks love made maybe mean
    meant mood move other our paint perhaps photo place plz possibly recolor recolour render repaint rotate run
    shall shoot show something still stuff switch that's there they're thing think time tint tweak u us version
    vibe vibes wanna way what when where which who whole why""".split()
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
    said = set(lowered)
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
        words: list[str] = []
        last = -2
        for i, t in enumerate(tokens):
            if t not in classed or class_of(t) != cls:
                continue
            if i == last + 1 and cls == "colour" and f"{tokens[i - 1]} {t}".lower() in text.lower():
                # "mint green", "slate grey": one colour of two words ("black/gold" is two)
                words[-1] += f" {t.lower()}"
            else:
                words.append(" ".join(w for w in (modifiers.get(i - 1, ""), t.lower()) if w))
            last = i
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
        if said & _REMOVING and not edits:
            return [Edit(op="remove", slot="thing", target=target)]
        if said & _REPLACING or (said & _CHANGING and said & {"to", "in", "into"}):
            return [Edit(op="replace", slot="subject", value=value, target=target), *edits]
        return None  # a new thing beside an old one, with no word saying how: not guessed
    if things and not anchors and said & _POINTING and said & _ADDING:
        return [*edits, Edit(op="add", slot="thing", value=" ".join(things))]  # "make it at night with moon"
    if things and not anchors and said & _POINTING and edits:
        return edits  # "could they run horizontally": the rest says how ("run", "straighten")
    if things and not anchors:
        return None  # new things and nothing of the last picture: a new request
    if not edits and anchors and said & _REMOVING:
        return [Edit(op="remove", slot="thing", target=target)]  # "take off the lake please"
    return edits or None
