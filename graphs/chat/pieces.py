"""A message of several changes ("make the star red and the background white", "spring, cherry blossoms", "keep the
umbrella red, the sky stormy"): cut at "and", commas and "with", and each run of pieces read by the one-change reader
of graphs.chat.changes as the shortest span that makes one change. A bare thing beside a change is one more thing,
a bare word after a change of one thing says more about it, and what is kept as it is changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from graphs.chat.order import learner_order
from graphs.chat.settled import SCENE_MODS, joined_slots, kept_things
from graphs.chat.shapes import (
    DRAWN_SHAPES,
    FILLER,
    FLAGS,
    FUNCTION,
    KEEP_AS_IS,
    SAME_AS_BEFORE,
    SPLIT_EDITS,
    TRAIL,
    place_word,
)
from graphs.chat.shapes import VERBS as _VERBS
from graphs.chat.shorthand import glyph, glyph_subject
from graphs.llm.schemas import Edit
from graphs.reading.edits import no_thing
from graphs.reading.forms import singular
from graphs.reading.scene import SCENE_CLASSES, class_of, describe, phrase

# The one-change reader of graphs.chat.changes, passed in: that module calls this one, so this one cannot import it.
Reader = Callable[[str, str | None], list[Edit] | None]


def _keeps_as_is(piece: str, previous: str | None) -> bool:
    """ "keep the umbrella red", "leave the triangle as is": what the picture already has; "keep it green" of a red
    star is a change."""
    if SAME_AS_BEFORE.match(piece.strip()):
        return True
    if (same := re.fullmatch(r"(?:the\s+)?same\s+(?P<w>[\w\s-]+?)[\s.!]*", piece.strip(), FLAGS)) and previous:
        # "Cappadocia -> Swiss alps, same balloons": the balloons as they are
        return all(re.search(rf"\b{re.escape(singular(w))}", previous, FLAGS) for w in same["w"].split())
    m = KEEP_AS_IS.match(FILLER.sub("", piece.strip()))
    if not m or not previous:
        return False
    named = [w for w in re.findall(r"[\w-]+", m.group(0).lower()) if class_of(w)]
    return all(re.search(rf"\b{re.escape(w)}\b", previous, FLAGS) for w in named)


# a thing said bare: an article at most, then up to six words, none of them talk, asking or a verb ("could you take
# it out", "change to black", "the purple more like blue", "the hat looks odd" are no things)
_THING_PHRASE = re.compile(r"^(?:an?\s+|some\s+|the\s+)?[a-z][\w-]*(?:\s+[\w'-]+){0,5}[\s.!]*$", FLAGS)
_NOT_OF_A_THING = frozenset(
    "it this that them they he she i i'd you we what which how why change make turn put add remove take swap replace "
    "move use try give show let get set paint keep go could would should can might will may rather more less like "
    "than sorry if please pls thanks not no were was is are be look looks feel feels stay stays goes".split()
)


def _about_a_thing(text: str, previous: str | None) -> bool:
    m = re.match(
        r"^(?:the|her|his|its|their)\s+(?P<t>[\w-]+)\s+(?:should|could|would|must|needs?\s+to|has\s+to|is|are|can)\s+\w",
        text,
        FLAGS,
    )
    return bool(m and previous and re.search(rf"\b{re.escape(m['t'])}", previous, FLAGS))


def _scene_words(text: str) -> bool:
    words = re.findall(r"[\w'-]+", text.lower())
    return len(words) > 1 and all(class_of(w) in SCENE_CLASSES or w in SCENE_MODS for w in words)


def _thing_phrase(text: str) -> bool:
    words = re.findall(r"[\w'-]+", text.lower())
    if any(class_of(w) in SCENE_CLASSES for w in words[-1:]):
        return False  # "make it winter, fresh snow": a weather, read with the rest as one
    return bool(_THING_PHRASE.match(text)) and not any(w in _NOT_OF_A_THING for w in words)


_OWN_VERB = re.compile(
    r"^(?:make|change|turn|put|add|remove|set|paint|colou?r|swap|replace|use|give|move|drop|lose)\b", FLAGS
)


_BARE_WORDS = re.compile(r"^[a-z][\w-]*(?:\s+[a-z][\w-]*)?$", FLAGS)


def _carried(piece: str, verb: str, edits: list[Edit], previous: str | None, one_change: Reader) -> list[Edit] | None:
    """ "make the robot rusty and old", "make the triangle red and bigger": a bare word after a change of one thing
    says more about that thing, not a new subject "old"."""
    bare = FILLER.sub("", piece.strip())
    if re.match(r"^(?:no|not|nope|nah|without)\b", piece.strip(), FLAGS):
        return None  # "..., no storm": that goes, not a stormy thing
    last = edits[-1] if edits else None
    if not (verb and last and last.op == "set" and last.target and _BARE_WORDS.match(bare)):
        return None
    if set(bare.lower().split()) & (FUNCTION | _VERBS) or _OWN_VERB.match(bare):
        return None
    words = bare.lower().split()
    if len(words) == 2 and class_of(words[0]) and not class_of(words[1]) and not words[1].endswith(("er", "ed")):
        return None  # "tractor green and blue sky": a blue sky, a thing of its own, not a blue tractor
    got = one_change(f"{verb} the {last.target} {bare}", previous)
    if got and len(got) == 1 and got[0].op == "set" and got[0].target == last.target:
        return got
    return None


def _beside(got: list[Edit], piece: str, previous: str | None) -> list[Edit]:
    """ "spring, cherry blossoms", "graveyard at midnight": a bare thing said beside another change is one more thing
    drawn (or where it is), not a new subject; a shape for a shape ("ring pls, ditch the star") still replaces."""
    if not (previous and len(got) == 1 and got[0].op == "replace" and got[0].slot == "subject" and not got[0].target):
        return got
    said = TRAIL.sub("", FILLER.sub("", piece.strip())).strip()
    if not re.fullmatch(r"(?:(?:an?|some|the)\s+)?[a-z][\w-]*(?:\s+[a-z][\w-]*){0,2}", said, FLAGS):
        return got
    if set(said.lower().split()) & (FUNCTION | _VERBS) - {"a", "an", "the", "some"}:
        return got
    if glyph(said) and glyph_subject(previous):
        return got  # "the letter B and a purple background": that glyph for the old one
    new = phrase(said).noun.lower().split()
    parts = describe(previous).parts
    old = phrase(parts[0].text).noun.lower().split() if parts else []
    if not new or not old or {new[-1], old[-1]} <= DRAWN_SHAPES | {f"{w}s" for w in DRAWN_SHAPES}:
        return got
    if no_thing(said) is not None:
        return got  # "overgrown", "wide angle": how the picture is, which the merge reads so
    if re.search(r"\binstead\b", piece, FLAGS) or new[-1] in ("sun", "moon"):
        return got  # "calm day instead", "... and the sun": in the old one's place
    if re.search(rf"\b{re.escape(singular(new[-1]))}(?:e?s)?\b", previous, FLAGS):
        return got  # "two cows please", "just two cubs", "pea soup": a thing the picture has, said anew
    if place_word(new[-1]):
        return [Edit(op="set", slot="place", value=said.lower())]
    return [Edit(op="add", slot="thing", value=said)]


def _said_the_thing(got: list[Edit], piece: str) -> bool:
    return (
        len(got) == 1
        and got[0].op == "replace"
        and got[0].slot == "subject"
        and not got[0].target
        and bool(re.match(r"^the\s+\S+\s+\S", FILLER.sub("", piece.strip()), FLAGS))
    )


def read_pieces(t: str, previous: str | None, one_change: Reader) -> list[Edit] | None:
    """The edits of a message cut at "and", commas and "with" into pieces, each run of pieces read by `one_change` as
    the shortest span that makes one change; None when it has one piece only or a piece is no change."""
    t = re.sub(r"[\s,]+(?:too|as\s+well|also)[\s.!?]*$", "", t, flags=FLAGS)  # "..., and add an octopus, too"
    bounds = [0] + [x for m in SPLIT_EDITS.finditer(t) for x in (m.start(), m.end())] + [len(t)]
    spans = [(bounds[k], bounds[k + 1]) for k in range(0, len(bounds), 2)]
    if len(spans) > 1:
        edits: list[Edit] = []
        verb, i, kept = "", 0, False
        while i < len(spans):
            got = None
            for j in range(i, len(spans)):
                piece = t[spans[i][0] : spans[j][1]]
                if _keeps_as_is(piece, previous):  # "keep the umbrella red": nothing to change
                    got, kept = [], True
                    break
                got = _carried(piece, verb, edits, previous, one_change) if j == i else None
                # "make it circle and background make purple": a piece in a learner's order, read as it asks
                got = got or one_change(learner_order(piece.strip()), previous)
                if verb and got and _said_the_thing(got, piece):
                    # "make the car blue and the street wet": the street, made wet, not a new subject
                    got = one_change(f"{verb} {FILLER.sub('', piece.strip())}", previous) or got
                if got is None and verb and not _OWN_VERB.match(FILLER.sub("", piece.strip())):
                    # "make the star red and the background white": the verb carries over to a piece without one
                    got = one_change(f"{verb} {piece}", previous)
                if got is not None:
                    break
            last = FILLER.sub("", t[spans[i][0] : spans[i][1]].strip())
            if got is None and edits and (_thing_phrase(last) or _scene_words(last)):
                # "same but in winter, snow on the pines": a bare thing beside a change is one more thing drawn;
                # "a red canoe, morning mist": the light and weather as said
                got, j = one_change(f"add {last}", previous), i
            if got is None and edits and _about_a_thing(last, previous):
                # "change it to autumn, and the kite should be shaped like a fish": the change read, and the words
                # about the kite, which no rule splits, added as said (graphs/chat/assaid.py)
                got, j = [Edit(op="add", slot="words", value=TRAIL.sub("", last).strip()[:80])], i
            if got is None:
                edits = []
                break
            lead = re.match(
                r"^(?:make|change|turn|put|add|remove|set|paint|colou?r)\b", FILLER.sub("", piece.strip()), FLAGS
            )
            verb = lead.group(0) if lead else verb
            edits += _beside(got, piece, previous) if (edits or j < len(spans) - 1) else got
            i = j + 1
        if edits and (len(edits) > 1 or kept):
            return joined_slots(kept_things(edits, previous))
    return None
