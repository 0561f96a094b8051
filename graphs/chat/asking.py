"""The scene of a request said with its story around it: "My son is learning his letters, can you draw a big letter B
in orange on a white background? He likes orange" asks for "a big letter B in orange on a white background".

Kept whole, the story is drawn ("son", "letters") and every later turn refines it: "now the letter D" replaced the
"letters" of "learning his letters". The scene is what follows the asking ("can you draw", "I'd love a picture of",
"I need", a colon after the story), up to where the reason starts again (", for her birthday card", "it's for a
slide"). A place the story names ("We went to Santorini for our honeymoon") stays with the scene, "a photo of it"
takes the thing the story names ("of Tower Bridge"), and a kind of picture the story names leads it ("my boss wants a
logo for our coffee shop: a cup" -> "a logo of a cup"). When the scene points back into the story ("see him as a
pirate"), or no asking is found, the message is kept as it was.
"""

from __future__ import annotations

import re

_F = re.I | re.S

# What asks for the picture; the scene follows it.
_ASK = re.compile(
    r"(?:^|[\s,;:]|\bso\s+)(?:(?:so\s+)?(?:could|can|would|will)\s+you\s+(?:please\s+)?(?:draw|make|paint|create|generate|"
    r"do|render|show|give)\s+(?:me\s+|us\s+)?|(?:could|can|may)\s+i\s+(?:please\s+)?(?:get|have|see)\s+|"
    r"i(?:[’']d|\s+would)\s+(?:really\s+)?(?:love|like)\s+(?:to\s+see\s+)?|"
    r"i\s+(?:want|need)\s+(?:to\s+(?:see|frame|print|hang|have|get|make|draw)\s+)?|(?:dreaming|dream)\s+of\s+seeing\s+|"
    r"(?:needs|wants)\s+|please\s+(?:draw|make|paint|create)\s+(?:me\s+)?|(?<=,\s)so\s+(?=an?\s))"
    r"(?P<scene>(?:an?|some|the|two|three|four|five|\d+)\s.+)$",
    _F,
)
# "a picture of", "a cozy picture for our instagram": the asking's own words, not the scene's
_PICTURE = re.compile(r"^(?:an?|some)\s+(?:[\w-]+\s+)?(?:picture|image|pic)s?(?:\s+of\s+|\s*$)", _F)
# Where the reason starts again after the scene.
_REASON = re.compile(
    r"(?:,\s*|\s+)(?:(?:it[’']?s|this\s+is|that[’']?s)\s+for\b|for\s+(?:my|our|her|his|their|a|an|the)\s+[\w-]+"
    r"(?:\s+[\w-]+)?(?:\s+(?:card|poster|post|slide|project|wallpaper|program|cover|invitation|blog|website|class))?"
    r"[\s.!?]*$|for\s+(?:calibrating|testing|little\s+kids)\b|something\s+(?:to|i\s+can|for)\b|to\s+(?:hang|put|print|"
    r"frame|send)\b|so\s+(?:i|we)\s+can\b|(?<=,)\s*hoping\b|"
    r"(?<=,)\s*(?:could|can|would)\s+you\s+(?:make|draw|do)\s+(?:that|it|this)\b|"
    r"(?<=,)\s*(?:she|he|they|we)[’']s\s+(?:turning|going|getting|into|obsessed|always)\b|"
    r"(?<=,)\s*(?:she|he|they)\s+(?:loves?|likes?|adores?)\b)",
    _F,
)
_COURTESY = re.compile(
    r"(?:,?\s*(?:for\s+me|please|pls|plz|thanks|thank\s+you|if\s+(?:possible|you\s+can|you\s+could|you[’']d\s+be\s+so\s+kind|"
    r"that[’']?s\s+(?:ok(?:ay)?|possible|alright))))+[\s.!?]*$",
    _F,
)
_OF_IT = re.compile(r"\bof\s+(?P<it>it)\b", _F)
# A thing named with capitals in the story ("Tower Bridge", "Neuschwanstein castle"), never "I" or a first word.
_NAMED = re.compile(
    r"(?<=[a-z,]\s)(?P<n>(?:[A-Z][\w'-]+\s+)*[A-Z][\w'-]+(?:\s+(?:castle|bridge|tower|palace|cathedral|temple|lake|"
    r"mountain|beach|island|park|church|museum|falls))?)"
)
_BACK = re.compile(r"^(?:it|him|her|them|this|that)\b|\b(?:of|draw|make)\s+(?:it|him|her|them)\b", _F)
# A place the story names: "We went to Santorini", "my dad is from Havana", "a trip to Kyoto".
_PLACE = re.compile(
    r"\b(?:to|in|from|near|on\s+the|at\s+the|visit(?:ed|ing)?)\s+(?P<p>[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)\b"
)
_WHEN = frozenset(
    "January February March April May June July August September October November December Monday Tuesday Wednesday "
    "Thursday Friday Saturday Sunday Christmas Easter".split()
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def asked_scene(text: str) -> str:
    """The scene `text` asks for, without the story around it; `text` itself when no asking is found."""
    t = " ".join(text.split())
    sentences = _SENTENCE.split(t)
    for k, sentence in enumerate(sentences):
        scene, story = _scene_of(sentence)
        if scene is None:
            continue
        told = " ".join([*sentences[:k], story])
        places = [p for p in _PLACE.findall(told) if p.lower() not in scene.lower() and p.split()[0] not in _WHEN]
        return scene + "".join(f", {p}" for p in places[:2])
    if (
        len(sentences) > 1
        and re.match(r"^(?:an?|some|the|two|three|\d+)\s", sentences[0], _F)
        and all(_STORY.match(x) for x in sentences[1:])
    ):  # "a night sky over the desert with the moon? I'm doing a little astronomy presentation"
        return _COURTESY.sub("", sentences[0]).strip(" ,.!?")
    return text


# A sentence that tells about the asker, not the picture.
_STORY = re.compile(r"^(?:i[’']?m|i\s+am|it[’']?s|this\s+is|he|she|they|we|my|our|i\s+(?:want|need)\s+it)\b", _F)


def _scene_of(sentence: str) -> tuple[str | None, str]:
    """(scene, the story before it) of one sentence, or (None, "")."""
    s = sentence.strip()
    m = _ASK.search(s)
    colon = re.match(r"^(?P<story>[^:]{12,}?):\s+(?P<scene>(?:an?|some|the|two|three|\d+)\s.+)$", s, _F)
    if colon and re.search(r"\b(?:i|my|our|we|for|testing|test)\b", colon["story"], _F):
        story, scene = colon["story"], colon["scene"]  # "For my dad's retirement card: an old fisherman ..."
    elif m and m.start("scene") > 0:
        story, scene = s[: m.start()], m["scene"]
    else:
        return None, ""
    if (it := _OF_IT.search(scene)) and (named := _NAMED.findall(story)):
        # "I walk past Tower Bridge every day and I'd love a moody photo of it at night": of Tower Bridge
        scene = scene[: it.start("it")] + named[-1] + scene[it.end("it") :]
    if (p := _PICTURE.match(scene)) is not None:
        scene = scene[p.end() :]
        if (
            colon2 := re.match(r"^[^:]*:\s+(?P<s>\S.+)$", scene)
        ) is not None:  # "a cozy picture for our instagram: a ..."
            scene = colon2["s"]
    scene = re.split(r"(?<=[^\s])\s*\?\s*", scene, maxsplit=1)[0]
    if r := _REASON.search(scene):
        scene = scene[: r.start()]
    scene = _COURTESY.sub("", scene).strip(" ,.!?")
    if len(scene.split()) < 2 or _BACK.search(scene):
        return None, ""  # "a moody photo of it at night": the scene is in the story
    if (kind := _MEDIUM.search(story)) and kind["m"].lower() not in scene.lower():
        what = f"{kind['mod']} {kind['m']}" if kind["mod"] else kind["m"]  # "a birthday card of a teddy bear"
        scene = f"{(kind['det'] or 'a ').strip()} {what} of {scene}"  # "a logo for our coffee shop: a cup" -> a logo of a cup
    return scene, story


# What the picture is, said in the story: "my boss wants a logo for our coffee shop: ..."
_MEDIUM = re.compile(
    r"\b(?P<det>an?\s+)?(?:(?P<mod>birthday|christmas|greeting|wedding|retirement|thank-you|holiday)\s+)?"
    r"(?P<m>logo|poster|icon|sticker|illustration|painting|photo|drawing|banner|flag|badge|emblem|mascot|card)s?\b",
    _F,
)
