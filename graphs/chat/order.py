"""A change said in a shape the rules do not read, put in the order it asks for, before any reader sees it: a polite
question ("could the umbrella be pink?" -> make the umbrella pink), a learner's word order ("Q to be in white" ->
make the Q white), a value taken back in the same breath ("red - sorry, orange, I mean" -> orange). Each is a
table of shapes and the order each one says; text of no known shape comes back as it was."""

from __future__ import annotations

import re

from graphs.reading.attributes import SHADES
from graphs.reading.restyle import strip_styles
from graphs.reading.rules import mentions_style
from graphs.reading.scene import CLASSES, class_of

_F = re.I | re.S

# A thing of the picture, as a polite question names it: "the umbrella", "her hair", "it", "they".
_THING = r"(?P<thing>(?:the|her|his|its|their|that|this)\s+[\w'-]+(?:\s+[\w'-]+)??|it|they|them|he|she|him)"
# A question that asks for a change, and the order it asks for ("could the umbrella be pink" -> "make the umbrella
# pink"): a polite writer says nearly every change this way.
_ASKED = [
    (
        re.compile(
            rf"^(?:could|can|might|may|would|should)\s+{_THING}\s+(?:also\s+)?be\s+(?!(?:at\s+all\s+)?(?:possible|"
            r"alright|all\s+right|ok(?:ay)?|able|too|a\s+(?:problem|bother)|fine|nice|great|lovely|better)\b)(?P<rest>\S.*)$",
            _F,
        ),
        "make {thing} {rest}",
    ),
    (
        re.compile(
            rf"^(?:would\s+it\s+be\s+\w+\s+|what\s+|(?:i\s+think\s+)?it\s+(?:would|might)\s+(?:be|look)\s+"
            rf"(?:much\s+|a\s+lot\s+|even\s+)?(?:nicer|better|cooler|prettier|cuter|funnier)\s+)"
            rf"if\s+{_THING}\s+(?:became|was|were)\s+(?P<rest>\S.*)$",
            _F,
        ),  # "what if the cat were a raccoon", "I think it would be nicer if the cat were a raccoon"
        "make {thing} {rest}",
    ),
    (
        re.compile(
            rf"^i\s+(?:wondered|wonder|was\s+wondering)\s+(?:if|whether)\s+{_THING}\s+(?:could|might|would|can)\s+"
            r"(?:also\s+)?be\s+(?P<rest>\S.*)$",
            _F,
        ),
        "make {thing} {rest}",
    ),
    (
        re.compile(
            rf"^(?:could|can|might)\s+{_THING}\s+(?:sit|be\s+placed|go)\s+(?P<rest>(?:on|in|against|at)\s.*)$", _F
        ),
        "put {thing} {rest}",
    ),
    # "can she have red hair?": the one drawn, with it
    (re.compile(r"^(?:could|can|may|might)\s+(?:she|he|they)\s+(?:have|get|wear)\s+(?P<rest>\S.*)$", _F), "add {rest}"),
    (re.compile(rf"^(?:could|can|might)\s+{_THING}\s+(?:have|get|wear)\s+(?P<rest>\S.*)$", _F), "give {thing} {rest}"),
    (
        re.compile(
            r"^(?:i\s+wonder\s+if\s+|i\s+was\s+wondering\s+if\s+)?(?:could|can|might)\s+there\s+(?:also\s+)?be\s+(?P<rest>\S.*)$",
            _F,
        ),
        "with {rest}",
    ),
    (re.compile(r"^i\s+wonder\s+if\s+there\s+(?:could|might)\s+be\s+(?P<rest>\S.*)$", _F), "with {rest}"),
    (
        re.compile(
            r"^(?:could|can|might|may|shall)\s+we\s+(?:also\s+|perhaps\s+|maybe\s+|please\s+)*(?:have|get|see)\s+(?P<rest>(?!.*\b(?:instead|rather)\b)\S.*)$",
            _F,
        ),
        "add {rest}",
    ),
    (
        re.compile(
            r"^(?:could|can|might|may|shall)\s+we\s+(?:also\s+|perhaps\s+|maybe\s+|please\s+)*(?:try|have|get|see|do)\s+(?:it\s+|them\s+)?(?:(?:with|as)\s+)?(?P<rest>\S.*)$",
            _F,
        ),
        "{rest}",
    ),
    (
        re.compile(
            r"^(?:(?:could|can|might|may|shall)\s+we|(?:perhaps|maybe)\s+we\s+could|i\s+wonder,?\s+(?:could|can)\s+we|would\s+it\s+be\s+(?:alright|all\s+right|ok(?:ay)?|possible|fine)\s+(?:for\s+you\s+)?to|would\s+you\s+(?:be\s+able\s+to|consider|kindly|mind)|would\s+you)\s+(?:also\s+|perhaps\s+|maybe\s+|please\s+)*(?P<rest>\w.*)$",
            _F,
        ),
        "{rest}",
    ),
]


# "That's adorable, could the robot be …", "in that case, could we …": a remark before the question is set aside
REMARK_FIRST = re.compile(r"^[^,?]{2,40},\s*(?=(?:could|can|would|might|may|perhaps|maybe|i\s+wonder)\s)", _F)


_ASKED += [  # what is left once the courtesy is off: "try it as a day sky", "have some seagulls around him"
    (re.compile(r"^try\s+(?:it|them)\s+(?:with|as)\s+(?P<rest>\S.*)$", _F), "{rest}"),
    # "i'd rather it was udon": it made so
    (re.compile(r"^(?:it|they)\s+(?:should|must|needs?\s+to)\s+be\s+(?P<rest>(?:on|against)\s+\S.*)$", _F), "{rest}"),
    (re.compile(r"^(?:more\s+like|closer\s+to)\s+(?P<rest>(?:an?|some)\s+\S.*)$", _F), "make it {rest}"),
    (re.compile(r"^i[’']?d\s+rather\s+(?:it|they)\s+(?:was|were|be)\s+(?P<rest>\S.*)$", _F), "make it {rest}"),
    (
        re.compile(
            r"^(?:have|see|get)\s+(?P<rest>(?:an?|some|the|two|three|four|\d+)\s(?=.*\b(?:instead|rather)\b).*)$", _F
        ),
        "{rest}",
    ),
]


# "... instead of bamboo - a bit more striking": the reason after a dash is not part of the change
DASH_REMARK = re.compile(
    r"\s+[-–—]\s+(?:a\s+bit|it[’']?s|it\s+(?:is|would|will|might)|that[’']?s|that\s+would|since|because|for|so|as)\b.*$",
    _F,
)


def asked(t: str) -> str:
    for rx, shape in _ASKED:
        if m := rx.match(t):
            return shape.format(**{k: v.strip() for k, v in m.groupdict().items() if v is not None}).strip()
    return t


# "the circle in red - sorry, I meant purple, not red", "purple - no, wait, black": a value taken back in the same
# breath; the later word stands where the earlier one was
_TAKEN_BACK = re.compile(
    # a word that takes back is needed: "the sky blue, no clouds" removes the clouds
    r"(?P<old>\b[\w-]+)\s*[-–—,]\s*(?=(?:no\W+)?(?:sorry|wait|oops|actually|i\s+meant|make\s+that)\b)"
    r"(?:(?:no|sorry|wait|oops|actually|erm|um)\b[\s,]*)*(?:i\s+meant\s+|i\s+mean\s+|make\s+"
    r"that\s+)?(?!(?:no|sorry|wait|actually|not)\b)(?P<new>(?:an?\s+)?(?:deep\s+|pale\s+|dark\s+|light\s+|bright\s+)?[\w-]+)(?:\s*,?\s*i\s+mean)?"
    r"(?:\s*,?\s*not\s+(?:an?\s+)?(?P<not>[\w-]+))?\s*(?:[-–—]\s*|(?=[,.?!]|$))",
    _F,
)


_NOT_A_VALUE = frozenset("one ones it them instead now too please then".split())  # the value is the word before


def taken_back(text: str) -> str:
    """`text` with a value corrected in the same breath replaced by its correction: "make the circle red - sorry,
    orange, I mean" -> "make the circle orange"."""
    m = _TAKEN_BACK.search(text)
    if not m:
        return text
    new = re.sub(r"^an?\s+", "", m["new"], flags=_F)
    head, tail = text[: m.start()], text[m.end() :]
    if m["not"] and not re.search(rf"\b{re.escape(m['not'])}\b", head + m["old"], _F):
        return text  # "not quite - i meant deep plum, not burgundy": a correction of the picture, not of this message
    if m["not"] and m["not"].lower() != m["old"].lower() and re.search(rf"\b{re.escape(m['not'])}\b", head, _F):
        # "a teal bicycle instead - sorry, I meant turquoise, not teal": the word named after "not" is the one taken back
        head = re.sub(rf"\b{re.escape(m['not'])}\b(?!.*\b{re.escape(m['not'])}\b)", new, head + m["old"], flags=_F)
        return re.sub(r"\s+([,.?!])", r"\1", f"{head} {tail}").strip(" ,")
    if m["old"].lower() in _NOT_A_VALUE and (prior := re.search(r"([\w-]+)\s+$", head)):
        head = head[: prior.start()]  # "a red one - sorry, I meant crimson": the colour before "one" is taken back
        return re.sub(r"\s+([,.?!])", r"\1", f"{head}{new} {m['old']} {tail}").strip(" ,")
    return re.sub(r"\s+([,.?!])", r"\1", f"{head}{new} {tail}").strip(" ,")


# -- a learner's word order: the shapes of a change said by someone still learning English, as the order they ask --

_W = r"[\w'-]+"
_X = rf"(?!an?\s)(?:the\s+)?{_W}(?:\s+(?!to\b|be\b|is\b|are\b|for\b|out\b|change\b|becomes?\b){_W})?"
_LEAD_AND = r"^(?:and\s+|also\s+|please\s+)?"
# a thing named first is no word of talk: "now make red", "can you change into a cat", "lets remove" name nothing
_NAMED = r"(?!(?:now|then|just|pls|plz|please|ok|okay|also|so|lets|let[’']s|i|you|we|can|could|would|will|maybe|perhaps|and|hmm+|try|what|how|why|do|did|does|is|are|it|that|this|instead|not|no)\b)"
_QUALITY = "|".join(sorted({w for c in ("colour", "size", "material") for w in CLASSES[c]}, key=len, reverse=True))
_SHADE = "|".join(sorted(SHADES, key=len, reverse=True))
LEARNER = [
    # "Q to be in white", "is possible the 5 to be 8?", "and make the green to be black"
    (
        re.compile(
            rf"{_LEAD_AND}(?:(?:is|it\s+is|it[’']s)\s+possible\s+|possible\s+)?(?:make\s+|i\s+want\s+)?(?P<x>{_X})\s+to\s+be\s+"
            r"(?:in\s+)?(?P<y>[^,?]+?)(?P<rest>(?:\s*,|\s+and\s).*)?\??$",
            _F,
        ),
        "make {the}{x} {y}{rest}",
    ),
    # "i want the house is blue", "i want sea is quiet, no storm", "i want that the door is blue"
    (
        re.compile(
            rf"{_LEAD_AND}i\s+(?:want|would\s+like)\s+(?:that\s+)?(?P<x>{_X})\s+(?:is|are|be|will\s+be)\s+(?P<y>[^?]+?)\??$",
            _F,
        ),
        "make {the}{x} {y}",
    ),
    # "I want the lanterns blue", "i need the car dark red": a thing and the colour or size it should have
    (
        re.compile(
            rf"{_LEAD_AND}i\s+(?:want|need|would\s+like|[’']d\s+like)\s+(?P<x>the\s+[\w'-]+(?:\s+[\w'-]+)?)\s+"
            rf"(?P<y>(?:(?:{_SHADE})\s+)?(?:{_QUALITY})(?:\s+(?:and\s+)?(?:{_QUALITY}))?)[\s.!]*$",
            _F,
        ),
        "make {x} {y}",
    ),
    # "sunflowers change in white roses", "the chrome change in gold", "change hills with snowy mountains"
    (
        re.compile(
            rf"{_LEAD_AND}{_NAMED}(?!\S+\s+colou?rs?\b|colou?rs?\b)(?P<x>{_X})\s+changes?\s+(?:in|into|to|with)\s+(?P<y>[^?]+?)\??$",
            _F,
        ),
        "change {the}{x} to {y}",
    ),
    (
        re.compile(rf"{_LEAD_AND}change\s+(?P<x>{_X})\s+(?:with|in|into)\s+(?P<y>[^?]+?)\??$", _F),
        "replace {the}{x} with {y}",
    ),
    # "fog remove and make sunset", "the hat delete pls"
    (
        re.compile(
            rf"{_LEAD_AND}{_NAMED}(?P<x>{_X})\s+(?:remove|delete)\b(?:\s+(?:pls|please))?(?P<rest>\s*(?:,|and\s).*)?$",
            _F,
        ),
        "remove {the}{x}{rest}",
    ),
    # "background make purple", "black make red", "bg put blue instead of orange"
    (
        re.compile(
            rf"{_LEAD_AND}{_NAMED}(?P<x>{_X})\s+(?:make|put|do|paint)\s+(?!it\b|them\b|him\b|her\b|a\b|an\b|the\b)(?P<y>[^?]+?)\??$",
            _F,
        ),
        "make {the}{x} {y}",
    ),
    # "move all to desert road", "put everything in a forest"
    (
        re.compile(
            rf"{_LEAD_AND}(?P<v>move|put|take)\s+(?:all|everything|everyone|all\s+of\s+it)\s+(?P<y>(?:to|in|into|on)\s+.+)$",
            _F,
        ),
        "{v} it {y}",
    ),
    # "make him wear red scarf", "let her hold a balloon", "make the mouse wear glasses"
    (
        re.compile(
            rf"{_LEAD_AND}(?:make|let)\s+(?:him|her|them|it|the\s+[\w'-]+)\s+(?P<v>wear|hold|carry|have)\s+(?P<y>.+?)$",
            _F,
        ),
        "add {y}",
    ),
    # "do the sky day", "do him a woman young", "do the checkerboard like polka dots"
    (
        re.compile(
            rf"{_LEAD_AND}do\s+(?P<x>the\s+{_W}(?:\s+{_W})??|him|her|them|it(?!\s+(?:like|as|in)\b))\s+(?:like\s+|as\s+|in\s+)?(?P<y>(?![^?]*\binstead\b)[^?]+?)\??$",
            _F,
        ),
        "make {x} {y}",
    ),
    # "give background orange" (a value, not a thing to give: "give it a hat" keeps its article)
    (
        re.compile(
            rf"{_LEAD_AND}give\s+(?P<x>(?:the\s+)?(?:background|backdrop|sky))\s+(?P<y>(?!an?\s|the\s)[^?]+?)$", _F
        ),
        "make {the}{x} {y}",
    ),
    # "change triangle for star", "instead hills put desert", "ring change, i want square", "orange out, white in"
    (re.compile(rf"{_LEAD_AND}change\s+(?P<x>{_X})\s+for\s+(?P<y>.+?)$", _F), "replace {the}{x} with {y}"),
    (
        re.compile(
            rf"{_LEAD_AND}instead\s+(?:of\s+)?(?P<x>{_X})\s*,?\s+(?:put|use|make|do|i\s+want)\s+(?P<y>.+?)$", _F
        ),
        "replace {the}{x} with {y}",
    ),
    (re.compile(rf"^(?P<x>{_X})\s+change\s*,?\s+i\s+want\s+(?P<y>.+?)$", _F), "replace {the}{x} with {y}"),
    (re.compile(rf"^(?P<x>{_X})\s+out\s*,\s*(?P<y>{_X})\s+in$", _F), "replace {x} with {y}"),
    # "black stripes becomes yellow"
    (re.compile(rf"{_LEAD_AND}(?P<x>{_X})\s+becomes?\s+(?P<y>.+?)$", _F), "make {the}{x} {y}"),
    # "more one star, red", "put more one tree"
    (re.compile(rf"{_LEAD_AND}(?:put\s+|add\s+)?more\s+one\s+(?P<y>.+)$", _F), "add one more {y}"),
    # "red is not good, put green on his place"
    (
        re.compile(
            rf"^(?P<x>{_W})\s+is\s+not\s+good\s*,?\s+(?:put|use|i\s+want)\s+(?P<y>{_W})(?:\s+(?:on|in)\s+(?:his|its|the|her)\s+place)?$",
            _F,
        ),
        "replace {x} with {y}",
    ),
]
_PRONOUN_OR_THE = re.compile(r"^(?:the|him|her|them|it|his|its)\b", _F)


_DO_VALUE = re.compile(r"^(?:let[’']?s\s+|maybe\s+|just\s+)?(?:do|go\s+with|try)\s+(?P<y>(?P<w>[\w-]+)\b.*)$", _F)


def learner_order(text: str) -> str:
    """A change in a learner's word order said as the order it asks for ("Q to be in white" -> "make the Q white");
    any other text as it is."""
    t = text.strip()
    if (m := _DO_VALUE.match(t)) and class_of(m["w"]) == "colour":  # "let's do blue and white instead"
        return f"make it {m['y']}"
    for rx, shape in LEARNER:
        if m := rx.match(t):
            parts = {k: (v or "").strip() for k, v in m.groupdict().items()}
            the = "" if _PRONOUN_OR_THE.match(parts.get("x", "")) else "the "
            rest = parts.pop("rest", "")
            return shape.format(the=the, rest=f" {rest}" if rest and not rest.startswith(",") else rest, **parts)
    return text


# A value and the one it replaces, said as a contrast: "sunset, not day", "desert, no hills", "the moon, not sun",
# "desert no, a battlefield with smoke better", "use maple syrup, honey no" -> "<value> instead of <old>".
_CONTRAST = (
    re.compile(
        r"^(?:and\s+|also\s+|but\s+)?(?P<v>[^,]+?)\s*(?:,\s*|\s+)(?:but\s+)?(?:not|no)\s+(?:more\s+)?(?:the\s+|an?\s+)?"
        r"(?P<old>[\w-]+(?:\s+[\w-]+)?)(?:\s+ones?)?[.!]*$",
        _F,
    ),
    re.compile(
        r"^(?P<old>[\w-]+(?:\s+[\w-]+)?)\s+no\s*[,.;]\s*(?P<v>.+?)(?:\s+(?:is\s+)?(?:better|instead|please|pls))?[.!]*$",
        _F,
    ),
    re.compile(r"^(?P<v>[^,]+?)\s*,\s*(?P<old>[\w-]+(?:\s+[\w-]+)?)\s+no[.!]*$", _F),
)
# Words about the picture itself or how to change it, beside the value a contrast names.
_ABOUT = frozenset(
    "the a an it its them they sky scene picture image one make turn have put use at in on to be".split()
)
_THING_FIRST = re.compile(r"^(?:the\s+)?(?P<thing>[a-z][\w-]*)\s+(?P<val>(?:in\s+)?[\w-]+(?:\s+[\w-]+)?)$", _F)


def contrast(text: str, previous: str | None) -> str:
    """A contrast put as a replacement, when the word it sets aside is one of the last picture's ("sofa red, not
    blue" -> "make the sofa red instead of blue"); any other text comes back as it was."""
    if not previous:
        return text
    for rx in _CONTRAST:
        m = rx.match(text.strip())
        if not m or re.search(r"\b(?:instead|rather|not)\b", m["v"], _F):
            continue
        old, value = m["old"].strip(), re.sub(r"^(?:use|make\s+it|i\s+want|go\s+with)\s+", "", m["v"].strip(), flags=_F)
        if not value or value.lower() == old.lower():
            continue
        if not all(re.search(rf"\b{re.escape(w)}(?:e?s)?\b", previous, _F) for w in old.split()):
            continue  # "a cat, no dogs" of a picture with no dogs: not a contrast with the picture
        if (cls := class_of(old)) and len(old.split()) == 1:
            same = [w for w in re.findall(r"[\w-]+", value) if class_of(w) == cls]
            others = [
                w
                for w in re.findall(r"[\w-]+", value.lower())
                if not class_of(w) and w not in _ABOUT and not re.search(rf"\b{re.escape(w)}", previous, _F)
            ]
            if len(same) == 1 and not others:  # "the sky at sunset, not day", "make stripes horizontal, not vertical"
                return f"{same[0]} instead of {old}"
        v = _THING_FIRST.match(value)
        if (
            v
            and class_of(old)
            and not class_of(v["thing"])
            and class_of(v["val"].split()[-1]) == class_of(old)
            and re.search(rf"\b{re.escape(v['thing'])}", previous, _F)
        ):
            val = re.sub(r"^in\s+", "", v["val"], flags=_F)
            return f"make the {v['thing']} {val} instead of {old}"
        return f"{value} instead of {old}"
    return text


# A style asked for in a roundabout way, put as the order it asks ("i'd like it in the style of van gogh" -> "make it
# in the style of van gogh", "in the manner of Sargent" -> "in the style of Sargent").
_STYLE_ASKED = (
    (
        re.compile(
            r"^(?:i[’']?d\s+(?:like|love)|i\s+want|i\s+would\s+like)\s+(?:to\s+see\s+)?it\s+(?P<rest>(?:in|as|like|done)\b.+)$",
            _F,
        ),
        "make it {rest}",
    ),
    (
        re.compile(
            r"^(?:would\s+it\s+be\s+too\s+much\s+to\s+ask\s+for\s+it|would\s+you\s+(?:try|do|render)\s+it|"
            r"(?:could|can|may)\s+(?:you|we|i)\s+(?:try|see|do|render|have|get)\s+it(?:\s+done)?|"
            r"would\s+it\s+be\s+possible\s+to\s+(?:see|have|render|do)\s+it(?:\s+done)?)\s+(?P<rest>(?:in|as|like)\b.+)$",
            _F,
        ),
        "make it {rest}",
    ),
    (
        re.compile(r"^(?:can|could)\s+(?:you\s+)?make\s+(?:it\s+)?like\s+a\s+picture\s+(?:of|by)\s+(?P<rest>.+)$", _F),
        "in the style of {rest}",
    ),
    (
        re.compile(r"^(?:(?:make|do|paint)\s+it\s+)?in\s+the\s+manner\s+of\s+(?P<rest>.+)$", _F),
        "in the style of {rest}",
    ),
    (
        re.compile(
            r"^(?:now\s+)?give\s+it\s+(?:an?\s+|the\s+)?(?P<rest>.+?)\s+(?:treatment|look|feel|vibe|aesthetic)$", _F
        ),
        "{rest} style",
    ),
)


def style_asked(text: str) -> str:
    """A style asked for in a roundabout way, put as the order it asks; any other text as it was."""
    t = re.sub(r"^(?:and|so|but|then|also)\s+", "", text.strip().rstrip(" ?!."), flags=_F)
    for rx, order in _STYLE_ASKED:
        if m := rx.match(t):
            rest = re.sub(r"\s+(?:too|please|pls|instead)$", "", m["rest"].strip(), flags=_F)
            return order.format(rest=rest)
    return text


# A style said as how the picture should look: "like an oil painting from the baroque era", "could it look like a 90s
# anime", "anime style like ghibli", "low poly version of this", "cinematic movie poster look".
_LOOKS = (
    re.compile(
        r"^(?:(?:make|do|render|paint|redo)\s+it\s+|(?:could|can|would|might)\s+it\s+|it\s+)?(?:look\s+|looks\s+|be\s+)?"
        r"(?:nice\s+|better\s+|cool\s+)?(?:(?P<how>(?!(?:more|less|kind|sort|just|exactly|a|bit|little|lot|much)\b)"
        r"[\w-]+-[\w-]+|[\w-]+ed),?\s+)?(?:like|as)\s+(?:an?\s+)?(?P<s>.+?)$",
        _F,
    ),
    re.compile(
        r"^(?:make\s+it\s+|do\s+it\s+|in\s+)?(?P<s>.+?\s+(?:style|painting|drawing|art|anime|illustration|render|sketch))"
        r"\s+(?:like|by|from)\s+(?P<who>.+)$",
        _F,
    ),
    re.compile(
        r"^(?:make\s+it\s+|do\s+it\s+|give\s+me\s+)?(?:an?\s+)?(?P<s>.+?)\s+(?:version|look)(?:\s+of\s+(?:this|it))?$",
        _F,
    ),
)
_LOOK_TAIL = re.compile(r"[\s,]+(?:pls|please|plz|maybe|instead|now|too|thanks|thx)$", _F)


def looks_like(text: str) -> str | None:
    """The style a message asks for by how the picture should look, or None when it names no style or more than one."""
    t = re.sub(r"^(?:and|so|but|then|also|now|hmm+|ok(?:ay)?)[\s,]+", "", text.strip().rstrip(" ?!."), flags=_F)
    while (cut := _LOOK_TAIL.sub("", t)) != t:
        t = cut
    for rx in _LOOKS:
        m = rx.match(t)
        if not m or len(m["s"].split()) > 7 or not mentions_style(m["s"]):
            continue
        if re.search(r"\b(?:with|and\s+(?:an?|the|some)|add|remove|instead\s+of)\b", m["s"], _F):
            return None  # "like a painting, with a dog": a change as well as a look
        style = m["s"].strip()
        if m.groupdict().get("how"):  # "make it look hand-drawn, like a technical pen illustration"
            style = f"{m['how']} {style}"
        if "who" in m.groupdict() and m["who"]:
            style = f"{style} like {m['who'].strip()}"
        # a painter the vocabulary does not hold ("a Van Gogh") is wrapped in the shape a later style change
        # replaces whole; "a charcoal drawing" holds a style word, which a later change replaces
        named = re.search(r"\b[A-Z][a-z]", style) and strip_styles(style).strip(" ,") == style
        return f"in the style of {style}" if named else style
    return None
