"""A thing's own words: find the part that names it, and set, replace or count its colour, size, material or kind.

`graphs.reading.edits` calls these for the edits aimed at a subject; the words around the change stay as said.
"""

from __future__ import annotations

import re
from functools import lru_cache

from graphs.llm.schemas import Edit
from graphs.reading.forms import article_for, plural, singular, with_article
from graphs.reading.scene import (
    CLASSES,
    COLOUR_WORDS,
    ING_NOUNS,
    NAMED_THINGS,
    SUBJECT_CLASSES,
    Part,
    Phrase,
    Scene,
    class_of,
    in_named_thing,
    named_words,
    phrase,
    words_of,
)
from graphs.reading.targets import bare_target


def target_rx(target: str) -> re.Pattern[str]:
    t = re.sub(r"^(?:the|a|an|her|his|its|their)\s+", "", target.strip(), flags=re.I)
    if re.fullmatch(r"[A-Za-z0-9]", t):  # a glyph: "A" is the letter, never the article
        return re.compile(rf"(?<![\w-]){re.escape(t.upper())}(?![\w-])")
    one = singular(t)
    said = (
        re.escape(t) if one == t else f"(?:{re.escape(t)}|{re.escape(one)})"
    )  # "the blueberries" of blueberry pancakes
    return re.compile(rf"(?<![\w-]){said}(?:e?s)?(?![\w-])", re.I)


def find_part(scene: Scene, target: str) -> int | None:
    """The part that names `target` (subjects first), or None."""
    if not target.strip():
        return None
    rx = target_rx(target)
    order = sorted(range(len(scene.parts)), key=lambda i: scene.parts[i].role not in ("subject", "extra"))
    found = next((i for i in order if rx.search(_QUOTED.sub(_blank, scene.parts[i].text))), None)
    # a word in quotes is lettering ("a logo 'Sunny Loaf' with a bread loaf": the loaf is the bread), unless the thing
    # is named nowhere else
    return found if found is not None else next((i for i in order if rx.search(scene.parts[i].text)), None)


_QUOTED = re.compile(r"(?<![\w])(['\"“‘])[^'\"“”‘’]{1,60}?(['\"”’])(?![\w])")


def _blank(m: re.Match[str]) -> str:
    return " " * len(m.group(0))


def subject_index(scene: Scene, target: str) -> int | None:
    found = find_part(scene, target)
    return found if found is not None else scene.first("subject")


def replace_class_word(text: str, cls: str, value: str) -> str | None:
    """`text` with its words of class `cls` (a run such as "red and white" counts as one) replaced by `value`."""
    vocab = CLASSES[cls]
    tokens = text.split(" ")
    named = named_words(text)
    idx = [i for i, w in enumerate(tokens) if w.lower().strip(",.") in vocab and i not in named]
    if not idx:
        return None
    first, last = idx[0], idx[0]
    for i in idx[1:]:  # a run of class words joined by "and" or commas
        if all(tokens[j].lower() in ("and", "&", "or") for j in range(last + 1, i)) and i - last <= 2:
            last = i
        else:
            break
    while cls == "colour" and first and tokens[first - 1].lower() in SHADES:  # "light blue" -> "dark red", whole
        first -= 1
    if first and tokens[first - 1].lower() in ("a", "an"):  # "an autumn forest" -> "a winter forest"
        tokens[first - 1] = (
            ("an" if value[:1].lower() in "aeiou" else "a").capitalize()
            if tokens[first - 1][0].isupper()
            else ("an" if value[:1].lower() in "aeiou" else "a")
        )
    return " ".join(tokens[:first] + [value] + tokens[last + 1 :])


LEAD = re.compile(r"^(?:with|and|on|in|at|under|over|near|by|beside|against|inside|behind)\s+", re.I)


def _in_own_phrase(part: Part, cls: str, value: str, target: str) -> Part | None:
    """ "a yellow sun and a white moon", "smaller" for the moon: the phrase of the named thing is set as a thing of
    its own ("a smaller white moon"), the other things as they were; None when no single phrase heads with it."""
    segs = re.split(r"(\s+and\s+|,\s+)", part.text)
    rx = target_rx(target)
    hits = [k for k in range(0, len(segs), 2) if rx.search(segs[k])]
    if len(segs) < 3 or len(hits) != 1:
        return None
    k = hits[0]
    head = phrase(LEAD.sub("", segs[k])).noun
    if not rx.fullmatch(head.split()[-1] if head.split() else ""):
        return None
    segs[k] = set_attribute(Part(role=part.role, text=segs[k]), cls, value).text
    return part.model_copy(update={"text": "".join(segs)})


_FINISH = ("colour", "material")


def _finish_past_other(part: Part, cls: str, value: str, target: str) -> Part | None:
    """ "a brown leather jacket" made olive green, "a lace emerald dress" made velvet: the word of the class before the
    other finish goes ("an olive green leather jacket", "a velvet emerald dress"), not a second one beside the thing."""
    at = re.search(rf"(?<![\w-]){re.escape(target)}(?![\w-])", part.text, re.I)
    if not at:
        return None
    prefix = part.text[: at.start()]
    other = set(_FINISH) - {cls}
    for k in (1, 2):
        m = re.search(rf"(?<![\w-])(?P<w>[\w-]+)\s+(?P<mid>(?:[\w-]+\s+){{{k}}})$", prefix)
        if not m or not all(class_of(w) in other for w in m["mid"].split()):
            continue
        if class_of(m["w"]) != cls or in_named_thing(part.text, m.start("w")):
            return None
        before = part.text[: shade_start(part.text, m.start("w"), cls)]
        # the colour leads the stuff: "an emerald velvet dress", whichever of them changed
        said = value + " " + m["mid"] if cls == "colour" else m["mid"] + value + " "
        before = article_for(before, said)
        return part.model_copy(update={"text": before + said + part.text[at.start() :]})
    return None


# Colour words that are stuffs too: "make the teapot copper" of one of porcelain is a copper teapot.
_METALS = frozenset("copper gold golden silver bronze terracotta".split())


def finish_after(part: Part, cls: str, value: str, target: str) -> Part | None:
    """ "a teapot of porcelain" made copper, "a dress in red silk" made blue: the word of the class said after the
    thing ("of", "in", "made of") is the one replaced ("a teapot of copper", "a dress in blue silk"), not a second one
    put before it; "a woman in a red dress" says the dress's colour, not the woman's."""
    m = re.search(
        rf"(?<![\w-]){re.escape(target)}(?:e?s)?\s+(?P<how>(?:made\s+)?(?:of|in|from))\s+"
        r"(?P<rest>[\w-]+(?:\s+[\w-]+){0,2})",
        part.text,
        re.I,
    )
    was = re.search(r"(?<![\w-])([\w-]+)\s+$", part.text[: m.start()]) if m else None
    if not m or (was and class_of(was.group(1)) == cls):
        return None  # "a red dress in silk": the colour before it is the one
    classes = {cls, "material"} if value.lower() in _METALS else {cls}  # "copper" of porcelain: a stuff for a stuff
    if m["how"].lower() != "in":
        classes &= {"material"}  # "a cup of green tea": what it holds, whose colour is not the cup's
    for w in re.finditer(r"[\w-]+", m["rest"]):
        if w.group(0).lower() in ("a", "an", "the", "some", "his", "her", "their"):
            return None
        if class_of(w.group(0)) in classes:
            start, end = m.start("rest") + w.start(), m.start("rest") + w.end()
            start = shade_start(part.text, start, cls)
            return part.model_copy(update={"text": part.text[:start] + value + part.text[end:]})
    return None


def set_attribute(part: Part, cls: str, value: str, target: str = "") -> Part:
    if target and cls in CLASSES and (own := _in_own_phrase(part, cls, value, target)) is not None:
        return own
    if target and cls in _FINISH and (past := _finish_past_other(part, cls, value, target)) is not None:
        return past
    if target and cls in _FINISH and (after := finish_after(part, cls, value, target)) is not None:
        return after
    if target:  # the word of the class right before the named thing: "a red car in front of a blue house"
        m = re.search(rf"(?<![\w-])(?P<w>[\w-]+)\s+(?={re.escape(target)})", part.text, re.I)
        if m and class_of(m["w"]) == cls and not in_named_thing(part.text, m.start("w")):
            before = part.text[: shade_start(part.text, m.start("w"), cls)]
            before = article_for(before, value)  # "a black cat" -> "an orange cat"
            return part.model_copy(update={"text": before + value + part.text[m.end("w") :]})
        m = re.search(rf"(?<![\w-])(?P<w>[\w-]+)\s+(?P<how>[\w-]+)\s+(?={re.escape(target)})", part.text, re.I)
        if m and class_of(m["w"]) == cls == "colour" and _describing(m["how"]):
            # "a red checkered tablecloth", "a black hooded cloak": the colour said before how the thing is made
            before = article_for(part.text[: shade_start(part.text, m.start("w"), cls)], value)
            return part.model_copy(update={"text": before + value + part.text[m.end("w") :]})
        at = re.search(  # "letter M black": a glyph between the thing and its colour
            rf"(?<![\w-]){re.escape(target)}(?:e?s)?(?![\w-])(?:\s+(?:[A-Z0-9]\s+)?(?P<after>[\w-]+))?", part.text, re.I
        )
        head = phrase(LEAD.sub("", part.text)).noun.lower().split()
        if at and target.lower() not in head and not class_of(target):  # "a knight fighting a dragon": the dragon
            if at["after"] and class_of(at["after"]) == cls:  # "a triangle blue" -> "a triangle green"
                return part.model_copy(update={"text": part.text[: at.start("after")] + value + part.text[at.end() :]})
            start = _compound_start(part.text, at.start())
            before = part.text[:start]
            was = re.search(r"(?<![\w-])(?P<w>[\w-]+)\s+$", before)
            if was and class_of(was["w"]) == cls:  # "a red hibiscus flower": the flower's colour, not a second one
                before = before[: was.start("w")]
                before = article_for(before, value)
                return part.model_copy(update={"text": before + value + " " + part.text[start:]})
            before = article_for(before, value)  # "an octopus" -> "a coral pink octopus"
            return part.model_copy(update={"text": before + value + " " + part.text[start:]})
    if cls not in CLASSES and (group := next((g for g in _SAME_KIND if value.lower() in g), None)):
        # "make the cobbler young" of an old cobbler: one age, the new one, with the article it takes
        words = "|".join(sorted(group, key=len, reverse=True))
        if m := re.search(rf"\b(?P<a>an?\s+)?(?:{words})\s+", part.text, re.I):
            before = article_for(part.text[: m.start()] + (m["a"] or ""), value)
            part = part.model_copy(update={"text": before + part.text[m.end() :]})
    if cls not in CLASSES:  # a quality of no known class ("ginger"): added before the thing, nothing replaced
        lead = LEAD.match(part.text)
        ph = phrase(part.text[lead.end() :] if lead else part.text)
        if ph.noun:  # "with two towers" -> "with two taller towers"
            mods = [value, *ph.mods]  # "glowing" of "a vending machine": before the words of a compound, not inside it
            return part.model_copy(
                update={"text": (lead.group(0) if lead else "") + ph.model_copy(update={"mods": mods}).render()}
            )
        return part.model_copy(update={"text": f"{value} {part.text}" if not lead else part.text})
    replaced = replace_class_word(part.text, cls, value)
    if replaced is not None:
        return part.model_copy(update={"text": replaced})
    lead = LEAD.match(part.text)
    if lead:
        inner = set_attribute(Part(role=part.role, text=part.text[lead.end() :]), cls, value)
        return part.model_copy(update={"text": lead.group(0) + inner.text})
    ph = phrase(part.text)
    if not ph.noun:
        return part.model_copy(update={"text": f"{part.text} {value}"})
    # Size leads ("a big red fox"); a colour or material comes after size words, before noun adjuncts ("neon").
    lead = (
        0 if cls == "size" else next((i for i, m in enumerate(ph.mods) if class_of(m) not in ("size",)), len(ph.mods))
    )
    mods = [*ph.mods[:lead], value, *ph.mods[lead:]]
    return part.model_copy(update={"text": ph.model_copy(update={"mods": mods}).render()})


# Words that make a colour a shade of it: "light blue", "mint green", "lemon yellow". A new colour replaces the shade
# whole ("a light blue car" made dark red is no "light dark red" car).
SHADES = frozenset(
    """light dark pale deep bright pastel neon hot baby royal forest sky lemon butter blood cherry electric burnt dusty
    soft muted rich vivid dusky powder coral rose jet ember ocean sea ice midnight bottle racing candy brick sand stone
    moss pine hunter army chocolate sage wine""".split()
)


def shade_start(text: str, at: int, cls: str) -> int:
    """Where the colour whose last word starts at `at` begins, its shade and colour words before it included."""
    while cls == "colour" and (m := re.search(r"([\w-]+)\s+$", text[:at])):
        if m.group(1).lower() not in SHADES and class_of(m.group(1)) != "colour":
            break
        at = m.start(1)
    return at


def _compound_start(text: str, at: int) -> int:
    """Where the noun compound ending at `at` begins: "a chess board" -> before "chess", so "a wooden chess board"."""
    from graphs.reading.closest import is_break

    while True:
        m = re.search(r"([\w'-]+)\s+$", text[:at])
        if m and (named := NAMED_THINGS.search(text[: m.end(1)] + text[at:])) and named.end() > m.end(1):
            at = named.start()  # "an ice cream truck": the cream is the truck's name, not its colour
            continue
        before = re.search(r"([\w'-]+)\s+$", text[: m.start(1)]) if m else None
        if m and m.group(1).lower().endswith("ing") and before and class_of(before.group(1)):
            at = m.start(1)  # "a red fishing boat": a describing word before it makes "fishing" part of the name
            continue
        if not m or is_break(m.group(1)) or class_of(m.group(1)):
            return at
        at = m.start(1)


_NUMBERS = frozenset("two three four five six seven eight nine ten several many some few".split())


# What holds or heaps a thing: "a plate of spaghetti" made penne is a plate of penne.
HOLDERS = frozenset(
    "plate bowl cup mug glass jar basket bucket box bottle tray platter pot stack pile bunch bag carton vase".split()
)


_COLLECTIVES = frozenset("pack group herd flock swarm bunch crowd school family pair couple team gang".split())


def _recount(part: Part, value: str) -> Part | None:
    """ "make it three balloons" of "a hot air balloon", "just one" of "three cats" or "a pack of wolves": the same
    subject, counted anew, keeping every word that describes it."""
    v = value.strip().lower()
    one = re.fullmatch(r"(?:just\s+|only\s+)?(?:one|a\s+single|1)(?:\s+(?P<n>[\w-]+))?", v)
    many = re.fullmatch(rf"(?P<k>{'|'.join(_NUMBERS)}|\d+)\s+(?P<n>[\w-]+)", v) or re.fullmatch(
        rf"(?P<k>{'|'.join(_NUMBERS)})(?P<n>)", v
    )  # "three of them": the number alone (a digit alone is a glyph: "switch to 8")
    if not one and not many:
        return None
    old = phrase(part.text)
    if old.noun.lower() in _COLLECTIVES and old.tail.lower().startswith("of "):  # "a pack of wolves running"
        old = phrase(old.tail[3:])
    if not old.noun or " " in old.noun:
        return None
    head = old.noun
    named = (one or many)["n"]
    if named and named.lower() not in (head.lower(), plural(head).lower(), singular(head).lower()):
        return None  # another thing: a substitution, not a count
    if one:
        out = old.model_copy(update={"det": "a", "noun": singular(head)})
    else:
        out = old.model_copy(update={"det": many["k"], "noun": plural(singular(head))})
    return part.model_copy(update={"text": out.render()})


_COLOURS_AFTER = re.compile(
    rf"(?P<head>(?:(?:an?|the)\s+)?[a-z][\w-]*(?:\s+dots)?)\s+(?P<colours>(?:{COLOUR_WORDS})(?:\s+(?:and|&)\s+(?:{COLOUR_WORDS}))*)",
    re.I,
)


def replace_subject(part: Part, value: str, named: bool = False) -> Part:
    """The subject phrase of `part` replaced by `value`, keeping the old words of a kind the new one does not say;
    `named`: the user named the old thing ("make the mechanic a woman"), so a person for a role keeps the role."""
    if (counted := _recount(part, value)) is not None:
        return counted
    if (after := _COLOURS_AFTER.fullmatch(part.text.strip())) and class_of(after["head"].split()[-1]) is None:
        # "checkerboard blue and yellow" made polka dots: the thing said first, its colours after it, kept
        head = replace_subject(part.model_copy(update={"text": after["head"]}), value, named=named)
        if any(class_of(m) == "colour" for m in phrase(with_article(value)).mods):
            return head  # "a red checkerboard" of "stripes blue and white": its own colour
        return head.model_copy(update={"text": f"{head.text} {after['colours']}"})
    old, new = phrase(part.text), phrase(with_article(value))
    if (
        old.noun.lower() in HOLDERS
        and re.match(r"of\s+\S", old.tail, re.I)
        and not re.search(r"\bof\b", value, re.I)
        and new.noun.lower() not in HOLDERS
        and not _unheld(new.noun)
        and not re.match(r"(?:looks?|seems?|is|are|so|very|too|really)\b", value.strip(), re.I)
    ):  # "make it penne" of "a plate of spaghetti": what the plate holds, the plate kept
        held = phrase(old.tail[3:])
        inner = replace_subject(Part(role=part.role, text=old.tail[3:]), value, named=named).text
        if not held.det:
            inner = re.sub(r"^(?:an?|the)\s+", "", inner, flags=re.I)
        out = old.model_copy(update={"tail": f"of {inner}"})
        return part.model_copy(update={"text": out.render()})
    mods = old.mods[:-1] if old.mods and NAMED_THINGS.fullmatch(f"{old.mods[-1]} {old.noun}") else old.mods
    kept = [m for m in mods if class_of(m) in SUBJECT_CLASSES or m.lower() in ("and",) or m.lower() in _KEEP]
    if any(class_of(m) == "colour" for m in new.mods) or re.fullmatch(rf"in\s+(?:{COLOUR_WORDS})\b.*", new.tail, re.I):
        kept = [m for m in kept if class_of(m) != "colour"]  # "a 6 in white" of a yellow 9: white only
    if new.mods and class_of(new.mods[0]) in ("colour", "material"):  # "denim shirt" -> "black turtleneck": its own
        kept = [m for m in kept if class_of(m) not in ("colour", "material")]
    if _same_head(old.noun, new.noun) and any(_kind_word(m) for m in new.mods):
        # "a polar bear" of "a brown bear", "a chocolate labrador" of "a black one": the same thing said again with
        # the word that tells its kind, which carries its colour; how big or how old it was stays
        kept = [m for m in kept if class_of(m) not in ("colour", "material")]
    if not re.search(r"stripe|line|band", new.noun, re.I):  # orientation belongs to stripes
        kept = [m for m in kept if class_of(m) != "orientation"]
    for group in _SAME_KIND:  # "a young woman" of "an old fisherman": one age, the new one
        if any(m.lower() in group for m in new.mods):
            kept = [m for m in kept if m.lower() not in group]
    mods = [*kept, *new.mods] if new.mods else kept
    noun = new.noun
    if named and not new.tail and _person(new.noun) and not _person(old.noun) and _role(old.noun):
        noun = f"{new.noun} {old.noun}"  # "make the mechanic a woman": a woman mechanic, still at work
    glyph = re.match(r"^(letter|number|digit)\s+\S$", old.noun, re.I)
    if glyph and re.fullmatch(r"[A-Za-z0-9]", noun):  # "the letter E" -> "make it an F" -> "the letter F"
        noun = f"{glyph.group(1)} {noun.upper()}"
    det = old.det if old.det.lower() == "the" or not new.det or glyph else new.det  # "letter Z" -> "letter X"
    if det.lower() in ("a", "an") and not new.det and noun.lower() != singular(noun).lower():
        det = ""  # "cats playing in the garden" of "a cat": no "a cats"
    tail = old.tail
    if old.noun.lower() in HOLDERS and _unheld(new.noun) and re.fullmatch(r"of\s+[\w\s-]+", tail, re.I):
        tail = ""  # "make it a cat" of "a bowl of ramen": the bowl and what it holds go
    if any(class_of(m) == "colour" for m in new.mods) and re.fullmatch(
        rf"in\s+(?:{COLOUR_WORDS})(?:\s+and\s+(?:{COLOUR_WORDS}))?", tail.strip(), re.I
    ):
        tail = ""  # "the letter D in purple" made "red star": the star's own colour, not "a red star in purple"
    out = Phrase(frame=old.frame, det=det, mods=_clean_mods(mods), noun=noun, tail=new.tail or tail)
    return part.model_copy(update={"text": out.render()})


# Words of one kind that a thing has one of: its age, its mood.
_SAME_KIND = (
    frozenset("old young elderly baby teenage middle-aged older younger".split()),
    frozenset("happy sad angry sleepy friendly grumpy cheerful happier sadder angrier".split()),
)
SAME_KIND_WORDS = frozenset().union(*_SAME_KIND)
_PERSONS = frozenset(
    """woman man girl boy lady gentleman guy kid child teenager teen person grandma grandpa grandmother grandfather
    mother father mom dad mum""".split()
)
_ROLES = frozenset(
    """knight wizard witch pilot barista nurse doctor monk nun soldier samurai ninja pirate cowboy cowgirl astronaut
    surgeon chef cook clown king queen prince princess detective scientist mechanic florist tailor librarian
    firefighter musician guitarist drummer violinist pianist saxophonist artist painter sculptor potter baker butcher
    farmer fisherman sailor captain lumberjack blacksmith gardener teacher student athlete skater skateboarder surfer
    hiker climber cyclist runner dancer singer waiter waitress bartender""".split()
)


# Words that say how good a thing is, not what kind it is ("perfect wolf. now add ...").
_PRAISE = frozenset("perfect nice great good lovely beautiful awesome cool gorgeous amazing fine better".split())


def _person(noun: str) -> bool:
    return bool(noun) and singular(noun.split()[-1]).lower() in _PERSONS


def _role(noun: str) -> bool:
    """A noun for what someone does ("mechanic", "chef", "potter"): kept when the person doing it changes."""
    return bool(noun) and " " not in noun and singular(noun).lower() in _ROLES


_KEEP = frozenset(
    "cute fluffy old young happy sad angry sleepy little majestic friendly wild baby tiny huge giant small big".split()
)


def _clean_mods(mods: list[str]) -> list[str]:
    out = [m for m in mods if m]
    while out and out[-1].lower() in ("and", "or"):
        out.pop()
    while out and out[0].lower() in ("and", "or"):
        out.pop(0)
    return out


def colour_all(scene: Scene, value: str) -> Scene:
    """Every colour word of the things set to `value`: "make both white" of "a red star and a yellow circle", "all of
    them purple" of "a green circle, a blue circle and a red circle" (the background keeps its own)."""
    parts = list(scene.parts)
    for i, p in enumerate(parts):
        if p.role not in ("subject", "extra", "place") or not words_of("colour", p.text):
            continue
        text = re.sub(
            rf"\b(?P<a>an?\s+)?(?:{COLOUR_WORDS})\b",
            lambda m: (("an " if value[:1].lower() in "aeiou" else "a ") if m["a"] else "") + value,
            p.text,
            flags=re.I,
        )
        # "a white and black square" made purple is one purple, not "purple and purple"
        text = re.sub(rf"\b{re.escape(value)}(?:\s+and\s+{re.escape(value)}\b)+", value, text, flags=re.I)
        parts[i] = p.model_copy(update={"text": text})
    return Scene(parts=parts)


_MORE = re.compile(
    r"^(?:another|one\s+more|a\s+second|an\s+extra|(?P<k>two|three|four|[234])\s+more)\s+(?P<x>[a-z][\w-]*(?:\s+[a-z][\w-]*)?)$",
    re.I,
)


_COUNT = ("one", "two", "three", "four", "five", "six", "seven", "eight")


def one_more(scene: Scene, value: str) -> Scene | None:
    """The scene with a thing it has counted up ("another apple" of "an apple" -> "two apples", "two more trees" of
    "a small pine tree" -> "three small pine trees"), or None when the value is not one more of a thing it has."""
    if more_of := re.fullmatch(r"more\s+(?P<x>[a-z][\w-]*)(?P<rest>\s+[\w\s-]+)?", value.strip(), re.I):
        return _many(scene, more_of["x"])
    m = _MORE.match(value.strip())
    if not m:
        return None
    k = {"2": "two", "3": "three", "4": "four"}.get(m["k"] or "", m["k"] or "")
    more = _COUNT.index(k.lower()) + 1 if k else 1
    *pre, head = m["x"].split()
    one, many = singular(head), plural(singular(head))
    named = "".join(f"{re.escape(w)}\\s+" for w in pre)  # "another rowing boat": the rowing boat, counted
    parts = list(scene.parts)
    for i, part in enumerate(parts):
        found = re.search(
            rf"\b(?P<det>an?|one|two|three|four|five)\s+(?P<mods>(?:[\w-]+\s+){{0,3}}?{named})(?P<n>{re.escape(one)}|{re.escape(many)})\b",
            part.text,
            re.I,
        )
        if not found:
            continue
        had = 1 if found["det"].lower() in ("a", "an", "one") else _COUNT.index(found["det"].lower()) + 1
        if had + more >= len(_COUNT):
            return None
        counted = f"{_COUNT[had + more - 1]} {found['mods']}{many}"
        parts[i] = part.model_copy(update={"text": part.text[: found.start()] + counted + part.text[found.end() :]})
        return Scene(parts=parts)
    return None


def _many(scene: Scene, things: str) -> Scene | None:
    """ "more patrons" of "two patrons drinking": many patrons, no longer two; None when the scene counts none."""
    parts = list(scene.parts)
    for i, part in enumerate(parts):
        found = re.search(
            rf"\b(?:two|three|four|five|six|\d+)\s+(?=(?:[\w-]+\s+)?{re.escape(things)}\b)", part.text, re.I
        )
        if found:
            parts[i] = part.model_copy(update={"text": part.text[: found.start()] + "many " + part.text[found.end() :]})
            return Scene(parts=parts)
    return None


def quality_of(scene: Scene, edit: Edit) -> Scene | None:
    """ "replace the red tractor's colour with green": the colour word of the named phrase, the thing kept ("a
    green tractor", "a long grey beard"), not the whole phrase swapped for "green"."""
    words = edit.target.split()
    if len(words) < 2 or class_of(words[-1]) == edit.slot or not any(class_of(w) == edit.slot for w in words):
        return None  # "British racing green" is a shade, no thing of its own
    i = find_part(scene, edit.target)
    bare = re.sub(r"^(?:the|a|an)\s+", "", edit.target.strip(), flags=re.I)
    if i is None or (said := replace_class_word(bare, edit.slot, bare_target(edit.value))) is None:
        return None
    parts = list(scene.parts)
    parts[i] = parts[i].model_copy(update={"text": target_rx(edit.target).sub(said, parts[i].text, count=1)})
    return Scene(parts=parts)


def colour_and_stuff(value: str) -> bool:
    classes = [class_of(w) for w in value.strip().split()]
    return len(classes) > 1 and classes[0] == "colour" and set(classes) == {"colour", "material"}


def _kind_word(word: str) -> bool:
    """A word that tells what kind a thing is ("polar", "chocolate"), not how big, how good or how much more it is
    ("thicker", "perfect")."""
    w = word.lower()
    return class_of(w) is None and w not in _KEEP | _PRAISE and not w.endswith(("er", "est"))


def _same_head(old: str, new: str) -> bool:
    """Both nouns end in the same word, singular or plural ("bear" / "bear", "pancakes" / "pancake")."""
    a, b = old.lower().split()[-1:], new.lower().split()[-1:]
    return bool(a and b) and singular(a[0]) == singular(b[0])


# Words for how a thing is made or patterned, said between its colour and its name ("a red checkered tablecloth").
# Patterns of cloth, said before a thing's name or covering the whole of it.
PATTERNS = frozenset("plaid tartan paisley gingham houndstooth".split())
_PATTERNED = PATTERNS | frozenset("floral polka-dot dotted spotted dim".split())


def _describing(word: str) -> bool:
    w = word.lower()
    return w in _PATTERNED or (w.endswith("ed") and len(w) > 4 and class_of(w) is None and w not in ING_NOUNS)


def _unheld(noun: str) -> bool:
    """A person, an animal, a vehicle or a building: no plate or cup holds one ("make it a cat" of a bowl of ramen is
    a cat)."""
    return bool(noun.strip()) and singular(noun.lower().split()[-1]) in _unheld_words()


@lru_cache(maxsize=1)
def _unheld_words() -> frozenset[str]:
    """The parser's subject keywords for people, animals, vehicles and buildings, read once."""
    from graphs.reading.rules import SUBJECT_KEYWORDS

    kinds = ("person", "animal", "vehicle", "architecture")
    return frozenset(w.strip() for kind in kinds for w in SUBJECT_KEYWORDS[kind].split(","))
