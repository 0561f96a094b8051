"""Refinements as operations on a scene's slots: set, replace, add, remove, swap.

The rule reader (graphs.chat.changes) and the LLM (`TurnIntent.edits`) both produce `Edit`s; `apply_edits` is the one
place they change a prompt, so both are measured on the same thing and either can stand in for the other.
"""

from __future__ import annotations

import re

from graphs.llm.schemas import Edit
from graphs.reading.forms import plural, singular, with_article
from graphs.reading.rules import STYLE_PATTERNS
from graphs.reading.scene import (
    CLASSES,
    COLOUR_WORDS,
    DOING_WORD,
    KEPT_ADJECTIVES,
    SCENE_CLASSES,
    SUBJECT_CLASSES,
    Part,
    Phrase,
    Scene,
    class_of,
    describe,
    phrase,
    tidy,
    words_of,
)
from graphs.reading.targets import bare_target, colour_named, position, swap_before


def _target_rx(target: str) -> re.Pattern[str]:
    t = re.sub(r"^(?:the|a|an|her|his|its|their)\s+", "", target.strip(), flags=re.I)
    if re.fullmatch(r"[A-Za-z0-9]", t):  # a glyph: "A" is the letter, never the article
        return re.compile(rf"(?<![\w-]){re.escape(t.upper())}(?![\w-])")
    return re.compile(rf"(?<![\w-]){re.escape(t)}(?:e?s)?(?![\w-])", re.I)


def _find(scene: Scene, target: str) -> int | None:
    """The part that names `target` (subjects first), or None."""
    if not target.strip():
        return None
    rx = _target_rx(target)
    order = sorted(range(len(scene.parts)), key=lambda i: scene.parts[i].role not in ("subject", "extra"))
    return next((i for i in order if rx.search(scene.parts[i].text)), None)


def _subject_index(scene: Scene, target: str) -> int | None:
    found = _find(scene, target)
    return found if found is not None else scene.first("subject")


def _replace_class_word(text: str, cls: str, value: str) -> str | None:
    """`text` with its words of class `cls` (a run such as "red and white" counts as one) replaced by `value`."""
    vocab = CLASSES[cls]
    tokens = text.split(" ")
    idx = [i for i, w in enumerate(tokens) if w.lower().strip(",.") in vocab]
    if not idx:
        return None
    first, last = idx[0], idx[0]
    for i in idx[1:]:  # a run of class words joined by "and" or commas
        if all(tokens[j].lower() in ("and", "&", "or") for j in range(last + 1, i)) and i - last <= 2:
            last = i
        else:
            break
    if first and tokens[first - 1].lower() in ("a", "an"):  # "an autumn forest" -> "a winter forest"
        tokens[first - 1] = (
            ("an" if value[:1].lower() in "aeiou" else "a").capitalize()
            if tokens[first - 1][0].isupper()
            else ("an" if value[:1].lower() in "aeiou" else "a")
        )
    return " ".join(tokens[:first] + [value] + tokens[last + 1 :])


_LEAD = re.compile(r"^(?:with|and|on|in|at|under|over|near|by|beside|against|inside|behind)\s+", re.I)


def _set_subject_attribute(part: Part, cls: str, value: str, target: str = "") -> Part:
    if target:  # the word of the class right before the named thing: "a red car in front of a blue house"
        m = re.search(rf"(?<![\w-])(?P<w>[\w-]+)\s+(?={re.escape(target)})", part.text, re.I)
        if m and class_of(m["w"]) == cls:
            before = part.text[: m.start("w")]
            if re.search(r"(?:^|\s)an?\s$", before, re.I):  # "a black cat" -> "an orange cat"
                before = re.sub(r"\ban?\s$", ("an " if value[:1].lower() in "aeiou" else "a "), before, flags=re.I)
            return part.model_copy(update={"text": before + value + part.text[m.end("w") :]})
        at = re.search(  # "letter M black": a glyph between the thing and its colour
            rf"(?<![\w-]){re.escape(target)}(?:e?s)?(?![\w-])(?:\s+(?:[A-Z0-9]\s+)?(?P<after>[\w-]+))?", part.text, re.I
        )
        head = phrase(_LEAD.sub("", part.text)).noun.lower().split()
        if at and target.lower() not in head and not class_of(target):  # "a knight fighting a dragon": the dragon
            if at["after"] and class_of(at["after"]) == cls:  # "a triangle blue" -> "a triangle green"
                return part.model_copy(update={"text": part.text[: at.start("after")] + value + part.text[at.end() :]})
            start = _compound_start(part.text, at.start())
            before = part.text[:start]
            was = re.search(r"(?<![\w-])(?P<w>[\w-]+)\s+$", before)
            if was and class_of(was["w"]) == cls:  # "a red hibiscus flower": the flower's colour, not a second one
                before = before[: was.start("w")]
                if re.search(r"(?:^|\s)an?\s$", before, re.I):
                    before = re.sub(r"\ban?\s$", ("an " if value[:1].lower() in "aeiou" else "a "), before, flags=re.I)
                return part.model_copy(update={"text": before + value + " " + part.text[start:]})
            if re.search(r"(?:^|\s)an?\s$", before, re.I):  # "an octopus" -> "a coral pink octopus"
                before = re.sub(r"\ban?\s$", ("an " if value[:1].lower() in "aeiou" else "a "), before, flags=re.I)
            return part.model_copy(update={"text": before + value + " " + part.text[start:]})
    if cls not in CLASSES:  # a quality of no known class ("ginger"): added before the thing, nothing replaced
        lead = _LEAD.match(part.text)
        ph = phrase(part.text[lead.end() :] if lead else part.text)
        if ph.noun:  # "with two towers" -> "with two taller towers"
            mods = [*ph.mods, value]
            return part.model_copy(
                update={"text": (lead.group(0) if lead else "") + ph.model_copy(update={"mods": mods}).render()}
            )
        return part.model_copy(update={"text": f"{value} {part.text}" if not lead else part.text})
    replaced = _replace_class_word(part.text, cls, value)
    if replaced is not None:
        return part.model_copy(update={"text": replaced})
    lead = _LEAD.match(part.text)
    if lead:
        inner = _set_subject_attribute(Part(role=part.role, text=part.text[lead.end() :]), cls, value)
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


def _compound_start(text: str, at: int) -> int:
    """Where the noun compound ending at `at` begins: "a chess board" -> before "chess", so "a wooden chess board"."""
    from graphs.reading.closest import is_break

    while True:
        m = re.search(r"([\w'-]+)\s+$", text[:at])
        if not m or is_break(m.group(1)) or class_of(m.group(1)):
            return at
        at = m.start(1)


_NUMBERS = frozenset("two three four five six seven eight nine ten several many some few".split())
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


def _replace_subject(part: Part, value: str) -> Part:
    if (counted := _recount(part, value)) is not None:
        return counted
    old, new = phrase(part.text), phrase(with_article(value))
    kept = [m for m in old.mods if class_of(m) in SUBJECT_CLASSES or m.lower() in ("and",) or m.lower() in _KEEP]
    if any(class_of(m) == "colour" for m in new.mods):
        kept = [m for m in kept if class_of(m) != "colour"]
    if new.mods and class_of(new.mods[0]) in ("colour", "material"):  # "denim shirt" -> "black turtleneck": its own
        kept = [m for m in kept if class_of(m) not in ("colour", "material")]
    if not re.search(r"stripe|line|band", new.noun, re.I):  # orientation belongs to stripes
        kept = [m for m in kept if class_of(m) != "orientation"]
    mods = [*kept, *new.mods] if new.mods else kept
    noun = new.noun
    glyph = re.match(r"^(letter|number|digit)\s+\S$", old.noun, re.I)
    if glyph and re.fullmatch(r"[A-Za-z0-9]", noun):  # "the letter E" -> "make it an F" -> "the letter F"
        noun = f"{glyph.group(1)} {noun.upper()}"
    det = old.det if old.det.lower() == "the" or not new.det or glyph else new.det  # "letter Z" -> "letter X"
    out = Phrase(frame=old.frame, det=det, mods=_clean_mods(mods), noun=noun, tail=new.tail or old.tail)
    return part.model_copy(update={"text": out.render()})


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


def _landscape(text: str) -> bool:
    from graphs.reading.rules import mentions_subject

    return mentions_subject(text) == ["landscape"]


_DOING = re.compile(rf"{DOING_WORD}(?:\s+(?:down|up|back|over|around))?", re.I)


def _replace(scene: Scene, edit: Edit) -> Scene:
    """`value` where `target` was: the head of a subject phrase keeps its attributes ("a green triangle" -> "a green
    star"); a word elsewhere ("a bowl of ramen", "riding a horse", "green and black stripes") is swapped in place."""
    parts = list(scene.parts)
    i = _find(scene, edit.target) if edit.target else None
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
    named = _target_rx(edit.target) if edit.target else None
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
        new = _replace_subject(Part(role=part.role, text=body), edit.value).text
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
    word = re.escape(bare.upper()) if glyph else re.escape(bare) + "(?:e?s)?"
    article = "" if class_of(bare) else r"(?:(?:an?|the)\s+)?"  # "a marble statue" -> "a bronze statue"
    first = re.sub(r"^(?:an?|the)\s+", "", value, flags=re.I).split()
    if article and (
        re.match(r"^(?:an?|the)\s+[\w-]+\s+[\w-]+", value, re.I)
        or (len(first) > 1 and class_of(first[0]) in ("colour", "material"))
    ):
        # a value described in full ("a weeping willow", "black leather vest") takes the old thing's describing words
        # with it ("an oak tree", "a green leather armchair"); a bare one ("a kite") lets "a red ball" stay red
        one = r"(?!(?:an?|the|of|in|on|from|with|and|at|by|to|under|over|near)\b)(?![\w-]+(?:ing|ed)\s)[\w-]+\s+"
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
    after = re.match(r"\s+([\w-]+)", part.text[end:])
    if after and after.group(1).lower() in value.lower().split():  # "oak tree" -> "cherry tree", not "cherry tree tree"
        end += after.end()
    if class_of(edit.target.strip()) or not re.match(r"^(?:an?|the)\s", m.group(0), re.I):
        value = re.sub(r"^(?:an?|the)\s+", "", value, flags=re.I)  # "green" -> "red"; "of ramen" -> "of sushi"
    elif not re.match(r"^(?:an?|the|some|\d+)\s", value, re.I):
        value = with_article(value)
    parts[i] = part.model_copy(update={"text": part.text[:start] + value + part.text[end:]})
    return Scene(parts=parts)


def _meant(scene: Scene, subject: int, value: str) -> str | None:
    """The phrase an unnamed replacement stands in for, when by meaning it is not the main subject."""
    from graphs.reading.closest import closest

    body = _LEAD.sub("", scene.parts[subject].text)
    ph = phrase(body)
    if not ph.noun or class_of(bare_target(value)) or re.fullmatch(r"[A-Za-z0-9]", bare_target(value)):
        return None  # a colour or a glyph is no thing of its own
    whole = re.sub(r"^.*?\bof\s+", "", body) if ph.frame else body  # "a photo of a fox" is about the fox
    found = closest(value, scene.render(), ph.noun, whole=whole, frame=ph.frame)
    return found if found and _find(scene, found) is not None else None


def _named_by_meaning(scene: Scene, target: str) -> str | None:
    """The phrase of the prompt a word the prompt does not have stands for ("the animal" -> "cat"), or None."""
    from graphs.reading.closest import nearest

    return nearest(bare_target(target), scene.render())


def _scene_part(slot: str, value: str) -> Part:
    v = value.strip()
    low = v.lower()
    if slot == "background":
        if words_of("colour", v) and len(v.split()) <= 3:
            return Part(role="background", text=f"on {with_article(v)} background", sep=" ")
        return Part(role="background", text=v if "background" in low else f"with a {v} background", sep=", ")
    if slot == "place":
        if re.match(r"^(?:on|in|at|by|under|over|inside|near|beside|underwater|outside|indoors|outdoors)\b", low):
            return Part(role="place", text=v, sep=" ")
        return Part(role="place", text=f"{_place_preposition(low)} {with_article(v)}", sep=" ")
    if slot == "time":
        if re.match(r"^(?:at|during|in)\b", low):
            return Part(role="time", text=v, sep=" ")
        word = low.split()[-1]
        if word in ("day", "morning", "evening", "afternoon", "night") and len(low.split()) > 1:  # "a calm sunny day"
            return Part(role="time", text=f"on {with_article(v)}", sep=" ")
        return Part(
            role="time", text=("in the " if word in ("morning", "evening", "afternoon") else "at ") + v, sep=" "
        )
    if slot == "weather":
        if re.match(r"^(?:in|during|on)\b", low):
            return Part(role="weather", text=v, sep=" ")
        if low in ("raining", "snowing", "pouring"):  # the user's own word: ", raining"
            return Part(role="weather", text=low, sep=", ")
        noun = {
            "rainy": "rain",
            "snowy": "snow",
            "snowing": "snow",
            "foggy": "fog",
            "misty": "mist",
            "stormy": "a storm",
            "storm": "a storm",
        }.get(low, v)
        return Part(role="weather", text=f"in the {noun}" if not noun.startswith("a ") else f"in {noun}", sep=" ")
    if slot == "season":
        return Part(role="season", text=v if low.startswith(("in ", "during ")) else f"in {v}", sep=" ")
    if slot == "style":
        return Part(role="style", text=v, sep=", ")
    return Part(role="lighting" if slot == "lighting" else "composition", text=v, sep=", ")


def _place_preposition(place: str) -> str:
    head = place.split()[-1] if place.split() else ""
    return (
        "on"
        if head
        in (
            "beach",
            "moon",
            "mountain",
            "hill",
            "island",
            "shore",
            "street",
            "road",
            "roof",
            "field",
            "lake",
            "sea",
            "ocean",
            "table",
            "grass",
        )
        else "in"
    )


_DARK = frozenset("night midnight dusk twilight evening sunset nighttime".split())


def _set_scene(scene: Scene, slot: str, value: str) -> Scene:
    parts = list(scene.parts)
    if slot == "weather" and re.search(r"storm|rain|snow|blizzard|wind", value, re.I):  # a storm is not calm or sunny
        parts = [p.model_copy(update={"text": re.sub(r"\b(?:calm|sunny)\s+", "", p.text, flags=re.I)}) for p in parts]
        scene = Scene(parts=parts)
    if slot == "lighting" and re.search(r"\b(?:golden|blue|magic)\s+hour\b", value, re.I):
        scene = Scene(parts=[p for p in parts if p.role != "time"])  # golden hour is the time of day too
        parts = list(scene.parts)
    if slot == "time" and value.lower().split()[-1] in _DARK:  # a night scene is not sunny
        parts = [p.model_copy(update={"text": re.sub(r"\bsunny\s+", "", p.text, flags=re.I)}) for p in parts]
        scene = Scene(parts=parts)
    if (
        slot == "time"
        and (sky := re.fullmatch(r"(?P<w>[\w-]+)\s+sky", value.strip(), re.I))
        and class_of(sky["w"]) == "time"
    ):
        for i, p in enumerate(parts):  # "night sky" of "a sunset over the sea" -> "a night sky over the sea"; of
            said = [w for w in p.text.split() if class_of(w.strip(",.")) == "time"]  # "a sunset sky" -> "a night sky"
            if said:
                sky_after = re.search(rf"\b{re.escape(said[0])}\s+sky\b", p.text, re.I)
                parts[i] = p.model_copy(
                    update={"text": _replace_class_word(p.text, slot, sky["w"] if sky_after else value.strip())}
                )
                return Scene(parts=parts)
    if slot in SCENE_CLASSES and len(value.split()) == 1 and value.lower() in CLASSES[slot]:
        # "make it winter" in "an autumn forest": the season word changes where it stands
        for i, p in enumerate(parts):
            replaced = _replace_class_word(p.text, slot, value)
            if replaced is not None:
                parts[i] = p.model_copy(update={"text": replaced})
                return Scene(parts=parts)
    new = _scene_part(slot, value)
    same = [i for i, p in enumerate(parts) if p.role == slot]
    if slot == "place" and not same:
        same = [i for i, p in enumerate(parts) if p.role == "background"]  # a setting takes the background's place
    if slot == "place" and not same and parts and parts[0].role == "subject" and _landscape(parts[0].text):
        # "the sea at sunset" moved to the desert: the landscape was the place
        parts[0] = parts[0].model_copy(
            update={"text": with_article(re.sub(r"^(?:on|in|at|to)\s+", "", value, flags=re.I))}
        )
        return Scene(parts=parts)
    if slot == "background" and not same:
        same = [
            i
            for i, p in enumerate(parts)
            if p.role == "place" and re.match(r"^(?:against|in\s+front\s+of|behind)\b", p.text, re.I)
        ]
    if slot == "background" and same and words_of("colour", value) and len(value.split()) <= 3:
        replaced = _replace_class_word(parts[same[0]].text, "colour", value)
        if replaced is not None and re.search(r"\b(?:background|backdrop)\b", replaced, re.I):
            parts[same[0]] = parts[same[0]].model_copy(update={"text": replaced})
            return Scene(parts=parts)
    if same:
        parts[same[0]] = new.model_copy(update={"sep": parts[same[0]].sep})
        parts = [p for i, p in enumerate(parts) if i not in same[1:]]
    else:
        at = _insert_at(parts, slot)
        parts.insert(at, new)
    return Scene(parts=parts)


_ORDER = ("subject", "extra", "background", "place", "time", "weather", "season", "lighting", "composition", "style")


def _insert_at(parts: list[Part], slot: str) -> int:
    rank = _ORDER.index(slot) if slot in _ORDER else len(_ORDER)
    for i, p in enumerate(parts):
        if p.role in _ORDER and _ORDER.index(p.role) > rank:
            return i
    return len(parts)


def _swap_colours(scene: Scene, value: str, target: str) -> Scene:
    """Exchange the colours of two parts: the subject and the background, or two named things."""
    parts = list(scene.parts)
    names = [n for n in (target, value) if n]
    first = scene.first("subject")
    if len(names) == 2 and not {n.lower() for n in names} & {"background", "backdrop"}:
        a, b = _subject_index(scene, names[0]), _subject_index(scene, names[1])
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
        a = _subject_index(scene, names[0] if names and names[0].lower() not in ("background", "backdrop") else "")
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
    parts[a] = parts[a].model_copy(update={"text": _replace_class_word(parts[a].text, "colour", cb[0])})
    parts[b] = parts[b].model_copy(update={"text": _replace_class_word(parts[b].text, "colour", ca[0])})
    return Scene(parts=parts)


# What a removed thing's own words may carry in the subject phrase ("wearing a tiny crown").
_QUALITY = "|".join(sorted({*CLASSES["colour"], *CLASSES["size"], *CLASSES["material"], *KEPT_ADJECTIVES}))
_LOCATOR = re.compile(
    r"^(?:in|on|up\s+in|high\s+in|across|above|over)\s+(?:the\s+)?(?:sky|air|background|distance|it|them|top)$", re.I
)


def _remove(scene: Scene, target: str, style_words) -> Scene:
    t = target.lower().strip()
    t = re.sub(r"^(?:the|a|an|all\s+the|some)\s+", "", t)
    if not t:
        return scene
    parts = list(scene.parts)
    for i, p in enumerate(parts):
        if i == scene.first("subject"):
            continue
        if re.search(rf"\b{re.escape(t)}(?:e?s)?\b", p.text, re.I):
            # "with people and umbrellas" loses the people and keeps the umbrellas
            item = rf"(?:an?\s+|the\s+|some\s+)?(?:(?!and\b|with\b)[\w-]+\s+){{0,2}}?{re.escape(t)}(?:e?s)?"
            kept = re.sub(rf"\b{item}\s+and\s+|\s+and\s+{item}\b", "", p.text, count=1, flags=re.I)
            if kept != p.text:
                parts[i] = p.model_copy(update={"text": kept})
                return Scene(parts=parts)
            del parts[i]
            if p.role == "extra" and i < len(parts) and parts[i].sep == " " and _LOCATOR.match(parts[i].text):
                del parts[i]  # "with a rainbow in the sky": where the rainbow was goes with it
            return Scene(parts=parts)
    subject = scene.first("subject")
    if subject is not None:  # "without the hat" of "a cat in a hat and a scarf", or a modifier word
        text = parts[subject].text
        stripped = re.sub(
            rf"(?:\s*,?\s*\b(?:and|with|wearing|holding|carrying)\s+)?\b(?:an?\s+|the\s+|some\s+)?"
            rf"(?:(?:{_QUALITY})\s+)*{re.escape(t)}(?:e?s)?\b",
            "",
            text,
            count=1,
            flags=re.I,
        )
        if stripped != text and stripped.strip():
            parts[subject] = parts[subject].model_copy(update={"text": stripped.strip()})
            return Scene(parts=parts)
    # "no storm" of a "stormy sea", "no clouds" of a "cloudy sky": the word made of it goes, the sea stays
    base = t.rstrip("s") if len(t) > 3 else t
    forms = "|".join(re.escape(f) for f in {f"{base}y", f"{base}{base[-1:]}y", f"{base}ing"})
    for i, p in enumerate(parts):
        if (m := re.search(rf"\b(?:{forms})\b\s*", p.text, re.I)) and len(p.text.split()) > 1:
            parts[i] = p.model_copy(update={"text": (p.text[: m.start()] + p.text[m.end() :]).strip()})
            return Scene(parts=parts)
    parts.append(Part(role="extra", text=f"without {target.strip()}", sep=", "))
    return Scene(parts=parts)


_NIGHT = re.compile(r"\b(?:night|midnight|nighttime|moon|moonlit|moonlight|stars|starry)\b", re.I)
_DAY = re.compile(r"\b(?:day|daytime|daylight|noon|midday|sun|sunny|sunshine|morning|afternoon)\b", re.I)


def _drop_body(scene: Scene, body: str) -> Scene:
    """The scene without its "with the sun" (or moon): a night sky has no sun in it, a daytime one no moon."""
    alone = re.compile(rf"^(?:with|and)\s+(?:the\s+|an?\s+)?(?:[\w-]+\s+)?{body}$", re.I)
    inside = re.compile(rf",?\s+(?:with|and)\s+(?:the\s+|an?\s+)?(?:full\s+|bright\s+)?{body}\b", re.I)
    parts = []
    for p in scene.parts:
        if alone.match(p.text):
            continue
        parts.append(p.model_copy(update={"text": inside.sub("", p.text)}) if p.role != "subject" else p)
    return Scene(parts=parts)


def _sky_after(scene: Scene, edits: list[Edit]) -> Scene:
    """A new time of day or sky body takes the other one's sky body away ("now at night" loses "with the sun");
    once every edit is done, so "the moon instead of the sun" has already put the moon where the sun was."""
    values = " ".join(e.value for e in edits if e.op != "remove" and e.slot != "style")
    night, day = bool(_NIGHT.search(values)), bool(_DAY.search(values))
    return _drop_body(scene, "sun" if night else "moon") if night != day else scene


# Words that name the parts of a pattern or a group by their colour ("the red ones", "the blue squares").
def _colour_all(scene: Scene, value: str) -> Scene:
    """Every colour word of the subject phrase set to `value`: "make both white" of "a red star and a yellow circle"."""
    i = scene.first("subject")
    if i is None or not words_of("colour", scene.parts[i].text):
        return scene
    text = re.sub(
        rf"\b(?P<a>an?\s+)?(?:{COLOUR_WORDS})\b",
        lambda m: (("an " if value[:1].lower() in "aeiou" else "a ") if m["a"] else "") + value,
        scene.parts[i].text,
        flags=re.I,
    )
    parts = list(scene.parts)
    parts[i] = parts[i].model_copy(update={"text": text})
    return Scene(parts=parts)


_MORE = re.compile(
    r"^(?:another|one\s+more|a\s+second|an\s+extra|(?P<k>two|three|four)\s+more)\s+(?P<x>[a-z][\w-]*(?:\s+[a-z][\w-]*)?)$",
    re.I,
)
_COUNT = ("one", "two", "three", "four", "five", "six", "seven", "eight")


def _one_more(scene: Scene, value: str) -> Scene | None:
    """The scene with a thing it has counted up ("another apple" of "an apple" -> "two apples", "two more trees" of
    "a small pine tree" -> "three small pine trees"), or None when the value is not one more of a thing it has."""
    m = _MORE.match(value.strip())
    if not m:
        return None
    more = _COUNT.index(m["k"].lower()) + 1 if m["k"] else 1
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


_LEFTOVER = re.compile(
    r"^(?:(?:its|it|as|also|is|are|was|were|i|i[’']?m|i[’']?d|rather|she|he|they|make|add|put|and)\b[\s,]*)+", re.I
)


def apply_edit(scene: Scene, edit: Edit, style_words=None) -> Scene:
    parts = list(scene.parts)
    if edit.op == "swap":
        return _swap_colours(scene, edit.value, edit.target)
    if edit.op == "remove":
        return _remove(scene, edit.target or edit.value, style_words)
    if edit.op == "add" and (counted := _one_more(scene, edit.value)) is not None:
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
    if edit.op == "replace" and edit.slot in ("colour", "material", "size") and (said := _quality_of(scene, edit)):
        return said
    if (
        edit.op == "set"
        and edit.slot == "material"
        and _colour_and_stuff(edit.value)
        and class_of(bare_target(edit.target)) != "material"  # "the stone white marble": the stone is the stuff
    ):
        # "the sofa should be green velvet": a colour said with the stuff takes the old colour's place ("a red sofa"
        # -> "a green velvet sofa"), not a second colour before it
        edit = edit.model_copy(update={"slot": "colour"})
    if edit.slot == "subject" or edit.op == "replace":
        if edit.slot in SCENE_CLASSES + ("background", "place", "style", "lighting", "composition"):
            return _set_scene(scene, edit.slot, edit.value)
        return _replace(scene, edit)
    if edit.slot == "colour" and edit.op == "set":
        edit = colour_named(edit)
        if edit.op == "replace":  # "make the red ones blue": that colour, where it stands
            return _replace(scene, edit)
        if edit.target.lower() in ("both", "all", "each"):  # "make both white": every thing's colour
            return _colour_all(scene, edit.value)
    if edit.slot in SUBJECT_CLASSES and (m := re.fullmatch(r"(?:the\s+)?(\w+)\s+ones?", edit.target.strip(), re.I)):
        if class_of(m[1]) == edit.slot and re.search(rf"\b{m[1]}\b", scene.render(), re.I):
            # "make the small one bigger": that word where it stands
            return _replace(scene, Edit(op="replace", slot=edit.slot, target=m[1], value=edit.value))
    if edit.slot in SUBJECT_CLASSES and (at := position(scene.render(), edit.target)):
        if class_of(at) == edit.slot:  # "right one cobalt": the colour said beside the place
            return _replace(scene, Edit(op="replace", slot=edit.slot, target=at, value=edit.value))
        edit = edit.model_copy(update={"target": at})  # "the one on the left" of "a red circle on the left"
    if edit.slot in SUBJECT_CLASSES or edit.slot == "quality":
        i = _find(scene, edit.target) if edit.target else scene.first("subject")
        if i is None and edit.target and (named := _named_by_meaning(scene, edit.target)):
            edit = edit.model_copy(update={"target": named})  # "the animal should be orange" of a black cat
            i = _find(scene, named)
        if i is None and edit.target:  # "and her coat yellow" with no coat in the prompt: add the coloured thing
            return apply_edit(scene, Edit(op="add", slot="thing", value=f"{edit.value} {edit.target}"), style_words)
        if i is None:
            return scene
        after = parts[i + 1] if i + 1 < len(parts) else None
        if (
            edit.slot == "colour"
            and not words_of("colour", parts[i].text)
            and after is not None
            and after.role == "extra"
            and re.fullmatch(rf"(?:{COLOUR_WORDS})(?:\s+and\s+\w+)?", after.text.strip(), re.I)
        ):  # "letter R, red, on yellow": the subject's colour said apart from it
            parts[i + 1] = after.model_copy(update={"text": edit.value})
            return Scene(parts=parts)
        parts[i] = _set_subject_attribute(parts[i], edit.slot, edit.value, bare_target(edit.target))
        return Scene(parts=parts)
    if edit.slot == "style":
        return describe(merge_style(scene.render(), edit.value), style_words)
    if edit.slot == "thing":
        return apply_edit(scene, edit.model_copy(update={"op": "add"}), style_words)
    return _set_scene(scene, edit.slot, edit.value)


def _quality_of(scene: Scene, edit: Edit) -> Scene | None:
    """ "replace the red tractor's colour with green": the colour word of the named phrase, the thing kept ("a
    green tractor", "a long grey beard"), not the whole phrase swapped for "green"."""
    words = edit.target.split()
    if len(words) < 2 or class_of(words[-1]) == edit.slot or not any(class_of(w) == edit.slot for w in words):
        return None  # "British racing green" is a shade, no thing of its own
    i = _find(scene, edit.target)
    bare = re.sub(r"^(?:the|a|an)\s+", "", edit.target.strip(), flags=re.I)
    if i is None or (said := _replace_class_word(bare, edit.slot, bare_target(edit.value))) is None:
        return None
    parts = list(scene.parts)
    parts[i] = parts[i].model_copy(update={"text": _target_rx(edit.target).sub(said, parts[i].text, count=1)})
    return Scene(parts=parts)


def _colour_and_stuff(value: str) -> bool:
    classes = [class_of(w) for w in value.strip().split()]
    return len(classes) > 1 and classes[0] == "colour" and set(classes) == {"colour", "material"}


def apply_edits(prompt: str, edits: list[Edit], style_words=None) -> str:
    """The prompt with every edit applied in order; unedited parts keep their words."""
    scene = describe(prompt, style_words)
    for edit in edits:
        scene = apply_edit(scene, edit, style_words)
    return _sky_after(scene, edits).render()


# Words that name a look, not content: "fantasy" and "typography" patterns match dragons, wizards and signs, which
# a style change must keep.
_STYLE_ALTS = "|".join(f"(?:{p})" for k, p in STYLE_PATTERNS.items() if k not in ("fantasy", "typography"))


def strip_styles(prompt: str) -> str:
    """The prompt without its style words (and the 'in ... style' / 'as a ...' around them)."""
    prompt = re.sub(r"(?:,\s*)?\bin\s+the\s+style\s+of\s+[^,]+", "", prompt, flags=re.I)  # an earlier artist
    # "a portrait photo of an old fisherman" keeps "a portrait of": the medium goes, the framing stays
    prompt = re.sub(
        rf"\b(portrait|picture|close-?up|shot|view)\s+(?:{_STYLE_ALTS})\s+of\b", r"\1 of", prompt, flags=re.I
    )
    prompt = re.sub(r"(?:,\s*)?\b[\w-]+(?:\s+[\w-]+)?\s+style\b", "", prompt, flags=re.I)  # "ghibli style"
    out = re.sub(rf"\b(?:an?\s+)?(?:{_STYLE_ALTS})\s+of\s+", "", prompt, flags=re.I)  # "a photo of a fox" -> "a fox"
    out = re.sub(
        rf"(?:,\s*)?\b(?:in\s+(?:an?\s+|the\s+)?|as\s+(?:an?\s+)?)?(?:{_STYLE_ALTS})(?:\s+style)?\b",
        "",
        out,
        flags=re.I,
    )
    return tidy(out)


def merge_style(previous_core: str, style: str) -> str:
    """The previous prompt with its style words replaced by `style`."""
    return tidy(f"{strip_styles(previous_core)}, {style}")
