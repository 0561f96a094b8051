"""A drawn request held as slots: the prompt cut into parts (the subject phrase, background, place, time, weather,
season, style, lighting, composition, added things), each part keeping the user's words.

`describe(prompt)` reads the slots by rule; `Scene.render()` writes the prompt back, reproducing unedited parts word
for word, so an edit changes only what it names. Refinements (graphs.reading.edits) are operations on these slots,
whether the rules or an LLM read them.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, Field

Role = Literal[
    "subject", "background", "place", "time", "weather", "season", "style", "lighting", "composition", "extra"
]

# Attribute words by class: a `set` edit of a class replaces the word of that class it finds, else adds one.
COLOURS = (
    "red green blue yellow orange purple white black pink brown grey gray violet gold golden silver cyan magenta "
    "teal turquoise beige navy maroon crimson scarlet lime olive indigo lavender cream ivory tan emerald "
    "amber bronze copper rainbow multicoloured multicolored colourful colorful"
).split()
# The names designers, photographers and shops use. A word that is mostly a thing (lemon, cherry, rose, camel, coral,
# sage) is left out; these are never the target of a spelling repair ("stage" is not a misspelt colour).
NAMED_COLOURS = (
    "burgundy mustard ochre terracotta mint salmon peach rust rusty charcoal slate khaki taupe mauve lilac plum "
    "fuchsia aqua azure cobalt cerulean sapphire ruby jade chartreuse periwinkle sepia blush vermilion umber sienna "
    "ecru mahogany aubergine oxblood blonde blond brunette auburn platinum ginger saffron sage"
).split()
SIZES = "big small tiny huge large giant little massive miniature enormous bigger smaller larger tinier".split()
ORIENTATIONS = "horizontal vertical diagonal".split()
MATERIALS = (
    "wooden wood metal metallic glass stone plastic paper marble ceramic leather iron steel crystal matte glossy "
    "shiny chrome velvet brass porcelain rubber wool clay cardboard "
    "walnut oak suede linen denim silk satin cotton concrete bamboo aluminium aluminum titanium vinyl felt tweed "
    "lace rattan wicker granite brick knitted woven transparent translucent see-through sandstone limestone"
).split()
COUNTS = "one two three four five six seven eight nine ten several many few".split()
TIMES = (
    "dawn dusk sunrise sunset night midnight noon midday morning evening afternoon twilight daytime nighttime daylight day "
    "daybreak nightfall sundown"
).split()
WEATHERS = (
    "rain rainy raining snow snowy snowing fog foggy mist misty storm stormy thunderstorm sunny cloudy overcast "
    "windy drizzle blizzard hail snowstorm rainstorm sandstorm downpour hazy frost frosty"
).split()
SEASONS = "spring summer autumn fall winter".split()
KEPT_ADJECTIVES = frozenset(  # ordinary adjectives a substituted subject keeps ("a cute fox" -> "a cute wolf")
    "cute fluffy old young happy sad angry sleepy small tiny huge giant little majestic friendly wild baby".split()
)

CLASSES: dict[str, frozenset[str]] = {
    "colour": frozenset(COLOURS + NAMED_COLOURS),
    "size": frozenset(SIZES),
    "orientation": frozenset(ORIENTATIONS),
    "material": frozenset(MATERIALS),
    "time": frozenset(TIMES),
    "weather": frozenset(WEATHERS),
    "season": frozenset(SEASONS),
}
# Every colour word as one regex alternation, longest first ("light blue" before "blue" where both are words).
COLOUR_WORDS = "|".join(sorted(CLASSES["colour"], key=len, reverse=True))
# A word for what a thing is doing: "running", "sitting", "asleep".
DOING_WORD = r"(?:[a-z]{2,}ing|asleep|awake|seated|perched|curled)"
SUBJECT_CLASSES = ("colour", "size", "orientation", "material")  # classes that qualify a subject
SCENE_CLASSES = ("time", "weather", "season")  # classes that qualify the whole scene

LIGHTING = re.compile(
    r"\b(?:light(?:ing|s)?|lit|backlit|glow(?:ing)?|shadows?|golden\s+hour|blue\s+hour|neon|candle\s*light|"
    r"sunlight|moonlight|rim\s+light|volumetric|bokeh)\b",
    re.I,
)
COMPOSITION = re.compile(
    r"\b(?:close[-\s]?up|wide[-\s]?(?:angle|shot)|aerial|bird[’']?s[-\s]eye|from\s+(?:above|below|behind)|"
    r"top[-\s]down|isometric|portrait\s+shot|full[-\s]body|side\s+view|front\s+view|\d+\s?mm|macro|panorama|"
    r"low[-\s]angle|high[-\s]angle|centered|symmetrical)\b",
    re.I,
)
_PREPOSITIONS = (
    "on|in|at|under|over|against|by|near|beside|inside|during|above|below|behind|through|across|along|around|"
    "with|without|underneath|beneath|amid|among|on\\s+top\\s+of|in\\s+front\\s+of|next\\s+to"
)
_DETERMINER = re.compile(
    r"^(?:an?|the|some|one|two|three|four|five|six|seven|eight|nine|ten|several|many|\d+)\s+", re.I
)
_NP_END = re.compile(
    r"^(?:[a-z]{3,}ing|[a-z]{3,}ed|is|are|that|which|who|sits|stands|flies|runs|holds|wears|looks|made)$", re.I
)
# Nouns that look like participles: "a blue ring", "a paper crane"... are not a phrase's end.
ING_NOUNS = frozenset(
    "ring king wing string thing building painting ceiling morning evening wedding pudding sibling duckling "
    "earring swing spring sling viking dumpling lightning clothing drawing sapling seedling bed sled shed seed "
    "bread red speed reed steed weed tweed".split()
)
_COLOUR_GROUP = rf"(?:{'|'.join(COLOURS)})(?:(?:\s+and\s+|\s*,\s*|\s*-\s*)(?:{'|'.join(COLOURS)}))*"
_BACKGROUND = re.compile(
    rf"^(?:(?:on|against|over)\s+(?:an?\s+|the\s+)?)?(?:{_COLOUR_GROUP}|[\w\s-]+?)\s+(?:background|backdrop)$"
    rf"|^(?:on|against)\s+(?:an?\s+)?{_COLOUR_GROUP}$",
    re.I,
)
# A background said with no preposition ("red circle white background") is a phrase of its own.
_SPLIT = re.compile(
    rf"\s*,\s*|(?<=[a-z])(?<!\bst)(?<!\bdr)(?<!\bmr)(?<!\bmrs)(?<!\bms)(?<!\bmt)(?<!\bvs)[.!;]\s+(?=[A-Za-z])|\s+(?=(?:{_PREPOSITIONS})\s)|(?<!\ba)(?<!\ban)(?<!\bthe)(?<!\bon)(?<!\bin)(?<!\bover)(?<!\band)"
    rf"(?<!\bagainst)(?<=\w)\s+(?=(?:{_COLOUR_GROUP})\s+(?:background|backdrop|bg)\b)",
    re.I,
)
_SUBJECT_COLOUR = re.compile(rf"^in\s+{_COLOUR_GROUP}$", re.I)  # "the letter K in blue": the subject's colour
# What a person or animal wears: "in shining armor", "in a red dress" say how the one before it is dressed, not where
# it is, so a new place ("on a black horse", "on a beach") leaves them.
WORN = frozenset(
    """dress dresses suit suits armor armour coat coats raincoat jacket jackets hoodie sweater jumper shirt t-shirt
    uniform uniforms robe robes gown kimono cloak cape hat helmet costume costumes overalls apron scarf boots jeans
    pyjamas pajamas tuxedo tux sari bikini swimsuit vest blazer skirt trousers pants shorts spacesuit outfit outfits
    clothes attire parka poncho tracksuit dungarees cardigan overcoat sunglasses glasses mittens gloves sneakers
    leathers wetsuit tutu veil turban beret cap""".split()
)
_WORD = re.compile(r"[\w'’-]+")


# Things whose name holds a colour word that is no colour of theirs: "an ice cream truck" made lilac keeps its cream,
# "a giant panda instead" of "a red panda" is no red giant panda.
NAMED_THINGS = re.compile(
    r"\b(?:(?:ice|sour|whipped|shaving)\s+cream|cream\s+cheese|red\s+(?:panda|wine|carpet)|white\s+wine|"
    r"(?:green|black)\s+tea|orange\s+juice|black\s+hole)s?\b",
    re.I,
)


def in_named_thing(text: str, at: int) -> bool:
    """Whether the character at `at` is part of a named thing ("the cream of an ice cream truck")."""
    return any(m.start() <= at < m.end() for m in NAMED_THINGS.finditer(text))


def named_words(text: str) -> set[int]:
    """The indexes of the space-separated words of `text` that belong to a named thing (`NAMED_THINGS`)."""
    return {k for k, m in enumerate(re.finditer(r"\S+", text)) if in_named_thing(text, m.start())}


def words_of(cls: str, text: str) -> list[str]:
    """The words of `text` that belong to attribute class `cls`, in order."""
    vocab = CLASSES[cls]
    return [w for w in _WORD.findall(NAMED_THINGS.sub(" ", text).lower()) if w in vocab]


def class_of(word: str) -> str | None:
    w = word.lower()
    return next((c for c, vocab in CLASSES.items() if w in vocab), None)


class Part(BaseModel):
    """One slot of the scene, with the words that express it and the separator that came before them."""

    role: Role
    text: str = Field(description="The words of this part, as the user wrote them (or as an edit wrote them).")
    sep: str = Field(" ", description="What joins it to the part before: ' ', ', ' or a sentence's stop ('. ').")


class Scene(BaseModel):
    """The parts of a prompt in order; `render` joins them back."""

    parts: list[Part] = Field(default_factory=list)

    def render(self) -> str:
        out = ""
        for p in self.parts:
            if p.text.strip():
                out = p.text if not out else out + p.sep + p.text
        return tidy(out)

    def first(self, role: Role) -> int | None:
        return next((i for i, p in enumerate(self.parts) if p.role == role), None)

    def all(self, role: Role) -> list[int]:
        return [i for i, p in enumerate(self.parts) if p.role == role]


def tidy(text: str) -> str:
    text = re.sub(r"\s+,", ",", re.sub(r"\s{2,}", " ", text))
    text = re.sub(r"(?:,\s*){2,}", ", ", text)
    return text.strip(" ,")


_PLACE_OPENERS = frozenset("on in at under over by near beside inside behind through across along around".split())


def _role(piece: str, index: int, style_words: list[str]) -> Role:
    low = piece.lower()
    first = low.split()[0] if low.split() else ""
    if _BACKGROUND.match(piece):
        return "background"
    if index == 0 and first not in ("with", "without"):
        return "subject"
    if first in ("with", "without"):
        return "extra"
    if first in _PLACE_OPENERS:  # "in an enchanted forest" is a place, though "enchanted" reads as fantasy
        style_words = [s for s in style_words if s not in ("fantasy", "typography")]
    if style_words or re.search(r"\bstyle\b|\bstyle of\b", low):
        return "style"
    last = low.split()[-1] if low.split() else ""
    if LIGHTING.search(low):
        return "lighting"
    # "at dusk", "in the rain", "in winter": the phrase's head names it ("in a snowy forest" is a place)
    for role, cls in (("time", "time"), ("weather", "weather"), ("season", "season")):
        if last in CLASSES[cls]:
            return role  # type: ignore[return-value]
    if COMPOSITION.search(low):
        return "composition"
    if first in _PREPOSITIONS.replace("\\s+", " ").split("|") or first in ("on", "in", "at"):
        return "place"
    return "extra"


def _chunks(text: str) -> list[tuple[str, str]]:
    """(separator before, words) for each phrase of `text`."""
    out, pos, sep = [], 0, ""
    for m in _SPLIT.finditer(text):
        out.append((sep, text[pos : m.start()]))
        cut = m.group(0).strip()  # "on a white background. Nothing fancy": the sentence's stop stays as said
        sep, pos = (", " if cut == "," else f"{cut} " if cut else " "), m.end()
    out.append((sep, text[pos:]))
    return [(s or " ", c.strip()) for s, c in out if c.strip()]


def _worn(chunk: str) -> bool:
    m = re.match(r"^in\s+(?P<rest>.+)$", chunk, re.I)
    head = phrase(m["rest"]).noun.lower().split() if m else []
    return bool(head) and head[-1] in WORN


def describe(prompt: str, style_words=None) -> Scene:
    """Cut `prompt` into parts by commas and by the prepositions that open a new phrase; classify each part.

    `style_words(text) -> list` tells which parts name a style (graphs.reading.rules.mentions_style); without it,
    only parts saying "style" count as style."""
    scan = style_words or (lambda _t: [])
    parts: list[Part] = []
    for sep, chunk in _chunks(" ".join(prompt.split())):
        role = _role(chunk, len(parts), scan(chunk))
        subject = next((p for p in parts if p.role == "subject"), None)
        if subject is not None and _SUBJECT_COLOUR.match(chunk) and parts[-1] is subject:
            subject.text += f" {chunk}"  # "the letter K in blue": the colour belongs to the subject phrase
            continue
        if parts and parts[-1].role in ("subject", "extra") and sep == " " and _worn(chunk):
            parts[-1] = parts[-1].model_copy(update={"text": f"{parts[-1].text} {chunk}"})
            continue
        parts.append(Part(role=role, text=chunk, sep=sep))
    return Scene(parts=parts)


# -- the subject phrase -----------------------------------------------------------------------------------------


class Phrase(BaseModel):
    """A noun phrase: a frame ("a watercolor painting of"), determiner, modifiers, head noun, and what follows the
    head ("curled up", "in blue")."""

    frame: str = ""
    det: str = ""
    mods: list[str] = Field(default_factory=list)
    noun: str = ""
    tail: str = ""

    def render(self) -> str:
        det = self.det
        head = " ".join([*self.mods, self.noun]).strip()
        if det.lower() in ("a", "an") and head:
            det = "an" if head[0].lower() in "aeiou" else "a"
        return " ".join(x for x in (self.frame, det, head, self.tail) if x)


_FRAME = re.compile(
    r"^(?P<frame>.*?\b(?:painting|photo|photograph|picture|image|portrait|drawing|sketch|illustration|render|poster|"
    r"still|shot|view|watercolou?r|pic|artwork|close[-\s]?up|logo|icon|emblem|badge|sticker|mascot)s?\s+of)\s+(?P<rest>.+)$",
    re.I,
)
_PREP_WORDS = frozenset("on in at under over against by near beside inside with without of for from to into".split())


def phrase(text: str) -> Phrase:
    """Split a noun phrase; the head is the last word before a participle, a verb, a preposition or the end."""
    t = text.strip()
    frame = ""
    if m := _FRAME.match(t):
        frame, t = m["frame"], m["rest"]
    det = ""
    if m := _DETERMINER.match(t):
        det, t = m.group(0).strip(), t[m.end() :]
    words = t.split()
    if det.isdigit() and (not words or words[0].lower() in _PREP_WORDS):  # "2 in purple": the digit is drawn
        return Phrase(frame=frame, noun=det, tail=" ".join(words))
    end = len(words)
    for i, w in enumerate(words):
        if i > 0 and ((_NP_END.match(w) and w.lower() not in ING_NOUNS) or w.lower() in _PREP_WORDS):
            end = i
            break
    head, tail = words[:end], words[end:]
    if head and head[-1].lower() in ("letter", "number", "digit") and tail:  # "the letter K"
        head, tail = head + tail[:1], tail[1:]
    if not head:
        return Phrase(frame=frame, det=det, tail=" ".join(tail))
    noun_words = 1
    if len(head) >= 2 and head[-2].lower() in ("letter", "number", "digit"):
        noun_words = 2
    return Phrase(frame=frame, det=det, mods=head[:-noun_words], noun=" ".join(head[-noun_words:]), tail=" ".join(tail))
