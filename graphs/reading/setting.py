"""The scene around the things: background, place, time of day, weather, season, lighting, and the sky's sun or moon.

A setting is one part of a scene per slot: a new one takes the old one's place, a single word (a season, a time) is
swapped where it stands.
"""

from __future__ import annotations

import re

from graphs.llm.schemas import Edit
from graphs.reading.attributes import replace_class_word
from graphs.reading.forms import with_article
from graphs.reading.scene import CLASSES, SCENE_CLASSES, Part, Scene, class_of, words_of


def _landscape(text: str) -> bool:
    from graphs.reading.rules import mentions_subject

    return mentions_subject(text) == ["landscape"]


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
        said = re.split(r"\s+(?:and|&)\s+|\s+", re.sub(r"\s+(?:sky|sea|day|weather)$", "", low))
        if low in ("raining", "snowing", "pouring") or all(w in _WEATHER_SAID for w in said):
            return Part(role="weather", text=low, sep=", ")  # the user's own words: ", raining", ", windy and cloudy"
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


# Weather said as how the day is ("make it stormy", "rainy outside"): drawn in those words, not as "in a storm".
_WEATHER_SAID = frozenset(
    "rainy stormy foggy misty cloudy windy sunny overcast hazy drizzly frosty icy breezy snowy wet gloomy".split()
)


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


_PREPS = frozenset("on over across along through above by near beside".split())


def _kept_preposition(old: str, value: str) -> str | None:
    """A new place said without a preposition ("snowy mountains") keeps the old place's "on", "over" or "across"."""
    first = old.split()[0].lower() if old.split() else ""
    if first not in _PREPS or re.match(
        r"^(?:on|in|at|by|under|over|inside|near|beside|to|into)\b", value.strip(), re.I
    ):
        return None
    return f"{first} {with_article(value.strip())}"


def set_scene(scene: Scene, slot: str, value: str) -> Scene:
    if slot in SCENE_CLASSES and (one := re.fullmatch(r"(?:an?|the)\s+(?P<w>[\w-]+)", value.strip(), re.I)):
        if one["w"].lower() in CLASSES[slot]:
            value = one["w"]  # "make it a sunset": the time, said where the old one stood
    parts = list(scene.parts)
    if slot == "weather" and re.search(r"storm|rain|snow|blizzard|wind", value, re.I):  # a storm is not calm or sunny
        parts = [p.model_copy(update={"text": re.sub(r"\b(?:calm|sunny)\s+", "", p.text, flags=re.I)}) for p in parts]
        scene = Scene(parts=parts)
    if slot == "lighting" and re.search(r"\b(?:golden|blue|magic)\s+hour\b", value, re.I):
        scene = Scene(parts=[p for p in parts if p.role != "time"])  # golden hour is the time of day too
        parts = list(scene.parts)
    if slot == "time" and value.lower().split()[-1] in _DARK:  # a night scene is not sunny
        parts = [p.model_copy(update={"text": re.sub(r"\bsunny\s+", "", p.text, flags=re.I)}) for p in parts]
        if value.lower().split()[-1] in ("night", "midnight", "nighttime"):  # nor is its sky blue, nor its day bright
            parts = [
                p.model_copy(update={"text": re.sub(r"\bbright\s+(?=day\b)", "", p.text, flags=re.I)}) for p in parts
            ]
            parts = [p.model_copy(update={"text": _BLUE_SKY.sub("night sky", p.text)}) for p in parts]
        scene = Scene(parts=parts)
    if slot == "season" and value.lower().split()[-1] in ("spring", "summer", "autumn", "fall"):
        scene = _thawed(scene)  # "wait no, autumn" of a bridge in the snow in winter: the snow goes with the winter
        parts = list(scene.parts)
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
                    update={"text": replace_class_word(p.text, slot, sky["w"] if sky_after else value.strip())}
                )
                return Scene(parts=parts)
    if slot in SCENE_CLASSES and len(value.split()) == 1 and value.lower() in CLASSES[slot]:
        # "make it winter" in "an autumn forest": the season word changes where it stands
        for i, p in enumerate(parts):
            replaced = replace_class_word(p.text, slot, value)
            if replaced is not None:
                parts[i] = p.model_copy(update={"text": replaced})
                return Scene(parts=parts)
    new = _scene_part(slot, value)
    same = [i for i, p in enumerate(parts) if p.role == slot]
    if slot == "place" and same and (kept := _kept_preposition(parts[same[0]].text, value)):
        new = new.model_copy(update={"text": kept})  # "a sailboat on a calm lake" made a stormy sea: on it still
    if slot == "place" and not same:  # "a husky playing in the snow" put on a beach: the snow was the ground
        same = [i for i, p in enumerate(parts) if p.role != "subject" and _ON_SNOW.fullmatch(p.text.strip())]
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
        replaced = replace_class_word(parts[same[0]].text, "colour", value)
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


_ON_SNOW = re.compile(r"(?:in|on|through|across)\s+(?:the\s+)?(?:deep\s+|fresh\s+)?snow", re.I)
_BLUE_SKY = re.compile(r"\bblue\s+sky\b", re.I)
_SNOW_PART = re.compile(
    r"(?:(?:in|under|covered\s+in|with|through)\s+(?:the\s+)?(?:fresh\s+|deep\s+|falling\s+)?)?"
    r"(?:snow|snowfall|falling\s+snow)|snowing|snowy",
    re.I,
)
_SNOW_WORDS = re.compile(r"\b(?:snowy|snow-covered)\s+|\s+(?:in\s+the|covered\s+in)\s+snow\b", re.I)


def _thawed(scene: Scene) -> Scene:
    """The scene without its snow: a part that is only snow, and the words that make a thing snowy."""
    parts: list[Part] = []
    for p in scene.parts:
        if p.role != "subject" and _SNOW_PART.fullmatch(p.text.strip()):
            if parts and re.fullmatch(r"covered|blanketed|dusted|buried|deep", parts[-1].text.strip(), re.I):
                parts.pop()  # "covered in snow" is one part of the scene, said in two
            continue
        parts.append(p)
    parts = [
        p.model_copy(update={"text": _SNOW_WORDS.sub(lambda m: " " if m.group(0)[0].isspace() else "", p.text)})
        for p in parts
    ]
    return Scene(parts=[p.model_copy(update={"text": re.sub(r"\s{2,}", " ", p.text).strip()}) for p in parts])


_ORDER = ("subject", "extra", "background", "place", "time", "weather", "season", "lighting", "composition", "style")


def _insert_at(parts: list[Part], slot: str) -> int:
    rank = _ORDER.index(slot) if slot in _ORDER else len(_ORDER)
    for i, p in enumerate(parts):
        if p.role in _ORDER and _ORDER.index(p.role) > rank:
            return i
    return len(parts)


_NIGHT = re.compile(r"\b(?:night|midnight|nighttime|moon|moonlit|moonlight|stars|starry)\b", re.I)


_DAY = re.compile(r"\b(?:day|daytime|daylight|noon|midday|sun|sunny|sunshine|morning|afternoon)\b", re.I)


def _drop_body(scene: Scene, body: str) -> Scene:
    """The scene without its "with the sun" (or moon): a night sky has no sun in it, a daytime one no moon."""
    alone = re.compile(
        rf"^(?:(?:with|and|under|beneath|below)\s+)?(?:the\s+|an?\s+)?(?:[\w-]+\s+)?{body}(?:\s+(?:low|high|rising|setting)\b.*)?$",
        re.I,
    )  # "with the sun low on the horizon", or ", moon" said bare
    inside = re.compile(rf",?\s+(?:with|and)\s+(?:the\s+|an?\s+)?(?:full\s+|bright\s+)?{body}\b", re.I)
    parts, dropped = [], False
    for p in scene.parts:
        if (alone.match(p.text) and p.role != "subject") or (
            dropped and re.fullmatch(r"(?:on|above|in)\s+the\s+(?:horizon|sky)", p.text, re.I)
        ):
            dropped = True  # "with the sun low on the horizon": where it stood goes with it
            continue
        dropped = False
        parts.append(p.model_copy(update={"text": inside.sub("", p.text)}) if p.role != "subject" else p)
    return Scene(parts=parts)


def sky_after(scene: Scene, edits: list[Edit]) -> Scene:
    """A new time of day or sky body takes the other one's sky body away ("now at night" loses "with the sun");
    once every edit is done, so "the moon instead of the sun" has already put the moon where the sun was."""
    values = " ".join(e.value for e in edits if e.op != "remove" and e.slot != "style")
    night, day = bool(_NIGHT.search(values)), bool(_DAY.search(values))
    return _drop_body(scene, "sun" if night else "moon") if night != day else scene
