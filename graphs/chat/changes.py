"""Reading a change to the last picture as slot edits: "make the fox white", "a wolf instead", "at night in the rain",
several in one sentence. graphs.chat.refine decides first which action a message is; a content or style change comes
here, and the edits go to `graphs.reading.edits.apply_edits`, so unchanged words stay as the user wrote them.
"""

from __future__ import annotations

import re

from pydantic import ValidationError

from graphs.chat.attrs import attr_edit, attr_edits, attr_words
from graphs.chat.attrs import bare as _bare
from graphs.chat.insteads import added_instead, put_instead, same_colours, sky_swapped
from graphs.chat.lettering import lettering_edit
from graphs.chat.phrasings import named_style
from graphs.chat.pieces import read_pieces
from graphs.chat.pose import pose_edit
from graphs.chat.recolour import thing_in
from graphs.chat.reworded import as_complaint, reworded
from graphs.chat.settled import (
    added_one,
    as_meant,
    dropped_what_goes,
    in_its_colour,
    it_is_the_last,
    joined_slots,
    named_one,
    scene_only,
)
from graphs.chat.shapes import (
    ADD,
    ATTR_SET,
    ATTRS,
    BACKGROUND,
    BARE_PLACE,
    BEHIND,
    CAMERA,
    COMPOSITION,
    DRAWN_SHAPES,
    FILLER,
    FLAGS,
    FLIP,
    FUNCTION,
    GOES,
    HOW_MANY,
    IT,
    LIGHT_SET,
    MADE_OF,
    MAKE_THE_X_Y,
    MORE,
    NO_THING,
    NOT_KEEN,
    NOT_THAT,
    NOT_X_BUT_Y,
    ON_COLOUR,
    ONE,
    PLACE,
    PLACES,
    POSE,
    REMARK,
    REMOVE,
    SCENE_SET,
    SKY,
    SKY_CLAUSE,
    STYLE_CUE,
    STYLE_PHRASES,
    SUBSTITUTE,
    SWAP,
    SWITCH_TO,
    TOPIC,
    TRAIL,
    VIEW_SAID,
    WITH_ATTR,
    X_NOT_Y,
    X_SHOULD_BE_Y,
    place_word,
)
from graphs.chat.shapes import VERBS as _VERBS
from graphs.chat.shorthand import glyph, glyph_subject, said_short, thing_colour
from graphs.llm.schemas import Edit
from graphs.reading.attributes import SHADES
from graphs.reading.forms import with_article
from graphs.reading.rules import mentions_style
from graphs.reading.scene import (
    KEPT_ADJECTIVES,
    SCENE_CLASSES,
    SUBJECT_CLASSES,
    class_of,
    describe,
    phrase,
)


def _split_place(value: str) -> tuple[str, str]:
    """ "a panda in a bamboo forest" -> ("a panda", "in a bamboo forest")."""
    m = re.match(r"^(?P<head>.+?)\s+(?P<place>(?:in|on|at|under|inside|by|near)\s+.+)$", value, FLAGS)
    return (m["head"], m["place"]) if m else (value, "")


def _scene_edits(clause: str) -> list[Edit] | None:
    """ "at night in the rain", "at night with fog", "winter": each phrase one time/weather/season edit."""
    pieces = [
        p for p in re.split(r"\s+(?=(?:at|in|during|with|on|under)\s)|\s*,\s*|\s+and\s+", clause, flags=FLAGS) if p
    ]
    edits = []
    for piece in pieces:
        if edits and SKY.match(piece):  # "at night under the stars": the night sky, not a new place
            edits.append(Edit(op="set", slot="lighting", value=piece.lower()))
            continue
        m = SCENE_SET.match(re.sub(r"^with\s+", "", piece, flags=FLAGS))
        if not m:
            return None
        word = next(w for w in re.findall(r"[\w-]+", m["p"].lower()) if class_of(w) in SCENE_CLASSES)
        edits.append(Edit(op="set", slot=class_of(word), value=word))
    return edits or None


_THE_WAY = re.compile(
    r"^(?:(?:paint|draw|do|make|render)\s+it\s+)?(?:the\s+way|like|how)\s+(?P<who>[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,2})"
    r"\s+(?:would(?:\s+have)?|did|does|might)(?:\s+(?:paint|draw|do|shoot)\s+it)?$"
)


def _style_change(clause: str) -> str | None:
    if m := _THE_WAY.match(clause.strip()):  # "paint it the way Vermeer would"
        return f"in the style of {m['who']}"
    if m := re.match(r"^(?P<s>[\w\s-]{2,30}?\s+style)\s+(?:would|might|could)\s+(?:be|look)\b", clause.strip(), FLAGS):
        return m["s"]  # "Ghibli style would be cute for the kids I think"
    if m := STYLE_CUE.match(clause):
        return m["style"].lower()
    for rx in STYLE_PHRASES:
        if m := rx.match(clause):
            s = m["s"].strip()
            if rx is STYLE_PHRASES[2] and not (mentions_style(s) or re.search(r"\bstyle\b", s, FLAGS)):
                continue  # "a red car" is no style; "charcoal drawing", "Pixar style" are
            if rx is STYLE_PHRASES[0] and len(s.split()) > 4:
                continue
            return f"in the style of {s}" if rx is not STYLE_PHRASES[2] else s
    return named_style(clause)


def _new_thing(clause: str, previous: str | None) -> bool:
    """ "put the moon in the sky" names a thing the picture does not have yet: an addition, not a move."""
    m = re.match(r"^\w+\s+the\s+(?!(?:scene|image|picture|whole)\b)(?P<thing>[\w-]+)", clause, FLAGS)
    return bool(m and previous and not re.search(rf"\b{re.escape(m['thing'])}s?\b", previous, FLAGS))


def _one_change(text: str, previous: str | None = None) -> list[Edit] | None:
    """`_read_one_change`, where a reading the Edit schema refuses (a "subject" of a whole sentence, over its 80
    characters) is no reading: the message is then read another way, or drawn new, rather than failing the turn."""
    try:
        if (got := _read_one_change(text, previous)) is not None:
            return got
        if said := _article_dropped(text):  # "make it circle", "make sunset": a learner's change without its article
            return _read_one_change(said, previous)
        return None
    except ValidationError:
        return None


_DROPPED = re.compile(
    r"^(?P<v>(?:and\s+)?(?:make|turn|change|do))\s+(?P<it>(?:it|them)\s+(?:in(?:to)?\s+|to\s+)?)?"
    r"(?!(?:it|an?|the|them|him|her|me|this|that|all|everything|some|more|less|so|very|really|much|even|extra|super|too|"
    r"quite|bit|at|in|on|by|with|like|look|looks|be|from|for|to|into|of|as|during|under|over|near|and|or|but)\b)(?P<x>[\w-]+(?:\s+[\w-]+)?)[\s.!]*$",
    FLAGS,
)


_X_TO_Y = re.compile(r"^(?:the\s+)?(?P<x>[\w-]+(?:\s+[\w-]+)?)\s+(?:to|into)\s+(?P<y>[\w\s'-]+?)[\s.!]*$", FLAGS)


def _swapped_for(old: str, new: str, previous: str) -> bool:
    """ "shirt to a black turtleneck", "thatched roof to red clay tiles": a thing of the picture and a thing to put in
    its place; "door to dark green" (a colour) and "sunflowers to lavender" (one word, a colour too) are not."""
    words = new.split()
    if not re.search(rf"\b{re.escape(old.split()[-1])}", previous, FLAGS) or class_of(old.split()[-1]):
        return False
    if any(w.lower() in FUNCTION for w in old.split()):  # "move it to a beach", "all to desert road": a move
        return False
    if re.match(r"^(?:an?|some)\s", new, FLAGS):
        return True
    if len(words) == 1 and re.fullmatch(r"[a-z]{3,}", words[0], FLAGS) and not class_of(words[0]):
        # "ring to square", "apples to pears": one thing for another; "to brighter", "to glowing" say how it is
        return not words[0].lower().endswith(("er", "ed", "ly", "ing", "ish")) and words[0].lower() not in FUNCTION
    return len(words) > 1 and not class_of(words[-1]) and words[0].lower() not in FUNCTION


_HOLIDAYS = frozenset(
    "christmas xmas halloween easter thanksgiving diwali hanukkah ramadan valentine's valentines".split()
)


def _article_dropped(text: str) -> str | None:
    m = _DROPPED.match(TRAIL.sub("", FILLER.sub("", text.strip())).strip())
    if not m:
        return None
    first = m["x"].split()[0]
    if not m["it"]:  # "make sunset", "make red": the picture is what is made so; "make checkerboard": made into one
        if class_of(first):
            return f"{m['v']} it {m['x']}"
        last = m["x"].split()[-1]
        if first.lower().endswith(("ing", "er", "ed", "ly")) or first.lower() in _HOLIDAYS or class_of(last):
            return None  # "make both white": a colour, not a thing
        thing = with_article(m["x"])
        return f"{m['v']} it {thing}" if thing != m["x"] else f"turn it into {thing}"
    if class_of(first) or first.lower().endswith(("ing", "er")) or first.lower() in _HOLIDAYS:
        return None  # "make it night", "make it glowing", "make it bigger": read as they are, or not at all
    thing = with_article(m["x"])  # "make it circle" -> "make it a circle", "make it polka dots" -> "into polka dots"
    return f"{m['v']} it {thing}" if thing != m["x"] else f"turn it into {thing}"


def _read_one_change(clause: str, previous: str | None = None) -> list[Edit] | None:
    raw = clause.strip()
    if edits := lettering_edit(TRAIL.sub("", FILLER.sub("", raw)).strip(), previous):  # "change the text to GOODBYE"
        return edits
    if edits := pose_edit(FILLER.sub("", raw).strip(), previous):  # "the dog should be running"
        return edits
    also = TRAIL.sub("", FILLER.sub("", raw)).strip()
    if (said := said_short(also, raw, previous)) is not None:
        return said
    if (m := _X_TO_Y.match(also)) and previous and _swapped_for(m["x"], m["y"], previous):
        return _one_change(f"replace {m['x']} with {m['y']}", previous)  # "shirt to a black turtleneck"
    if (m := GOES.match(also)) and previous and re.search(rf"\b{re.escape(m['v'].split()[-1])}", previous, FLAGS):
        return [Edit(op="remove", slot="thing", target=m["v"])]  # "and the bamboo goes" of a panda eating bamboo
    if (m := _DOING_THERE.match(also)) and previous and not re.search(rf"\b{m['d']}\b", previous, FLAGS):
        if (there := _one_change(m["rest"], previous)) and all(e.slot in ("background", "place") for e in there):
            # "floating on a pastel blue background": where it is, and how, as said
            return [*there, Edit(op="add", slot="words", value=m["d"].lower())]
    said = (m["v"] or m["v2"]) if (m := _SCENE_SAID.match(also)) else ""
    if said and all(class_of(w) in SCENE_CLASSES for w in said.split()):
        return _one_change(f"make it {said}", previous)  # "it's evening now", "spring would be nicer"
    if m := _HOUR.match(also):  # "at golden hour", "shoot it at blue hour": the light, not a place or a colour
        return [Edit(op="set", slot="lighting", value=f"at {m['v'].lower()}")]
    if (
        previous
        and _ALSO.search(raw)
        and re.match(r"^(?:an?\s|some\s|two\s|three\s|another\s|[a-z][\w-]*[^s\W]s$)", also, FLAGS)
        and not re.search(r"\b(?:background|backdrop|bg|sky|instead)\b", also, FLAGS)
    ):
        return [Edit(op="add", slot="thing", value=also)]  # "a hammock too, pls": one more thing, not a new subject
    if edits := thing_in(TRAIL.sub("", FILLER.sub("", raw)).strip(), previous):  # "coat in camel"
        return edits
    if (m := TOPIC.match(TRAIL.sub("", FILLER.sub("", raw)).strip())) and previous:
        if re.search(rf"\b{re.escape(_bare(m['t']).split()[-1])}", previous, FLAGS):
            return _one_change(f"{m['v']} {m['t']}{m['rest']}", previous)
    if m := re.match(
        r"^(?:and|also|plus|and\s+also)\s+(?P<v>(?:an?|some|the|two|three)\s+.+?|[a-z][\w-]*[^s\W]s)[\s.!?]*$",
        raw,
        FLAGS,
    ):
        if not _one_change(m["v"]):  # "and a wooden pier": a thing to add
            return [Edit(op="add", slot="thing", value=m["v"])]
    if (
        (m := NO_THING.match(TRAIL.sub("", raw)))
        and not set(m["v"].lower().split()) & FUNCTION
        and class_of(m["v"]) in (None, "weather")
    ):
        return [Edit(op="remove", slot="thing", target=m["v"])]  # "no people": not "people" as the new subject
    if m := SKY_CLAUSE.match(TRAIL.sub("", raw)):
        return [Edit(op="add", slot="thing", value=m["v"])]
    c = TRAIL.sub("", FILLER.sub("", raw)).strip()
    if not c:
        return None
    if (m := NOT_THAT.match(c)) and all(class_of(w) for w in re.findall(r"[\w-]+", m["old"]) if w != "and"):
        if got := _one_change(m["main"], previous):  # "the background should be green, not yellow"
            return got
    if (m := _CHANGE_TO.match(c)) and previous and place_word(m["v"]):  # "change to snowy mountains"
        return [Edit(op="set", slot="place", value=m["v"].lower())]
    if (m := SWITCH_TO.match(c)) and previous and not any(class_of(w) for w in m["v"].split()):  # "switch to 8"
        return [Edit(op="replace", slot="subject", value=m["v"])]
    if m := HOW_MANY.match(c):  # "three of them", "two is enough"
        return [Edit(op="replace", slot="subject", value=m["n"].lower())]
    if m := ONE.match(c):  # "just one": the subject counted anew
        return [Edit(op="replace", slot="subject", value=m.group(0).lower())]
    if m := NOT_KEEN.match(c):  # "not keen on the yellow, make it orange": that colour, not every colour
        change = _read_changes(m["rest"], previous) or []
        old = m["old"].lower()
        if re.search(r"\b(?:background|backdrop|bg)$", old) and len(change) == 1 and change[0].slot == "colour":
            # "get rid of the blue background, make it white": the background white
            return [Edit(op="set", slot="background", value=change[0].value)]
        if class_of(old) and len(change) == 1 and change[0].slot == class_of(old):
            return [Edit(op="replace", slot=change[0].slot, target=old, value=change[0].value)]
        if change and not class_of(old) and all(e.op in ("add", "set") for e in change):
            # "drop the veil and give her a flower crown": a thing that goes, and what comes
            return [Edit(op="remove", slot="thing", target=m["old"]), *change]
        if change:
            return change
        same = [w.lower() for w in re.findall(r"[\w-]+", m["rest"]) if class_of(old) and class_of(w) == class_of(old)]
        if same:  # "lose the orange and use purple": purple where the orange was
            return [Edit(op="replace", slot=class_of(old), target=old, value=same[0])]
    if m := ON_COLOUR.match(c):  # "same but blue on white", "make it yellow on black", "red star on black"
        ground = Edit(op="set", slot="background", value=m["b"].lower())
        if not m["t"] or re.fullmatch(r"ones?", m["t"], FLAGS):
            return [Edit(op="set", slot="colour", value=m["c"].lower()), ground]
        if re.match(r"^(?:an?)\s", c, FLAGS):
            return None  # "a black circle on white": a whole description, drawn new, whatever it shares
        if previous and re.search(rf"\b{re.escape(m['t'])}", previous, FLAGS):
            return [Edit(op="set", slot="colour", value=m["c"].lower(), target=m["t"].lower()), ground]
        return [Edit(op="replace", slot="subject", value=f"{m['c']} {m['t']}".lower()), ground]  # "red ring on black"
    if m := COMPOSITION.match(c):
        return [Edit(op="set", slot="composition", value=m["v"])]
    if m := POSE.match(c) or FLIP.match(c):  # "make him face left", "flip the bicycle upside down"
        v = m["v"].lower()
        v = re.sub(
            r"^(?:face|turn(?:ed)?|look|point)\b",
            lambda w: {"face": "facing", "look": "looking", "point": "pointing"}.get(w.group(0), "turned"),
            v,
        )
        return [Edit(op="set", slot="composition", value=v)]
    if (m := MORE.match(c)) and not class_of(m["v"].split()[-1]) or (m and class_of(m["v"].split()[-1]) == "weather"):
        return [Edit(op="add", slot="thing", value=m["v"].lower())]  # "more syrup", "more snow"
    if m := SWAP.match(c):
        return [
            Edit(op="swap", slot="colour", target=_bare(m["a"] or m["a2"] or ""), value=_bare(m["b"] or m["b2"] or ""))
        ]
    for rx in BACKGROUND:
        if m := rx.match(c):
            v = _bare(
                re.sub(r"\s*,?\s+(?:instead\s+of|rather\s+than|not)\s+.+$", "", m["v"], flags=FLAGS)
            )  # "black instead of yellow"
            if v and not re.search(r"\b(?:background|backdrop)\b", v, re.I) and len(v.split()) <= 4:
                if rx is BACKGROUND[1] and not (
                    re.search(r"(?:background|backdrop)$", c, FLAGS) or class_of(v.split()[-1]) == "colour"
                ):
                    continue  # "put it on a beach" is a place
                return [Edit(op="set", slot="background", value=v)]
    if edits := _scene_edits(c):
        return edits
    if m := LIGHT_SET.match(c):
        return [Edit(op="set", slot="lighting", value=m["v"])]
    for rx in ATTR_SET:
        if m := rx.match(c):
            groups = m.groupdict()
            if rx is ATTR_SET[1] and previous and not re.search(rf"\b{re.escape(m['target'])}", previous, FLAGS):
                continue  # "vertical stripes instead" of polka dots: a new thing, not the stripes made vertical
            if got := attr_edits(groups.get("target") or groups.get("target2") or "", m["v"]):
                return got
    if style := _style_change(c):
        return [Edit(op="set", slot="style", value=style)]
    if (m := PLACE.match(c)) and class_of(m["v"]) and len(m["v"].split()) == 1:  # "put the stripes in diagonal"
        cls = class_of(m["v"])
        return [Edit(op="set", slot=cls, value=m["v"].lower())]
    if (m := PLACE.match(c)) and not _new_thing(c, previous):
        if (took := put_instead(m["v"], previous)) is not None:
            return took
        prep = "in" if m["prep"].lower() in ("to", "into") else m["prep"].lower()
        if prep == "in" and re.fullmatch(r"[a-z][\w-]*", m["v"], FLAGS):  # "to london": a name takes no article
            return [Edit(op="set", slot="place", value=f"in {m['v']}")]
        return [Edit(op="set", slot="place", value=m["v"] if prep == "in" else f"{prep} {m['v']}")]
    for rx in SUBSTITUTE:
        if m := rx.match(c):
            groups = m.groupdict()
            value, old = m["v"].strip(), groups.get("old") or ""
            value = re.sub(
                r"^(?:i\s+think\s+)?(?:i|he|she|they|(?:my|our|his|her|their)\s+[a-z]+)\s+(?:meant|means|wanted|wants|"
                r"said|says|asked\s+for|would\s+like|(?:would|'d)\s+prefer|prefers)\s+",
                "",
                value,
                flags=FLAGS,
            )  # "i meant tulips, not peonies", "my wife wants sage green cabinets instead of white"
            inner = (
                _one_change(value, previous)
                if old and re.match(r"^(?:make|paint|turn|colou?r|have|dye)\b", value, FLAGS)
                else None
            )
            if (
                inner
                and len(inner) == 1
                and inner[0].op == "set"
                and previous
                and re.search(rf"\b{re.escape(_bare(old))}\b", previous, FLAGS)
            ):  # "make the vase ceramic instead of glass": ceramic where the glass was
                slot = inner[0].slot if class_of(_bare(old)) == inner[0].slot else "quality"
                return [Edit(op="replace", slot=slot, target=_bare(old), value=inner[0].value)]
            value = re.sub(rf"^(?:make|turn)\s+{IT}\s+(?:in)?(?:to\s+)?", "", value, flags=FLAGS)
            value = re.sub(r"^(?:put|use|have|draw|show|give\s+me|i\s+want)\s+(?=\S)", "", value, flags=FLAGS)
            if re.search(r"\b(?:background|backdrop)$", value, FLAGS):  # "a red background instead of the purple one"
                return _one_change(f"use {value}")
            first = _bare(value).split()[0] if _bare(value).split() else ""
            crossed = (  # "summer, no snow": a season for a weather, not one word of a class for another
                class_of(old.strip()) in SCENE_CLASSES
                and class_of(first) in SCENE_CLASSES
                and class_of(first) != class_of(old.strip())
            )
            if (
                class_of(old.strip())
                and class_of(first)
                and not crossed
                and len(value.split()) == 1
                and previous
                and re.search(rf"\b{re.escape(old.strip())}\b", previous, FLAGS)
            ):  # "bronze instead of marble": the word where it stands
                return [Edit(op="replace", slot=class_of(old.strip()), value=first.lower(), target=old.strip())]
            scene_words = [w for w in re.findall(r"[\w-]+", value.lower()) if class_of(w) in SCENE_CLASSES]
            if class_of(old.strip()) in SCENE_CLASSES and scene_words and class_of(first) != class_of(old.strip()):
                # "calm sunny day instead of the storm": the old weather goes, the new time of day comes
                before, said = _scene_phrase(value, scene_words[-1])
                # "robot in rusty orange paint, and evening instead of sunrise": the change said before it, too
                first_change = (
                    (_one_change(before, previous) or _one_change(f"the {before}", previous))
                    if len(before.split()) > 1
                    else None
                )
                return (first_change or []) + [
                    Edit(op="remove", slot="thing", target=old.strip()),
                    Edit(op="set", slot=class_of(scene_words[-1]), value=said),
                ]
            if class_of(old.strip()) and class_of(first) == class_of(old.strip()):
                said = _bare(value).lower().split()  # "chrome -> matte black": every word of a finish, not "matte"
                whole = all(class_of(w) in ("colour", "material") or w in SHADES for w in said)
                return [
                    Edit(
                        op="replace",
                        slot=class_of(old.strip()),
                        value=" ".join(said) if whole else first.lower(),
                        target=old.strip(),
                    )
                ]
            if not old and rx is SUBSTITUTE[8] and _moves_the_place(value, previous):
                return [Edit(op="set", slot="place", value=value.lower())]  # "make it a stormy sea" of a lake
            head, place = _split_place(value)
            if place and old == "":
                return [Edit(op="replace", slot="subject", value=head), Edit(op="set", slot="place", value=place)]
            if " and " in f" {old} " or (rx is NOT_X_BUT_Y and class_of(value)):
                continue
            if rx is MAKE_THE_X_Y and " and " in value:
                if (got := attr_edits(old, value)) and len(got) > 1:  # "make the robot rusty and old"
                    return got
                continue
            if edit := attr_edit(old, value):  # "turn the fox into a white one" / "change the star to red"
                return [edit]
            if rx in (MAKE_THE_X_Y, X_SHOULD_BE_Y) and not re.match(r"^(?:an?|the|some)\s|.*[^s]s$", value, FLAGS):
                return [Edit(op="set", slot="quality", value=value, target=_bare(old))]  # "make the cat ginger"
            if re.fullmatch(rf"(?:an?\s+)?(?:{ATTRS})\s+(?:one|ones)", value, re.I):
                return [attr_edit(old, re.sub(r"\s+(?:one|ones)$", "", value))]
            return [Edit(op="replace", slot="subject", value=value, target=_bare(old))]
    for rx in REMOVE:
        if m := rx.match(c):
            return [Edit(op="remove", slot="thing", target=_bare(m["v"]))]
    if m := BARE_PLACE.match(c):
        if m["alone"]:
            return [Edit(op="set", slot="place", value=m["alone"].lower())]
        v = m["v"]
        if not class_of(v.split()[-1]):
            return [Edit(op="set", slot="place", value=f"{m['prep'].lower()} {v}")]
    if (m := WITH_ATTR.match(c)) and previous and re.search(rf"\b{re.escape(m['target'])}", previous, FLAGS):
        return [attr_edit(m["target"], m["v"])]  # "would it work with a blue car?" of a red car
    if m := MADE_OF.match(c):  # "make the pieces out of glass", "make it out of lava"
        target = "" if re.fullmatch(IT, m["target"], flags=re.I) else _bare(m["target"])
        return [Edit(op="set", slot="material", value=m["v"].lower(), target=target)]
    if m := CAMERA.match(c):
        return [Edit(op="set", slot="composition", value=m["v"])]
    if previous and (m := VIEW_SAID.match(c)):
        shows = f", showing {m['see'].strip()}" if m["see"] else ""
        return [Edit(op="set", slot="composition", value=f"{m['v']}{m['rest']}{shows}".strip()[:80])]
    if m := BEHIND.match(c):  # "I want black behind it", "black for the background", "the rest black"
        return [Edit(op="set", slot="background", value=m["v"] or m["v2"])]
    for rx in ADD:
        if m := rx.match(c):
            value = m.groupdict().get("v") or m["v2"]
            if (re.search(r"\binstead\b", raw, FLAGS) and re.match(r"^(?:do|have|get)\b", c, FLAGS)) or (
                glyph(value) and previous and glyph_subject(previous)
            ):
                return [Edit(op="replace", slot="subject", value=value)]
            return [Edit(op="add", slot="thing", value=value)]
    bare = re.sub(r"^(?:an?|the)\s+", "", c, flags=FLAGS)
    if previous and (
        m := thing_colour(bare, previous)
    ):  # "letter white", "dots green", "car teal instead", "cabin lights blue", "cloak dark green"; "gravel black" of
        # black gravel says it stays
        if re.search(rf"\b{re.escape(m['v'])}\s+{re.escape(m['t'])}", previous, FLAGS):
            return []
        return [Edit(op="set", slot=m["cls"], target=m["t"], value=m["v"].lower())]  # "steps sandstone" too
    if (
        re.search(r"\binstead\b", raw, FLAGS)
        and len(c.split()) <= 4
        and not re.search(r"\b(?:of|with|and|they|them|could|can|would|should)\b", c, FLAGS)
    ):
        c = re.sub(rf"^(?:make|turn|change)\s+{IT}\s+(?:in)?(?:to\s+)?", "", c, flags=FLAGS)
        return [Edit(op="replace", slot="subject", value=c)]  # "polka dots instead", "ok now a square instead"
    if (
        previous
        and (m := re.fullmatch(r"(?:(?:an?|the)\s+)?(?P<v>[\w-]+(?:\s+[\w-]+)?)\s+(?P<t>[a-z][\w-]*)", c, FLAGS))
        and all(class_of(w) in SUBJECT_CLASSES or w.lower() in KEPT_ADJECTIVES for w in m["v"].split())
        and any(class_of(w) in SUBJECT_CLASSES for w in m["v"].split())
        and re.search(rf"\b{re.escape(m['t'])}\b", previous, FLAGS)
        and not re.search(rf"\b{re.escape(m['v'])}\s+{re.escape(m['t'])}\b", previous, FLAGS)
        and None not in (got := attr_words(m["t"], m["v"]))
    ):
        return got  # "a red canoe, morning mist" of a lake with a canoe: that canoe, red
    if (
        previous
        and re.fullmatch(r"[a-z][\w-]*(?:\s+[a-z][\w-]*)?", bare, FLAGS)
        and bare.lower().split()[-1] in PLACES
        and not set(bare.lower().split()) & (FUNCTION | _VERBS)
        and not (PLACES | DRAWN_SHAPES) & set(re.findall(r"[a-z]+", describe(previous).parts[0].text.lower()))
    ):
        return [Edit(op="set", slot="place", value=c)]  # "savanna" after a giraffe: where it is, not what
    if (
        previous
        and re.fullmatch(r"[a-z][\w-]*(?:\s+[a-z][\w-]*)?", bare, FLAGS)
        and not set(bare.lower().split()) & FUNCTION
        and not any(class_of(w) for w in bare.split())  # "car blue": the car's colour (graphs.chat.loose)
    ):
        return [Edit(op="replace", slot="subject", value=c)]  # "triangle pls": one bare noun names the new subject
    return None


_DOING_THERE = re.compile(
    r"^(?P<d>(?:floating|hovering|flying|standing|sitting|lying|resting|perched|placed))\s+(?P<rest>(?:on|in|at|over|above|"
    r"under|against)\s+.+)$",
    FLAGS,
)
_SCENE_SAID = re.compile(
    r"^(?:(?:it[’']?s|it\s+is|it\s+should\s+be|let\s+it\s+be)\s+(?P<v>[a-z][\w-]*(?:\s+[a-z][\w-]*)?)(?:\s+now)?"
    r"|(?P<v2>[a-z][\w-]*(?:\s+[a-z][\w-]*)?)\s+(?:would|might|could)\s+be\s+(?:nicer|better|cooler|prettier|nice|cool|"
    r"good|great|lovely))$",
    FLAGS,
)
_HOUR = re.compile(
    r"^(?:(?:shoot|shot|make|do|set|light)\s+(?:it\s+)?|now\s+)?(?:at|during|in|for)\s+(?:the\s+)?(?P<v>(?:golden|blue|magic)\s+hour)$",
    FLAGS,
)
_ALSO = re.compile(r"^(?:and\s+)?also\b|\b(?:too|as\s+well)\b[\s,.!?]*(?:pls|please|thanks)?[\s,.!?]*$", FLAGS)
_CHANGE_TO = re.compile(
    r"^(?:change|switch|go|move)\s+(?:it\s+|that\s+|the\s+(?:place|setting|scene|location|landscape)\s+)?to\s+"
    r"(?P<v>(?:an?\s+|the\s+)?[\w-]+(?:\s+[\w-]+){0,2})$",
    FLAGS,
)


def _scene_phrase(value: str, word: str) -> tuple[str, str]:
    """What is said before the words that name the new time or weather, and those words: "calm the sea and make it a
    moonlit night" -> "moonlit night" (the whole was drawn as the time)."""
    words = re.findall(r"[\w'-]+|,", value)
    at = max(i for i, w in enumerate(words) if w.lower() == word)
    start, end = at, at + 1
    while start > 0 and at - start < 3 and words[start - 1].lower() not in _NOT_OF_THE_TIME:
        start -= 1
        if words[start].lower() in ("a", "an", "the"):
            break
    while end < len(words) and end - at < 3 and words[end].lower() not in _NOT_OF_THE_TIME:
        end += 1  # "a starry night sky", "autumn leaves"
    before = re.sub(r"(?:[\s,]+(?:and|then|also|now|make|turn|it))+$", "", " ".join(words[:start]).replace(" ,", ","))
    return before.strip(" ,"), _bare(" ".join(words[start:end]))


_NOT_OF_THE_TIME = frozenset(
    ", it them and make turn be to with of in on at we you could can please pls so now then instead too".split()
)


def _moves_the_place(value: str, previous: str | None) -> bool:
    """ "a stormy sea" said of "a sailboat on a calm lake": a place word for a picture whose subject is no place but
    has one."""
    noun = phrase(value).noun
    if not previous or not noun or not place_word(noun):  # "a panda in a bamboo forest" is a panda
        return False
    parts = describe(previous).parts
    head = phrase(parts[0].text).noun.lower().split() if parts else []
    return bool(head) and head[-1] not in PLACES and any(p.role == "place" for p in parts[1:])


def read_changes(text: str, previous: str | None = None) -> list[Edit] | None:
    """`_read_changes`, where a replacement named "one" takes the name of what it replaces ("the rug a Persian one"
    -> a Persian rug), and a new "subject" made only of time, weather and season words sets those instead ("make it
    a snowy morning" keeps the London street and makes it a snowy morning)."""
    edits = same_colours(text) or _read_changes(text, previous)
    if (
        edits
        and len(edits) == 2
        and edits[0].op == "add"
        and edits[1].op == "set"
        and not edits[1].target
        and edits[1].slot in ("colour", "size", "material")
        and re.search(r",\s*(?:(?:an?\s+)?[\w\s-]+\s+one\b|[\w-]+(?:\s+[\w-]+)?[\s.!]*$)", text, FLAGS)
    ):  # "add another cat, a white one", "add a second ring, red": the new one is white, not the old one
        noun = re.findall(r"[\w-]+", edits[0].value)
        edits = [edits[0].model_copy(update={"value": " ".join([*noun[:-1], edits[1].value, noun[-1]])[:80]})]
    if edits and len(edits) == 1 and (took := added_instead(edits[0], text, previous)):
        edits = [took]
    if edits and len(edits) == 1 and edits[0].op == "replace" and edits[0].target:
        m = re.fullmatch(r"(?P<w>[\w-]+)\s+and\s+(?P<v>.+)", edits[0].value)
        if m and class_of(m["w"]) in SCENE_CLASSES:  # "make it night and moon instead of sun": a time, then the swap
            edits = [Edit(op="set", slot=class_of(m["w"]), value=m["w"]), edits[0].model_copy(update={"value": m["v"]})]
    if edits:
        edits = dropped_what_goes(sky_swapped(edits, previous), previous)
        edits = in_its_colour(it_is_the_last([as_meant(e, text) for e in edits]))
    return (
        joined_slots([s for e in edits for s in scene_only(named_one(added_one(e, previous)), previous)])
        if edits
        else edits
    )


def _read_changes(text: str, previous: str | None = None) -> list[Edit] | None:
    """The slot edits a message asks for, or None when it is not read as a change. Several edits may share one
    sentence ("make the star red and the background white", "at night with the moon"): the message is cut at "and",
    commas and "with", and each run of pieces is read as the shortest span that makes one change."""
    t = " ".join(text.strip().split())
    t = as_complaint(t, previous)
    t = REMARK.sub("", t).strip() or t
    if NOT_KEEN.match(FILLER.sub("", t)):  # the complaint and its fix are one change, commas and all
        return _one_change(t, previous)
    t = reworded(t, previous)
    bare = TRAIL.sub("", FILLER.sub("", t)).strip()
    if X_NOT_Y.match(bare) or NOT_X_BUT_Y.match(bare) or TOPIC.match(bare) or (previous and VIEW_SAID.match(bare)):
        return _one_change(t, previous)  # one change, commas and all
    if (edits := read_pieces(t, previous, _one_change)) is not None:
        return edits
    return _one_change(t, previous)
