"""Refinements as operations on a scene's slots: set, replace, add, remove, swap.

The rule reader (graphs.chat.changes) and the LLM (`TurnIntent.edits`) both produce `Edit`s; `apply_edits` is the one
place they change a prompt, so both are measured on the same thing and either can stand in for the other. A thing's
own words are changed in `attributes`, the setting in `setting`, the style in `restyle`; a thing is taken out in
`removal`.
"""

from __future__ import annotations

import re

from graphs.llm.schemas import Edit
from graphs.reading.attributes import (
    HOLDERS,
    LEAD,
    PATTERNS,
    colour_all,
    colour_and_stuff,
    find_part,
    finish_after,
    one_more,
    quality_of,
    replace_class_word,
    replace_subject,
    set_attribute,
    subject_index,
    target_rx,
)
from graphs.reading.forms import article_for, singular, with_article
from graphs.reading.kinds import KIND_WORDS, clipped
from graphs.reading.removal import remove
from graphs.reading.restyle import merge_style
from graphs.reading.scene import (
    CLASSES,
    COLOUR_WORDS,
    COMPOSITION,
    DOING_WORD,
    SCENE_CLASSES,
    SUBJECT_CLASSES,
    Part,
    Scene,
    class_of,
    describe,
    phrase,
    words_of,
)
from graphs.reading.setting import set_scene, sky_after
from graphs.reading.targets import bare_target, colour_named, position, swap_before

_DOING = re.compile(rf"{DOING_WORD}(?:\s+(?:down|up|back|over|around))?", re.I)


# Parts of a thing named after it: "watermelon slices" are the watermelon, "blueberry pancakes" are pancakes.
_PORTIONS = frozenset("slice slices piece pieces chunk chunks wedge wedges half halves bits cubes segments".split())


def _replace(scene: Scene, edit: Edit) -> Scene:
    """`value` where `target` was: the head of a subject phrase keeps its attributes ("a green triangle" -> "a green
    star"); a word elsewhere ("a bowl of ramen", "riding a horse", "green and black stripes") is swapped in place."""
    parts = list(scene.parts)
    if not edit.target and edit.slot == "subject" and (other := no_thing(edit.value)):
        return apply_edit(scene, other)  # "wide angle pls", "overgrown", "minimal": no thing to put in its place
    glyph_only = re.fullmatch(r"[A-Za-z0-9]", edit.value.strip())
    first = scene.first("subject")
    if not edit.target and glyph_only and first is not None:
        text = scene.parts[first].text
        swapped = re.sub(
            r"\b(letter|number|digit)\s+[A-Za-z0-9]\b", rf"\g<1> {edit.value.strip()}", text, count=1, flags=re.I
        )
        if swapped != text:  # "make it 9" of "digit 7 green on black": the glyph, its colour kept
            parts[first] = parts[first].model_copy(update={"text": swapped})
            return Scene(parts=parts)
    i = find_part(scene, edit.target) if edit.target else None
    if i is None and edit.target and (named := _renamed(scene, edit.target)):
        return _replace(scene, edit.model_copy(update={"target": named}))  # "the bird should be a toucan" of a parrot
    if i is None:  # not named, or named wrongly ("a cat not a dog" of a golden retriever): the main subject
        edit = edit.model_copy(update={"target": ""})
        i = scene.first("subject")
        if i is not None and (meant := _meant(scene, i, edit.value)):  # "a trumpet instead" of the saxophone
            return _replace(scene, edit.model_copy(update={"target": meant}))
    if i is None:
        return Scene(parts=[Part(role="subject", text=with_article(edit.value), sep=" "), *parts])
    part = parts[i]
    lead = re.match(r"^(?:with|and|on|in|at|under|over|near|by|beside|against)\s+", part.text, re.I)
    body = part.text[lead.end() :] if lead else part.text
    head = phrase(body)
    named = target_rx(edit.target) if edit.target else None
    glyph_head = re.fullmatch(r"(?:letter|number|digit)\s+\S", head.noun, re.I)
    # a describing or doing word ("vertical" of "stripes vertical", "asleep" of "a toddler asleep") is swapped
    # where it stands, never read as the head noun
    attribute = named is not None and (
        class_of(bare_target(edit.target)) is not None or _DOING.fullmatch(bare_target(edit.target)) is not None
    )
    if not named or (
        not attribute
        and (
            named.fullmatch(head.noun)
            or named.fullmatch(head.noun.split()[-1] if head.noun else "")
            or (glyph_head and named.fullmatch(head.noun.split()[0]))  # "switch the letter to B"
        )
    ):
        ands = list(
            re.finditer(r"\s+(?:and|&)\s+(?=(?:an?|the|some|two|three|his|her|its|their|my|our)\s)", body, re.I)
        )
        if named and not ands:  # "pumpkins and apples": a list of bare plurals
            ands = [a for a in re.finditer(r"\s+(?:and|&)\s+", body, re.I) if named.match(body, a.end())]
        if named and ands and not named.search(body[: ands[-1].start()]):
            # "a carrot nose and a red scarf": the last thing of the list is the one named, the others stay
            kept, body = body[: ands[-1].end()], body[ands[-1].end() :]
        else:
            kept = ""
        new = kept + replace_subject(Part(role=part.role, text=body), edit.value, named=named is not None).text
        parts[i] = part.model_copy(update={"text": (lead.group(0) if lead else "") + new})
        return Scene(parts=parts)
    value = edit.value.strip()
    if re.fullmatch(r"letter|number|digit", bare_target(edit.target), re.I) and re.fullmatch(
        r"(?:(?:the\s+)?(?:letter|number|digit)\s+)?[A-Za-z0-9]", value, re.I
    ):  # "change the letter to B" of "letter A big": the glyph after the word, whatever follows it
        glyph = value.split()[-1]
        glyph = glyph.upper() if glyph.isalpha() else glyph
        swapped = re.sub(r"\b(letter|number|digit)\s+[A-Za-z0-9]\b", rf"\g<1> {glyph}", part.text, count=1, flags=re.I)
        parts[i] = part.model_copy(update={"text": swapped})
        return Scene(parts=parts)
    bare = re.sub(r"^(?:the|a|an|her|his|its|their)\s+", "", edit.target.strip(), flags=re.I)
    glyph = re.fullmatch(r"[A-Za-z0-9]", bare) is not None  # "A" the letter, never "a" the article
    one = singular(bare)
    # "the blueberries" of "blueberry pancakes": the word said as a modifier, in its singular
    word = (
        re.escape(bare.upper())
        if glyph
        else (rf"(?:{re.escape(bare)}|{re.escape(one)})" if one != bare else re.escape(bare)) + "(?:e?s)?"
    )
    article = "" if class_of(bare) else r"(?:(?:an?|the)\s+)?"  # "a marble statue" -> "a bronze statue"
    first = re.sub(r"^(?:an?|the)\s+", "", value, flags=re.I).split()
    if article and (
        re.match(r"^(?:an?|the)\s+[\w-]+\s+[\w-]+", value, re.I)
        or (len(first) > 1 and class_of(first[0]) in ("colour", "material"))
    ):
        # a value described in full ("a weeping willow", "black leather vest") takes the old thing's describing words
        # with it ("an oak tree", "a green leather armchair"); a bare one ("a kite") lets "a red ball" stay red
        one = r"(?!(?:an?|the|of|in|on|from|with|and|at|by|to|under|over|near)\b)(?![\w-]{3,}(?:ing|ed)\s)[\w-]+\s+"
        own = class_of(first[0]) in ("colour", "material")  # its own colour or stuff: the old one's goes, however many
        article = rf"(?:(?:an?|the)\s+(?:{one}){{0,{3 if own else 1}}})?"
        if own:
            article = rf"(?:{article}|(?:{one}){{0,2}})"
    m = re.search(
        rf"(?<![\w-]){article}(?-i:{word})(?![\w-])" if glyph else rf"(?<![\w-]){article}{word}(?![\w-])",
        part.text,
        re.I,
    )
    if m is None:
        return scene
    start, end = m.start(), m.end()
    modifier = re.match(r"\s+(?P<n>[a-z][\w-]*)", part.text[end:])
    if one != bare and re.search(rf"\b{re.escape(one)}$", m.group(0), re.I) and modifier:
        if modifier["n"].lower() in _PORTIONS:  # "watermelon slices" made pencils: the pencils, whole
            end += modifier.end()
        else:
            value = singular(value)  # "strawberry pancakes", not "strawberries pancakes"
    holder = re.search(r"(?<![\w-])(?:an?|the|some)\s+[\w-]+\s+of\s+$", part.text[:start], re.I)
    held = bool(holder and re.match(r"^(?:an?\s+|some\s+)?[\w-]+\s+of\s+\S", value, re.I))
    if held:  # "a cup of coffee" -> "a glass of whiskey", not "a cup of glass of whiskey"; the value's article stands
        start = holder.start()
    after = re.match(r"\s+([\w-]+)", part.text[end:])
    if after and after.group(1).lower() in value.lower().split():  # "oak tree" -> "cherry tree", not "cherry tree tree"
        end += after.end()
    if not held and (class_of(edit.target.strip()) or not re.match(r"^(?:an?|the)\s", m.group(0), re.I)):
        value = re.sub(r"^(?:an?|the)\s+", "", value, flags=re.I)  # "green" -> "red"; "of ramen" -> "of sushi"
    elif not held and not re.match(r"^(?:an?|the|some|\d+)\s", value, re.I):
        value = with_article(value)
    before = part.text[:start]
    if value[:1].isalpha():  # "a purple background" -> "an orange one"
        before = article_for(before, value)
    parts[i] = part.model_copy(update={"text": before + value + part.text[end:]})
    return Scene(parts=parts)


# Words that say how a scene or thing is, never what it is: as a "new subject" they would replace the subject.
_HOW = frozenset(
    """quiet empty busy crowded minimal minimalist simple cozy cosy calm peaceful abandoned overgrown ruined ancient
    futuristic vintage retro clean messy tidy colorful colourful realistic scary spooky elegant fancy luxurious rustic
    magical dreamy moody epic detailed cluttered deserted lively""".split()
)
_DEGREE = frozenset("almost very more less really quite so too a an bit little".split())


def no_thing(value: str) -> Edit | None:
    """The edit a bare value names when it names no thing: a framing ("wide angle") or how things are ("quiet, almost
    empty", "overgrown", "sleeping"); None for a thing."""
    v = re.sub(r"[\s,.!]*(?:please|pls|plz)?[\s.!]*$", "", value.strip(), flags=re.I)
    if COMPOSITION.fullmatch(v):
        return Edit(op="set", slot="composition", value=v)
    if re.match(
        r"^(?:(?:a\s+)?(?:little\s+|tiny\s+)?bit\s+|much\s+|way\s+|even\s+)?(?:more\s+|less\s+)?like\s+\S", v, re.I
    ):
        return Edit(op="add", slot="words", value=v)  # "a bit more like a birthday card": a likeness, no new subject
    words = [w.lower() for w in re.findall(r"[\w-]+", v)]
    said = [w for w in words if w not in _DEGREE]
    if said and all(w in _HOW for w in said):
        return Edit(op="set", slot="quality", value=re.sub(r"^(?:an?|the)\s+", "", v, flags=re.I))
    if len(words) == 1 and re.fullmatch(r"[a-z]{3,}(?:ing|ed)", words[0]) and class_of(words[0]) is None:
        return Edit(op="set", slot="quality", value=words[0])  # "sleeping": how the subject is
    return None


def _said_with(scene: Scene, edit: Edit) -> int | None:
    """The part where the target stands right after a word of the edit's class, when the first part naming it has
    none: the thing was described there."""
    first = find_part(scene, edit.target)
    words = "|".join(map(re.escape, CLASSES[edit.slot]))
    described = re.compile(rf"\b(?:{words})\s+{target_rx(edit.target).pattern}", re.I)  # built once, not per part
    if first is None or described.search(scene.parts[first].text):
        return None
    return next((i for i, p in enumerate(scene.parts) if i != first and described.search(p.text)), None)


def _meant(scene: Scene, subject: int, value: str) -> str | None:
    """The phrase an unnamed replacement stands in for, when by meaning it is not the main subject."""
    from graphs.reading.closest import closest

    body = LEAD.sub("", scene.parts[subject].text)
    ph = phrase(body)
    if not ph.noun or class_of(bare_target(value)) or re.fullmatch(r"[A-Za-z0-9]", bare_target(value)):
        return None  # a colour or a glyph is no thing of its own
    named = phrase(with_article(bare_target(value))).noun.lower().split()[-1:]
    if (
        ph.noun.lower() in HOLDERS
        and re.match(r"of\s+\S", ph.tail, re.I)
        and not (named and re.search(rf"\b{re.escape(singular(named[0]))}", scene.render().replace(ph.tail, ""), re.I))
    ):  # "make it udon" of "a bowl of ramen ...": what the bowl holds, which `replace_subject` finds ("only one egg"
        return None  # of its two eggs is those eggs)
    whole = re.sub(r"^.*?\bof\s+", "", body) if ph.frame else body  # "a photo of a fox" is about the fox
    found = closest(value, scene.render(), ph.noun, whole=whole, frame=ph.frame)
    return found if found and find_part(scene, found) is not None else None


def _named_by_meaning(scene: Scene, target: str) -> str | None:
    """The phrase of the prompt a word the prompt does not have stands for ("the animal" -> "cat"), or None."""
    from graphs.reading.closest import nearest

    return nearest(bare_target(target), scene.render())


def _renamed(scene: Scene, target: str) -> str | None:
    """The phrase a replaced thing named by another word stands for ("the bird" of "a tabby cat and a parrot"): one
    of the subject phrase, or one elsewhere when the main subject is not of that kind too ("the bird" of an owl with
    detailed feathers is the owl); None to let the main subject be replaced."""
    from graphs.reading.closest import close_to

    first = scene.first("subject")
    if (short := clipped(scene, target)) is not None:
        return short  # "the sub" of a submarine
    if class_of(bare_target(target)) or first is None or not (named := _named_by_meaning(scene, target)):
        return None
    if find_part(scene, named) == first:
        return named
    return None if close_to(bare_target(target), phrase(LEAD.sub("", scene.parts[first].text)).noun) else named


def _swap_colours(scene: Scene, value: str, target: str) -> Scene:
    """Exchange the colours of two parts: the subject and the background, or two named things."""
    parts = list(scene.parts)
    names = [n for n in (target, value) if n]
    first = scene.first("subject")
    if len(names) == 2 and not {n.lower() for n in names} & {"background", "backdrop"}:
        a, b = subject_index(scene, names[0]), subject_index(scene, names[1])
        if a is not None and a == b and (swapped := swap_before(parts[a].text, names)):
            parts[a] = parts[a].model_copy(update={"text": swapped})  # "a ginger cat and a black dog"
            return Scene(parts=parts)
    elif (
        not names
        and first is not None
        and re.search(r"\band\b", parts[first].text)
        and (len(words_of("colour", parts[first].text)) == 2)
    ):  # "a green triangle and an orange circle": the two things' colours, not a thing's and the background's
        a = b = first
    else:
        a = subject_index(scene, names[0] if names and names[0].lower() not in ("background", "backdrop") else "")
        b = scene.first("background")
        if b is None:  # "a red car in front of a blue house": the next part with a colour
            b = next((i for i, p in enumerate(parts) if i != a and words_of("colour", p.text)), None)
    if a is None or b is None or a == b:
        subj = parts[a] if a is not None else None
        cols = words_of("colour", subj.text) if subj else []
        if subj and len(cols) >= 2:  # "red and white stripes": swap the two named colours
            text = re.sub(rf"\b{cols[0]}\b", "\0", subj.text, count=1)
            text = re.sub(rf"\b{cols[1]}\b", cols[0], text, count=1).replace("\0", cols[1])
            text = re.sub(  # "a green triangle and an orange circle" -> "an orange triangle and a green circle"
                rf"\b(?P<a>an?)\s+(?P<c>{cols[0]}|{cols[1]})\b",
                lambda m: ("an " if m["c"][0].lower() in "aeiou" else "a ") + m["c"],
                text,
            )
            parts[a] = subj.model_copy(update={"text": text})
        return Scene(parts=parts)
    ca, cb = words_of("colour", parts[a].text), words_of("colour", parts[b].text)
    if not ca or not cb:
        return Scene(parts=parts)
    parts[a] = parts[a].model_copy(update={"text": replace_class_word(parts[a].text, "colour", cb[0])})
    parts[b] = parts[b].model_copy(update={"text": replace_class_word(parts[b].text, "colour", ca[0])})
    return Scene(parts=parts)


_LEFTOVER = re.compile(
    r"^(?:(?:its|it|as|also|is|are|was|were|i|i[’']?m|i[’']?d|rather|she|he|they|make|add|put|and)\b[\s,]*)+", re.I
)


def apply_edit(scene: Scene, edit: Edit, style_words=None) -> Scene:
    parts = list(scene.parts)
    if edit.op == "swap":
        return _swap_colours(scene, edit.value, edit.target)
    if edit.op == "remove":
        return remove(scene, edit.target or edit.value)
    if edit.op == "add" and edit.slot == "words":  # no slot of its own: the words, as said, after the rest
        return Scene(parts=[*parts, Part(role="extra", text=edit.value.strip(" ,.!?"), sep=", ")])
    if edit.op == "add" and (counted := one_more(scene, edit.value)) is not None:
        return counted  # "add another apple" of "an apple": two apples
    if edit.op == "add":
        # a reader's leftover words before the thing ("its mother", "as a noir shot", "she hold a teddy bear"), and
        # nothing at all after them ("with an it"): no thing to draw
        text = _LEFTOVER.sub("", edit.value.strip())
        if not re.search(r"[a-z]{3}|\b[A-Z0-9]\b", text, re.I):
            return scene
        if _DOING.match(text) and not re.match(r"^\w+ing\s+(?:of|and)\b", text):  # "holding a cup of tea"
            return Scene(parts=[*parts, Part(role="extra", text=text, sep=", ")])
        text = text if re.match(r"^(?:with|and|plus)\b", text, re.I) else f"with {with_article(text)}"
        # Appended, so every word already there stays where the user put it.
        parts.append(Part(role="extra", text=re.sub(r"^(?:and|plus)\s+", "with ", text, flags=re.I), sep=", "))
        return Scene(parts=parts)
    if (
        edit.op in ("replace", "set")
        and edit.slot in ("colour", "material", "size")
        and (said := quality_of(scene, edit))
    ):
        return said  # "the green background black": the word of that class in the named phrase, the thing kept
    if (
        edit.op == "set"
        and edit.slot == "material"
        and colour_and_stuff(edit.value)
        and class_of(bare_target(edit.target)) != "material"  # "the stone white marble": the stone is the stuff
    ):
        # "the sofa should be green velvet": a colour said with the stuff takes the old colour's place ("a red sofa"
        # -> "a green velvet sofa"), not a second colour before it
        edit = edit.model_copy(update={"slot": "colour"})
    if edit.slot == "subject" or edit.op == "replace":
        if edit.slot in SCENE_CLASSES + ("background", "place", "style", "lighting", "composition"):
            return set_scene(scene, edit.slot, edit.value)
        return _replace(scene, edit)
    if edit.slot == "colour" and edit.op == "set":
        edit = colour_named(edit)
        if edit.op == "replace":  # "make the red ones blue": that colour, where it stands
            return _replace(scene, edit)
        if edit.target.lower() in ("both", "all", "each"):  # "make both white": every thing's colour
            return colour_all(scene, edit.value)
    if edit.slot in SUBJECT_CLASSES and (m := re.fullmatch(r"(?:the\s+)?(\w+)\s+ones?", edit.target.strip(), re.I)):
        if class_of(m[1]) == edit.slot and re.search(rf"\b{m[1]}\b", scene.render(), re.I):
            # "make the small one bigger": that word where it stands
            return _replace(scene, Edit(op="replace", slot=edit.slot, target=m[1], value=edit.value))
    if edit.slot in SUBJECT_CLASSES and (at := position(scene.render(), edit.target)):
        if class_of(at) == edit.slot:  # "right one cobalt": the colour said beside the place
            return _replace(scene, Edit(op="replace", slot=edit.slot, target=at, value=edit.value))
        edit = edit.model_copy(update={"target": at})  # "the one on the left" of "a red circle on the left"
    if edit.slot in SUBJECT_CLASSES or edit.slot == "quality":
        i = find_part(scene, edit.target) if edit.target else scene.first("subject")
        if i is not None and edit.target and edit.slot in CLASSES and (said := _said_with(scene, edit)) is not None:
            i = said  # "door to dark green" of "a round door ..., yellow door": the door that has a colour
        if (
            i is None
            and edit.target
            and (named := clipped(scene, edit.target) or _named_by_meaning(scene, edit.target))
        ):
            edit = edit.model_copy(update={"target": named})  # "the animal should be orange" of a black cat
            i = find_part(scene, named)
        if i is None and bare_target(edit.target).lower() in KIND_WORDS:
            i = scene.first("subject")  # "same shape but orange": the shape drawn is the subject
        if i is None and edit.target:  # "and her coat yellow" with no coat in the prompt: add the coloured thing
            return apply_edit(scene, Edit(op="add", slot="thing", value=f"{edit.value} {edit.target}"), style_words)
        if i is None:
            return scene
        if edit.slot in _APART and not words_of(edit.slot, parts[i].text) and (j := _said_apart(parts, i, edit.slot)):
            # "letter R, red, on yellow", "a tram in lisbon, yellow", "holographic HUD in cyan", "stripes, vertical":
            # the thing's colour or orientation said apart from it
            said = replace_class_word(parts[j].text, edit.slot, edit.value) if parts[j].role != "extra" else None
            parts[j] = parts[j].model_copy(update={"text": said or edit.value})
            return Scene(parts=parts)
        if edit.target and edit.slot in ("colour", "material") and i + 1 < len(parts) and parts[i + 1].sep == " ":
            # "a vase in glass" read as a vase and where it is: the stuff said after it is the vase's
            both = Part(role=parts[i].role, text=f"{parts[i].text} {parts[i + 1].text}")
            after = finish_after(both, edit.slot, edit.value, bare_target(edit.target))
            if after is not None and after.text.startswith(f"{parts[i].text} "):
                parts[i + 1] = parts[i + 1].model_copy(update={"text": after.text[len(parts[i].text) + 1 :]})
                return Scene(parts=parts)
        parts[i] = set_attribute(parts[i], edit.slot, edit.value, bare_target(edit.target))
        if edit.target and (
            (edit.slot == "material" and edit.value.strip().lower() in _CLEAR)
            or (edit.slot == "quality" and edit.value.strip().lower() in _ALL_OVER)
        ):
            parts[i] = _colourless(parts[i], edit.value.strip(), bare_target(edit.target))
        return Scene(parts=parts)
    if edit.slot == "style":
        return describe(merge_style(scene.render(), edit.value), style_words)
    if edit.slot == "thing":
        return apply_edit(scene, edit.model_copy(update={"op": "add"}), style_words)
    if (
        edit.slot == "weather"
        and (sky := bare_target(edit.target).lower()) in _SKY_NOUNS
        and " " not in edit.value.strip()
    ):
        if (said := weather_of(scene, sky, edit.value.strip())) is not None:
            return said  # "make the sea stormy": a stormy sea, the other parts as they were
        edit = edit.model_copy(update={"value": f"{edit.value.strip()} {sky}"})  # "and the sky stormy": a stormy sky
    return set_scene(scene, edit.slot, edit.value)


_IN_COLOUR = re.compile(rf"in\s+(?:{COLOUR_WORDS})(?:\s+and\s+(?:{COLOUR_WORDS}))?", re.I)
_APART = ("colour", "orientation")


def _said_apart(parts: list[Part], i: int, cls: str) -> int | None:
    """The part after part `i` that says its colour (or orientation): the bare word, after a place at most ("a tram
    in lisbon, yellow"), or "in cyan" right after it; None when there is none."""
    words = "|".join(sorted(CLASSES[cls], key=len, reverse=True))
    bare = re.compile(rf"(?:{words})(?:\s+and\s+\w+)?", re.I)
    j = i + 1
    if j < len(parts) and cls == "colour" and _IN_COLOUR.fullmatch(parts[j].text.strip()):
        return j
    if j < len(parts) and parts[j].role == "place" and not words_of(cls, parts[j].text):
        j += 1
    if j < len(parts) and parts[j].role == "extra" and bare.fullmatch(parts[j].text.strip()):
        return j
    return None


# A thing of these is no colour: "the umbrella should be transparent" of a red umbrella is a clear one.
_CLEAR = frozenset("transparent see-through clear colourless colorless".split())


# A pattern that covers a thing takes its colour's place: "the parka should be camo" of an orange parka.
_ALL_OVER = PATTERNS | frozenset("camo camouflage leopard tie-dye".split())


def _colourless(part: Part, value: str, target: str) -> Part:
    """The colour said with `target` ("a red transparent umbrella", "umbrella yellow") gone."""
    thing = target_rx(target).pattern
    text = re.sub(rf"(?<![\w-])(?:{COLOUR_WORDS})\s+(?={re.escape(value)}\s+{thing})", "", part.text, flags=re.I)
    text = re.sub(rf"(?<={re.escape(value)}\s)({thing})\s+(?:{COLOUR_WORDS})(?![\w-])", r"\1", text, flags=re.I)
    if m := re.search(rf"\b(?:an?)\s+(?={re.escape(value)}\b)", text, re.I):  # "an orange camo parka" -> "a camo parka"
        text = article_for(text[: m.end()], value) + text[m.end() :]
    return part.model_copy(update={"text": text})


_SKY_NOUNS = frozenset("sky sea ocean lake water day night morning afternoon evening weather".split())


def weather_of(scene: Scene, noun: str, value: str) -> Scene | None:
    """The scene with `value` said before its `noun` ("the sea" -> "the stormy sea"), replacing a weather word there;
    None when the scene does not name the noun."""
    parts = list(scene.parts)
    for i, p in enumerate(parts):
        m = re.search(rf"\b(?:(?P<w>[\w-]+)\s+)?{re.escape(noun)}\b", p.text, re.I)
        if not m:
            continue
        start = m.start("w") if m["w"] and class_of(m["w"]) == "weather" else m.end() - len(noun)
        before = p.text[:start]
        if re.search(r"storm|rain|snow|wind|fog|mist", value, re.I):  # a stormy sea is not calm or sunny
            before = re.sub(r"\b(?:(?:calm|sunny|clear)\s+)+(?:blue\s+)?$|\bblue\s+$", "", before, flags=re.I)
        parts[i] = p.model_copy(update={"text": before + f"{value} " + p.text[m.end() - len(noun) :]})
        return Scene(parts=parts)
    return None


def apply_edits(prompt: str, edits: list[Edit], style_words=None) -> str:
    """The prompt with every edit applied in order; unedited parts keep their words. An edit said twice is applied
    once ("... starts with B, so the letter B please" is one B, not "with a B, with a B")."""
    scene = describe(prompt, style_words)
    once = {(e.op, e.slot, e.target.lower(), e.value.lower()): e for e in reversed(edits)}
    edits = [e for e in edits if once.get((e.op, e.slot, e.target.lower(), e.value.lower())) is e]
    for edit in _two_colours(edits):
        scene = apply_edit(scene, edit, style_words)
    return sky_after(scene, edits).render()


def _two_colours(edits: list[Edit]) -> list[Edit]:
    """ "could the cushions be mustard and teal", "make them blue and yellow": two colours set on one thing in a row
    are its two colours, not the second in place of the first."""
    out: list[Edit] = []
    for e in edits:
        last = out[-1] if out else None
        if last and e.op == last.op == "set" and e.slot == last.slot == "colour" and e.target == last.target:
            out[-1] = last.model_copy(update={"value": f"{last.value} and {e.value}"})
        else:
            out.append(e)
    return out
