"""Rule mode: parse a request and extend a prompt with no LLM (none configured, or the LLM failed).

Only precompiled regexes over short strings, so a call costs microseconds and the same text always gives the same
answer; nothing here may import a model library or touch the network.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from graphs.llm.schemas import Kind, ParsedPrompt
from graphs.reading.lexicon import lexicon_hits
from graphs.reading.steering import strip_steering
from tools.vocabulary import VOCABULARY

if TYPE_CHECKING:  # the catalog module pulls in yaml; rule mode only reads a card's attributes
    from tools.catalog import ModelCard

# Style synonyms as regex alternations. Phrases that contain another style's word ("matte painting",
# "watercolor painting") are matched whole, so the scan consumes them and plain "painting" does not fire too.
STYLE_PATTERNS: dict[str, str] = {
    "concept-art": r"concept[-\s]?art|matte\s+paintings?",
    "watercolor": r"watercolou?rs?(?:\s+paintings?)?",
    "photorealistic": r"photo(?:graph(?:s|y|ic|ed)?|s|-?realistic)?|(?:hyper-?)?realistic|realism|dslr",
    "anime": r"animes?|manga",
    "illustration": r"cartoon(?:s|ish|y)?|comics?(?:\s+book)?|illustrat(?:ion|ions|ed)|children[’']?s\s+books?",
    "painting": r"(?:oil\s+)?paintings?|painted|impressionis[tm]|acrylics?|gouache",
    "3d-render": r"3-?d(?:\s+render(?:s|ed|ing)?)?|cgi|pixar|octane(?:\s+render)?|blender|clay(?:mation)?",
    "pixel-art": r"pixel[-\s]?art|pixelated|(?:8|16)[-\s]?bit|sprites?",
    "cinematic": r"cinematic|film\s+stills?|movie\s+(?:scenes?|stills?)",
    "fantasy": r"fantasy|dragons?|wizards?|elf|elves|elven|magic(?:al)?|sorcer(?:er|ess|y)|fair(?:y|ies)|mythical",
    "typography": (
        r"typograph(?:y|ic)|lettering|logos?|posters?\s+with\s+(?:the\s+)?text"
        r"|(?:sign|poster|banner)s?\s+(?:that|which)\s+(?:says|reads)|text\s+(?:that\s+)?(?:reads|says|saying)"
        r"|(?:the\s+words?|says)(?=\s*[\"“'‘])"  # only a quoted word is text to draw
    ),
    "sketch": r"sketch(?:es|ed|y)?|pencil|line[-\s]?art|ink\s+drawings?|charcoal",
}

# A verb that names a medium is the only place some requests state their style ("paint a castle").
VERB_STYLES: dict[str, str] = {"paint": "painting", "sketch": "sketch", "illustrate": "illustration"}

# Subject keywords, comma-separated, singular; regular plurals are derived, irregular ones are listed.
SUBJECT_KEYWORDS: dict[str, str] = {
    "person": "man, men, woman, women, girl, boy, child, children, kid, baby, people, person, portrait, "
    "face, astronaut, knight, warrior, soldier, princess, prince, king, queen, lady, guy, "
    "grandmother, grandfather, grandma, grandpa, mother, father, family, crowd, selfie, character, chef, "
    "samurai, ninja, wizard, witch, pirate, dancer, musician, student, teacher, doctor, farmer, human",
    "animal": "dog, puppy, cat, kitten, bird, fox, horse, dragon, lion, tiger, bear, wolf, wolves, rabbit, "
    "bunny, owl, eagle, fish, whale, dolphin, shark, deer, elephant, giraffe, monkey, panda, "
    "penguin, butterfly, frog, snake, cow, pig, sheep, duck, mouse, mice, squirrel, animal, pet, wildlife, "
    "unicorn, octopus, turtle, bee, insect, parrot, koala, zebra, raccoon, hamster, goat, dinosaur",
    "landscape": "beach, mountain, forest, sea, ocean, lake, desert, sunset, sunrise, sky, field, river, "
    "waterfall, valley, hill, meadow, landscape, island, jungle, canyon, glacier, volcano, coast, "
    "shore, cliff, garden, park, nature, scenery, countryside, northern lights, aurora, galaxy, "
    "cloud, wave",
    "architecture": "city, building, house, castle, street, bridge, interior, temple, church, cathedral, tower, "
    "skyscraper, palace, room, kitchen, bedroom, living room, library, village, town, "
    "cabin, cottage, skyline, architecture, ruin, alley, market, station, mansion, pagoda, "
    "lighthouse, hut, shop, cafe",
    "object": "cup, mug, chair, bottle, toy, book, lamp, vase, clock, watch, phone, camera, shoe, sneaker, bag, "
    "table, sofa, guitar, violin, piano, sword, helmet, key, candle, jar, box, teapot, ring, jewelry, "
    "necklace, perfume, backpack, umbrella, product, still life, item, gadget, laptop, headphones, knife, "
    "knives",
    "vehicle": "car, bike, bicycle, motorcycle, motorbike, ship, boat, plane, airplane, aircraft, jet, helicopter, "
    "train, spaceship, spacecraft, rocket, truck, bus, van, tank, submarine, tram, taxi, scooter, "
    "yacht, sailboat, vehicle, jeep, tractor",
    "food": "pizza, cake, sushi, burger, hamburger, fruit, coffee, tea, bread, pasta, noodle, ramen, salad, soup, "
    "sandwich, dessert, ice cream, cookie, chocolate, apple, banana, strawberry, donut, doughnut, pie, "
    "steak, taco, cupcake, croissant, breakfast, dinner, lunch, meal, food, dish, drink, cocktail, wine, "
    "beer, juice, cheese, egg, candy, pancake, waffle, dumpling, curry, rice",
    "abstract": "abstract, surreal, surrealism, surrealist, geometric, fractal, psychedelic, kaleidoscope",
    "pattern": "pattern, texture, seamless, tile, tiling, stripes, striped, checkerboard, checkered, polka dot, "
    "ornament, paisley, wallpaper, mosaic",
    "text": "logo, sign, text, letter, lettering, word, says, typography, font, headline, digit, numeral, glyph",
    "shape": "shape, circle, square, triangle, star, hexagon, pentagon, polygon, icon",
}

# Fragments of a card's example prompts that carry these words describe rendering, not the example's subject.
MODIFIER_WORDS = (
    r"detail(?:ed|s)?|light(?:ing|s)?|quality|style|render(?:ed|ing)?|photo(?:graph|graphy)?|masterpiece|sharp|"
    r"focus|[248]k|hdr|cinematic|bokeh|art|artstation|illustration|painting|intricate|vibrant|dramatic|studio|"
    r"professional|trending|octane|unreal\s+engine|volumetric|depth\s+of\s+field|\d+\s?mm|film|grain|colou?rs?|"
    r"colou?rful|pastel|aesthetic|highres|high\s+resolution|resolution|realistic|shading|composition|sketch"
)
MAX_BORROWED = 6

# A borrowed fragment must add no content the user did not ask for (objects, places, times, lighting) and no look
# other than the one asked for, so every word of it is one of these, a word of the core prompt, or part of a style
# cue below. Quality and finish words go with any request.
QUALITY_WORDS = frozenset(
    "masterpiece best quality high highly ultra very detailed detail details intricate sharp focus crisp 4k 8k uhd "
    "hd hq hdr highres absurdres resolution aesthetic elegant smooth professional award winning trending artstation "
    "beautiful stunning style styled art artwork of on and in".split()
)
# Palette words change no content, but contradict a colour the user named ("a yellow circle" + "muted colors").
PALETTE_WORDS = frozenset(
    "color colors colour colours colorful colourful palette pastel muted vibrant vivid warm cold cool soft "
    "saturated bright rich".split()
)
COLOUR_WORDS = frozenset(
    "red orange yellow green blue purple violet pink brown black white grey gray gold golden silver teal cyan "
    "magenta beige turquoise crimson navy amber".split()
)
# Rendering words by the look they give (vocabulary styles). Written for extension, not parsing: no subject words
# ("dragons", "logos"), which STYLE_PATTERNS accepts as evidence of a style but a fragment would add as content.
# Longer cues first: the scan takes the first alternative that matches.
STYLE_CUES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"film\s+grain|bokeh|(?:shallow\s+)?depth\s+of\s+field", ("photorealistic", "cinematic")),
    (r"flat\s+colou?rs|flat\s+design|flat\s+shading", ("illustration", "pixel-art")),
    (r"loose\s+brush\s*strokes", ("painting", "watercolor")),
    (r"concept\s+art|matte\s+paintings?", ("concept-art",)),
    (r"watercolou?rs?(?:\s+paintings?)?|(?:soft\s+)?washes|paper\s+texture|white\s+paper", ("watercolor",)),
    (
        r"(?:oil\s+|digital\s+)?paintings?|painted|brush\s*strokes|impressionis[tm]|acrylics?|gouache|canvas",
        ("painting",),
    ),
    (r"pixel[-\s]?art|pixelated|(?:8|16)[-\s]?bit|(?:game\s+)?sprites?", ("pixel-art",)),
    (
        r"3-?d(?:\s+render(?:s|ed|ing)?)?|render(?:s|ed|ing)?|octane(?:\s+render)?|unreal\s+engine|redshift|cgi|blender",
        ("3d-render",),
    ),
    (r"cinematic|film\s+stills?|(?:cinematic\s+)?wide\s+shot|anamorphic", ("cinematic",)),
    (
        r"photo(?:graph(?:s|y|ic)?|s)?|photo-?realistic|(?:hyper-?)?realistic|realism|raw|dslr|\d+\s?mm(?:\s+lens)?"
        r"|lens|fujifilm(?:\s+xt\d)?|macro",
        ("photorealistic",),
    ),
    (r"anime|manga|cel[-\s]shad(?:ed|ing)", ("anime",)),
    (
        r"illustrat(?:ion|ions|ed)|digital\s+art|vector|isometric|cartoon(?:ish|y)?|comics?|minimalist",
        ("illustration",),
    ),
    (
        r"sketch(?:es|ed|y)?|line[-\s]?art|pencil|charcoal|ink(?:\s+drawing)?|black\s+and\s+white|monochrome|bold\s+lines",
        ("sketch",),
    ),
    (r"typograph(?:y|ic)|lettering", ("typography",)),
    (r"(?:epic\s+)?fantasy|magical|mythical", ("fantasy",)),
)
# A genre rather than a medium: asking for it rules out no way of rendering.
GENRE_STYLES = frozenset({"fantasy"})

_F = re.I | re.S
_MODIFIER_RE = re.compile(rf"(?<!\w)(?:{MODIFIER_WORDS})(?!\w)", re.I)
_CUE_RE = re.compile(r"(?<!\w)(?:" + "|".join(f"(?P<c{i}>{rx})" for i, (rx, _) in enumerate(STYLE_CUES)) + r")(?!\w)")
_WORD = re.compile(r"[^\W_]+")  # "children's" splits to "children" + "s", so possessives still match
_QUOTES = "\"'“”‘’`"
_TRAIL_CHARS = " \t\r\n.!?…;:,"
COURTESY_IF = (
    r"if\s+(?:(?:it|that)[’']?s|it\s+is)\s+(?:at\s+all\s+)?(?:possible|ok(?:ay)?|alright|all\s+right|easy|no\s+trouble|"
    r"not\s+too\s+much(?:\s+(?:trouble|bother))?|not\s+a\s+bother|no\s+bother)|if\s+possible|if\s+you\s+(?:wouldn[’']?t|don[’']?t|do\s+not)\s+mind|"
    r"if\s+you\s+(?:can|could|please|have\s+(?:a\s+(?:moment|minute|sec(?:ond)?)|(?:the\s+)?time))|if\s+you[’']?d\s+be\s+so\s+kind"
)
_LEAD_POLITE = re.compile(
    # interjections need a separator so "hi-res photo" and "hello kitty plush" keep their first word
    r"^(?:(?:please|kindly|hey)(?![\w-])[\s,!.]*|(?:hi|hello|ok(?:ay)?)\s*[,!.]\s*|(?:hi|hello|hey)\s+there\s*[,!.]\s*|"
    r"good\s+(?:morning|afternoon|evening)\s*[,!.]\s*|(?:can|could|would|will)\s+you\s+(?:mind\s+(?=\w+ing\s))?"
    r"|i(?:\s+would|[’']d)?\s+(?:want|need|like)\s+you\s+to\s+"
    # the courtesy around a request: "I was wondering if you could", "would it be possible to", "could I ask for"
    r"|i\s+(?:was\s+)?(?:wondering|wonder|hoping)\s+(?:if|whether)\s+(?:you|u)\s+(?:could|can|might|would)\s+"
    r"|i\s+was\s+hoping\s+(?:for|(?:you|u)\s+(?:could|might|would)|to\s+(?:see|get|have))\s+"
    r"|would\s+it\s+be\s+(?:at\s+all\s+)?(?:possible|ok(?:ay)?|alright|too\s+much\s+to\s+ask)\s+(?:for\s+(?:you|me)\s+)?(?:to\s+(?:have|see)|to|for)\s+"
    r"|(?:could|can|may|might)\s+i\s+(?:please\s+)?(?:ask\s+(?:you\s+)?for|have|get|see|request|trouble\s+you\s+for)\s+"
    # "I'd love to see dragons" is left whole: a wish to see is an inspiration
    r"|i(?:[’']d|\s+would)\s+(?:love|like|be\s+(?:grateful|glad|happy)\s+for|appreciate)(?!\s+to\b)(?:\s+|\s*,\s*)"
    r"|(?:possibly|perhaps|maybe|kindly)\s+(?=\w+\s)|be\s+(?:able|so\s+kind\s+as)\s+to\s+"
    rf"|(?:{COURTESY_IF})\s*,\s*)+",
    _F,
)
# "..., if you'd be so kind", "... - it's for a card", "... would be lovely": courtesy and reasons after the request
_TAIL_POLITE = re.compile(
    rf"(?:[\s,]+(?:{COURTESY_IF}|if\s+you(?:\s+please)?)|\s+would\s+be\s+(?:lovely|great|nice|perfect|wonderful|amazing)"
    r"|\s*[-–—]\s*(?:it[’']?s|this\s+is|it\s+is)\s+for\b.*|(?<=[.?!])\s+(?:it[’']?s|this\s+is|it\s+is|that[’']?s)\s+for\b.*)$",
    _F,
)
TRAILING_POLITE = ("please", "for me", "for us", "thanks", "thank you")

_HYP_LEAD = re.compile(
    r"^(?:what\s+if|what\s+would\s+(?:happen|it\s+look\s+like)\s+if|imagine\s+(?:that\s+)?if|suppose|supposing|"
    r"assume|assuming|pretend|let[’']?s\s+say)\s+(?:that\s+)?(?P<rest>.+)$",
    _F,
)
_HYP_IF = re.compile(r"^(?:even\s+)?if\s+(?P<rest>.+)$", _F)
# "I would laugh if you gave me a toy": the consequence comes first and carries the modal.
_HYP_TAIL_IF = re.compile(r"^(?P<cons>.+?\b(?:would|could|might)\b.+?|.+?[’']d\s.+?)\s*,?\s+if\s+(?P<cond>.+)$", _F)
_PRONOUN = r"(?:i|you|we|he|she|they|it)"
_SPLIT_AT_MODAL = re.compile(
    rf"[\s,]+(?:then\s+)?(?={_PRONOUN}(?:\s+(?:would|will|could|might|should)\b|[’'](?:d|ll)\s))", _F
)
_SPLIT_AT_COMMA = re.compile(r"\s*,\s*(?:then\s+)?|\s+then\s+", _F)
_CONSEQ = re.compile(
    r"^(?:then\s+)?(?P<subj>.*?)\s*(?:\b(?:would|will|could|might|should|shall)\s+|[’'](?:d|ll)\s+)"
    r"(?P<adv>(?:not|never|also|still|\w+ly)\s+)?(?P<be>be\s+)?(?P<verb>[\w'-]+)(?P<rest>.*)$",
    _F,
)
_COND_WRAPPER = re.compile(  # "you gave me a toy" -> "a toy": the giver is not in the picture, the gift is
    r"^(?:you|i|we|he|she|they|someone|somebody)\s+[\w'-]+\s+"
    r"(?:(?:me|us|him|her|them)\s+(?=\w)|(?=(?:an?|the|some|my|your|his|her|our|their|\d+)\b))",
    _F,
)
_COPULA = re.compile(r"\b(?:were|was)\s+", re.I)  # subjunctive "the moon were made of cheese"

_INSPIRATION = re.compile(
    r"^(?:i(?:\s+would|[’']d)?\s+(?:really\s+|so\s+)?(?:want|wanna|love|like|wish|hope|long|need)\s+(?:to\s+)?see"
    r"|i\s+wish\s+i\s+could\s+(?:see|visit|be\s+(?:in|at|on))|i\s+dream\s+(?:of|about)"
    r"|i(?:[’']m|\s+am)\s+(?:in\s+the\s+mood\s+for|dreaming\s+(?:of|about)|craving|longing\s+for)"
    r"|imagine(?:\s+that)?|inspire\s+me(?:\s+(?:with|by|using))?|surprise\s+me(?:\s+with)?|take\s+me\s+to"
    r"|picture\s+this[:,]?|(?:give\s+me\s+)?(?:some\s+)?inspiration\s+(?:for|about|with))\s+(?P<core>.+)$",
    _F,
)
_INSTRUCTION = re.compile(
    r"^(?P<verb>generate|create|make|draw|paint|render|show|produce|design|sketch|illustrate|depict|visuali[sz]e|give|do|get)"
    r"\s+(?:(?:me|us)\s+)?"
    # the article goes with the wrapper noun, so "make a watercolor painting of a fox" keeps its "a"
    r"(?:(?:(?:an?|the|some|one)\s+)?(?:image|picture|pic|artwork|visual|graphic)s?\s+"
    r"(?:of|showing|depicting|featuring|with)\s+)?(?P<core>.+)$",
    _F,
)


def literal(word: str) -> str:  # a catalog-added vocabulary word with no synonym table still matches itself
    return r"[-\s]?".join(re.escape(p) for p in word.lower().split("-"))


@lru_cache(maxsize=64)
def _style_regex(words: tuple[str, ...]) -> re.Pattern[str] | None:
    alts = [f"(?P<g{i}>{STYLE_PATTERNS.get(w, literal(w))})" for i, w in enumerate(words)]
    # no re.I: callers lowercase the text, which makes matching about twice as fast
    return re.compile(r"(?<!\w)(?:" + "|".join(alts) + r")(?!\w)") if alts else None


@lru_cache(maxsize=64)
def _subject_table(words: tuple[str, ...]) -> tuple[dict[str, str], dict[str, int]]:
    # Subjects have hundreds of keywords: a dict lookup per word beats one huge regex alternation several-fold.
    table: dict[str, str] = {}
    phrase_len: dict[str, int] = {}  # first word of a multi-word keyword -> longest such keyword's word count
    for w in words:
        for k in SUBJECT_KEYWORDS.get(w, w).split(","):
            *head, last = _WORD.findall(k.lower())
            forms = {last, last + "s", last + "es"}
            if len(last) > 2 and last.endswith("y") and last[-2] not in "aeiou":
                forms.add(last[:-1] + "ies")
            for f in forms:
                table.setdefault(" ".join([*head, f]), w)
            if head:
                phrase_len[head[0]] = max(phrase_len.get(head[0], 0), len(head) + 1)
    return table, phrase_len


def _style_scan(text: str, words: tuple[str, ...]) -> list[str]:
    """The vocabulary's words and synonyms, then the style lexicon's phrases (artists, movements, media: "in the
    style of Monet" -> painting) outside the spans the words already read, merged in order of first mention."""
    rx = _style_regex(words)
    found = [(m.start(), m.end(), words[int(m.lastgroup[1:])]) for m in rx.finditer(text.lower())] if rx else []
    hits = [(start, w) for start, _, w in found]
    allowed = frozenset(words)
    for start, styles in lexicon_hits(text, [(a, b) for a, b, _ in found]):
        hits.extend((start, s) for s in styles if s in allowed)
    hits.sort(key=lambda h: h[0])  # stable: at one offset the word's style comes before the lexicon's
    return list(dict.fromkeys(w for _, w in hits))


def _subject_scan(text: str, words: tuple[str, ...]) -> list[str]:
    table, phrase_len = _subject_table(words)
    tokens = _WORD.findall(text.lower())
    out: dict[str, None] = {}
    for i, tok in enumerate(tokens):
        hit = None
        for n in range(phrase_len.get(tok, 1), 1, -1):
            if hit := table.get(" ".join(tokens[i : i + n])):
                break
        if hit := hit or table.get(tok):
            out[hit] = None
    return list(out)


def _words(facet: str, vocab: dict[str, tuple[str, ...]] | None) -> tuple[str, ...]:
    return tuple(w for w in (vocab or VOCABULARY).get(facet, ()) if w != "general")


def mentions_style(text: str, vocab: dict[str, tuple[str, ...]] | None = None) -> list[str]:
    """Style words of the vocabulary that `text` asks for, by word, synonym or style-lexicon phrase
    (tools/data/style_lexicon.yaml), in order of first mention. Phrases in quotes are text to draw, not a style."""
    return _style_scan(text, _words("style", vocab))


# A lone character to draw: "a yellow L on green", "2 in purple", "the number 4". Case-sensitive, and "A"/"I" are
# left out, so articles and pronouns do not count; a digit must be followed by in/on or end the phrase ("3 cats" is
# a count, not a glyph).
_GLYPH = re.compile(
    r"(?:(?:letter|number|digit|numeral|glyph)\s+[A-Z0-9]\b|(?<![\w'’-])[B-HJ-Z0-9](?=\s+(?:in|on)\b|\s*[,.]|\s*$))"
)


def mentions_subject(text: str, vocab: dict[str, tuple[str, ...]] | None = None) -> list[str]:
    """Subject words of the vocabulary whose keywords (plurals included) occur in `text`, first mention first;
    a lone letter or digit to draw counts as `text`."""
    found = _subject_scan(text, _words("subject", vocab))
    if "text" not in found and "text" in _words("subject", vocab) and _GLYPH.search(text):
        found.append("text")
    return found


def _clean(text: str) -> str:
    s = text.strip()
    for _ in range(2):  # wrappers nest: '"please draw a cat for me."'
        if len(s) > 1 and s[0] in _QUOTES and s[-1] in _QUOTES and s[0] not in s[1:-1]:
            s = s[1:-1].strip()
        s = s.rstrip(_TRAIL_CHARS)
        for tail in TRAILING_POLITE:  # string tests: an end-anchored regex is retried at every position
            if s.lower().endswith(tail) and len(s) > len(tail) and s[-len(tail) - 1] in " ,":
                s = s[: -len(tail)].rstrip(_TRAIL_CHARS)
        s = _TAIL_POLITE.sub("", s).rstrip(_TRAIL_CHARS)
        s = _LEAD_POLITE.sub("", s).strip()
        s = re.sub(rf",?\s*\b(?:{COURTESY_IF})\s*,\s*", " ", s, flags=_F).strip()  # "could you, if it's easy, do ..."
    return s


def _gerund(verb: str) -> str:
    v = verb.lower()
    if v.endswith("ing"):
        return verb
    if v.endswith("ie"):
        return verb[:-2] + "ying"
    if v.endswith("e") and len(v) > 2 and not v.endswith(("ee", "ye", "oe")):
        return verb[:-1] + "ing"
    if re.fullmatch(r"[^aeiou]*[aeiou][^aeiouwxy]", v):  # one short syllable doubles: run -> running
        return verb + verb[-1] + "ing"
    return verb + "ing"


def _condition(clause: str) -> str:
    return _COPULA.sub("", _COND_WRAPPER.sub("", clause.strip()), count=1).strip()


def _consequence(clause: str) -> str:
    m = _CONSEQ.match(clause.strip())
    if not m:
        return clause.strip()
    subj = m["subj"].strip()
    if re.fullmatch(_PRONOUN, subj, re.I):  # "I would laugh": the speaker is not a scene element
        subj = ""
    act = m["verb"] if m["be"] else _gerund(m["verb"])
    return " ".join(p for p in (subj, (m["adv"] or "").strip(), act + m["rest"]) if p).strip()


def _hypothesis(rest: str) -> str:
    parts = _SPLIT_AT_MODAL.split(rest, maxsplit=1)
    if len(parts) == 1:
        parts = _SPLIT_AT_COMMA.split(rest, maxsplit=1)
    cond = _condition(parts[0])
    cons = _consequence(parts[1]) if len(parts) > 1 else ""
    return ", ".join(p for p in (cond, cons) if p)


def rule_parse(text: str, vocab: dict[str, tuple[str, ...]] | None = None) -> ParsedPrompt:
    """Classify a request into the paper's four kinds and cut it down to the scene to draw."""
    if not text or not text.strip():
        raise ValueError("empty request: there is nothing to draw")
    body = _clean(strip_steering(text))
    kind: Kind = "prompt"
    core, verb = body, ""
    if m := _HYP_LEAD.match(body) or _HYP_IF.match(body):
        kind, core = "hypothesis", _hypothesis(m["rest"])
    elif " if " in body.lower() and (m := _HYP_TAIL_IF.match(body)):
        kind, core = "hypothesis", ", ".join(p for p in (_condition(m["cond"]), _consequence(m["cons"])) if p)
    elif m := _INSPIRATION.match(body):
        kind, core = "inspiration", m["core"]
    elif m := _INSTRUCTION.match(body):
        kind, core, verb = "instruction", m["core"], m["verb"].lower()
    core = _clean(core) or body or text.strip()
    styles = mentions_style(body, vocab)
    verb_style = VERB_STYLES.get(verb)
    if verb_style and verb_style in (vocab or VOCABULARY).get("style", ()) and verb_style not in styles:
        styles.insert(0, verb_style)
    return ParsedPrompt(kind=kind, core_prompt=core, subjects=mentions_subject(body, vocab), styles=styles)


def _contains(text: str, phrase: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(phrase.strip())}(?!\w)", text, re.I) is not None


def _compatible(frag: str, core_words: frozenset[str], wanted: frozenset[str]) -> bool:
    """Whether a fragment of an example prompt only adds finish the request allows: quality and palette words (no
    palette when the core names a colour), words the core already has, and style cues of a wanted style (those of
    the card's own styles when the request wants no medium)."""
    text = frag.lower()
    for m in _CUE_RE.finditer(text):
        if not wanted.intersection(STYLE_CUES[int(m.lastgroup[1:])][1]) and not core_words.issuperset(
            _WORD.findall(m[0])
        ):
            return False
    rest = _CUE_RE.sub(" ", text)
    for w in _WORD.findall(rest):
        if w in QUALITY_WORDS or w in core_words:
            continue
        if w in PALETTE_WORDS and core_words.isdisjoint(COLOUR_WORDS):
            continue
        return False
    return True


def template_extend(core_prompt: str, card: ModelCard, styles: Sequence[str] | None = None) -> str:
    """The core prompt verbatim, then the card's trigger words, then phrases its example prompts share, if they add
    nothing but finish compatible with the request: no object, place, time or lighting the core does not name, and
    no look but the requested `styles` (read from the core when not given; with none, the card's own styles)."""
    parts = [core_prompt] if core_prompt.strip() else []
    for tw in card.trigger_words:
        if tw.strip() and not _contains(", ".join(parts), tw):
            parts.append(tw.strip())
    requested = mentions_style(core_prompt) if styles is None else list(styles)
    wanted = frozenset(requested) - GENRE_STYLES - {"general"}
    wanted = wanted or frozenset(card.tags) | frozenset(requested)
    core_words = frozenset(_WORD.findall(core_prompt.lower()))
    counts: dict[str, int] = {}
    candidates: list[tuple[str, bool]] = []  # (fragment, is the example's lead fragment)
    for example in card.example_prompts:
        seen: set[str] = set()
        for i, frag in enumerate(f.strip(" .") for f in example.split(",")):
            key = frag.lower()
            if not frag or key in seen:
                continue
            seen.add(key)
            if key not in counts:
                candidates.append((frag, i == 0))
            counts[key] = counts.get(key, 0) + 1
    picked = []
    for frag, lead in candidates:
        recurs = counts[frag.lower()] > 1
        if len(frag.split()) > 4 or (not recurs and (lead or re.match(r"(?:an?|the)\s", frag, re.I))):
            continue  # an example's lead fragment or an article phrase is its subject, not its style
        if (recurs or _MODIFIER_RE.search(frag)) and _compatible(frag, core_words, wanted):
            picked.append((not recurs, frag))
    picked.sort(key=lambda p: p[0])  # stable: phrases the examples share come first, then first-seen order
    added = 0
    for _, frag in picked:
        if added < MAX_BORROWED and not _contains(", ".join(parts), frag):
            parts.append(frag)
            added += 1
    return ", ".join(parts)
