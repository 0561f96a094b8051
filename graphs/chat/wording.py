"""Ways of saying a turn that the phrase rules of graphs.chat.refine do not enumerate: a look change said in a
photographer's or a learner's words ("lower the exposure a stop", "put more warm the colors"), small talk and
questions about the system in free word order, and long polite messages whose request sits in one sentence.

These read by vocabulary rather than by phrase, so new orderings of known words need no new rule.
"""

from __future__ import annotations

import re

from graphs.chat.order import DASH_REMARK, REMARK_FIRST, asked, taken_back
from graphs.reading.rules import COURTESY_IF

_F = re.I | re.S
_WORD = re.compile(r"[a-z][a-z’']*", re.I)

# Words that change how the whole picture looks, not what is in it: tone, colour grading and exposure, as an
# editor or camera names them. "white balance" is one word here so its "white" is not read as a colour.
_LOOK = frozenset(
    "dark darker darkest darken light lighter lighten bright brighter brighten brightness dim dimmer warm warmer warmth "
    "cool cooler moody moodier dramatic spooky gloomy sharp sharper sharpen sharpness soft softer soften crisp crisper "
    "blurry blurrier vivid vibrant vibrance vibrancy saturated saturation saturate desaturate desaturated colorful "
    "colourful contrast contrasty faded muted grainy grain noise cleaner smoother punchy punchier dull flat loud "
    "exposure exposed overexposed underexposed whitebalance shadows highlights blacks whites clarity haze dehaze "
    "temperature tint gamma glow glowy pastel pop punch bluer redder greener yellower pinker warmer".split()
)
# Degree, verbs of adjusting and the carrier words of a request; none of them names a thing in the picture.
_CARRIER = frozenset(
    "more less bit little lot much slightly way even too very so kinda kind of a an the touch tad stop stops half one "
    "up down bump lift raise lower drop pull push crush boost increase decrease reduce add put tone turn tweak adjust "
    "make it its it's is be feel feels look looks looking should would could can you please pls plz and but just "
    "maybe perhaps some me give i i'd id like want to overall tbh lol hmm yes yeah ok okay now again whole image "
    "picture thing colours colors colour color tones mood vibe vibes lighting light bit overall all little "
    "for my eyes thanks knock back".split()
)


def look_change(text: str) -> str | None:
    """The change if every word of the message adjusts the look of the whole picture ("bump the saturation",
    "cooler white balance, lift the shadows", "is too much saturated, make less"), else None."""
    t = re.sub(r"\bwhite[\s-]+balance\b", "whitebalance", text.lower())
    words = [w.replace("’", "'") for w in _WORD.findall(t)]
    if not words or not any(w in _LOOK for w in words):
        return None
    if all(w in _LOOK or w in _CARRIER for w in words):
        return " ".join(text.strip(" ?!.,").split()).lower()
    return None


# Terms of the system itself: a question about one is about how pictures are made, not a picture to make.
_SYSTEM_TERM = (
    r"\b(?:models?|checkpoints?|loras?|seeds?|samplers?|cfg|sdxl|sd\s*1\.5|sd|stable\s+diffusion|ai|prompts?|"
    r"vae|embeddings?|experts?|diffusion)\b"
)
_QUESTION_LEAD = (
    r"^(?:(?:hmm+|um+|ok(?:ay)?|lol|so|and|hello|hi|hey|thanks?|thank\s+you)[\s,!.]+)*"
    r"(?:what(?!\s+(?:about|if)\b)(?:[’']?s|\s+is|\s+are|\s+does|\s+do)?|whats|why|how(?!\s+about\b)|which|who|when|"
    r"where|explain|tell\s+me|(?:could|can)\s+you\s+(?:explain|tell\s+me)|i\s+was\s+wondering,?\s+(?:why|how|what|which)|"
    r"do\s+you|does\s+it|"
    r"are\s+you|is\s+it|is\s+this|is\s+that|did\s+you)\b"
)
_QUESTION = re.compile(_QUESTION_LEAD + r".*" + _SYSTEM_TERM, _F)
_SYSTEM_ASK = re.compile(
    r"^(?:(?:hmm+|um+|ok(?:ay)?|lol|hello|hi|hey|thanks?|thank\s+you)[\s,!.]+)*(?:how\s+(?:you|do\s+you|does\s+(?:it|this))"
    r"\s+work|how\s+long\s+(?:does|do|will)\b|what\s+do\s+you\s+think\b|why\s+(?:that|this)\s+(?:one|checkpoint|model)\b)",
    _F,
)
# A closing or a thanks with its usual tail: nothing in it names a picture.
_SMALL_TALK = re.compile(
    r"^(?:(?:ok(?:ay)?|k|oh|ah|well|hmm+|lol|great|i\s+see|thanks?|thank\s+you|thx|ty)[\s,!.]+)*"
    r"(?:(?:thanks?|thank\s+you|thx|ty|cheers)(?:\s+(?:so|very)\s+much|\s+a\s+lot|\s+again)?(?:\s+for\s+(?:your|the|all)"
    r"(?:\s+\w+){1,3})?|(?:you[’']?re|ur|you\s+are)\s+(?:the\s+best|great|awesome|a\s+star)|(?:have\s+a\s+(?:nice|lovely|"
    r"great|good)\s+(?:day|evening|night|one))|(?:you[’']?ve|you\s+have)\s+been\s+(?:very\s+|so\s+|really\s+)?"
    r"(?:helpful|great|kind|patient)|i[’']?ll\s+think\s+about\s+it|bye|goodbye|see\s+you|(?:hmm+\s+)?interesting"
    r"|that[’']?s\s+all)(?:[\s,!.:)]+(?:(?:thanks?|thank\s+you|thx|ty|cheers)(?:\s+(?:so|very)\s+much|\s+a\s+lot)?|"
    r"(?:you[’']?re|ur)\s+the\s+best|have\s+a\s+(?:nice|lovely|great|good)\s+(?:day|evening|night|one)|(?:you[’']?ve|"
    r"you\s+have)\s+been\s+(?:very\s+|so\s+|really\s+)?(?:helpful|great|kind|patient)|i[’']?ll\s+think\s+about\s+it|bye"
    r"|goodbye|see\s+you|again|lol))*[\s!.,:)]*$",
    _F,
)
_DRAW = re.compile(
    r"\b(?:draw|generate|paint|render|make|change|add|remove|put|turn|replace|swap|picture\s+of|image\s+of|photo\s+of)\b",
    _F,
)


def small_talk(text: str) -> str | None:
    """'greeting' for a thanks or a goodbye in any of its usual forms, 'question' for a question about models, seeds
    and the like ("what's a LoRA?", "why that checkpoint?"), else None."""
    t = " ".join(text.strip().split())
    if _SMALL_TALK.match(t):
        return "greeting"
    if _SYSTEM_ASK.search(t) or (_QUESTION.search(t) and not _DRAW.search(t)):
        return "question"
    return None


# -- a revert said in parts: a verb of return, a picture named by its place in the thread or by what it showed ----

ORDINALS = {"first": 1, "original": 1, "initial": 1, "orig": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}
_PRIOR = r"(?:previous|last|earlier|old|prior|other)"
_NOUN = r"(?:\s+(?:one|version|picture|image|pic|turn|result|design|shot|attempt))"
_REF = rf"(?:the\s+|that\s+|my\s+)?(?P<ref>[\w\s-]+?){_NOUN}?"
_LEAD = r"^(?:(?:nah|no|hmm+|oh|ugh|ok(?:ay)?|well|actually|sorry|oh\s+dear|yeah|please|i\s+think|honestly)[\s,!.]+)*"
_REVERTS = (
    # "return back to the rain one", "let's go back to the mountains", "revert to the orange version"
    re.compile(
        _LEAD
        + r"(?:(?:let[’']?s|lets|please|we|could\s+we|can\s+we|i\s+want\s+to)\s+)?(?:(?:go|get|come|switch|take\s+me|"
        rf"bring\s+me|roll)\s+back|return(?:\s+back)?|revert(?:\s+back)?)\s+(?:to\s+)?{_REF}$",
        _F,
    ),
    # "nah blue was better", "the first was better", "hmm the previous one was nicer"
    re.compile(
        _LEAD + rf"{_REF}\s+(?:was|looked|is|looks)\s+(?:much\s+|way\s+|a\s+lot\s+)?(?:better|nicer|best|prettier)"
        r"(?:\s+(?:tbh|honestly|after\s+all))?$",
        _F,
    ),
    # "I think I actually preferred the yellow one", "I liked the checkerboard better after all"
    re.compile(
        _LEAD + rf"(?:i\s+think\s+)?i\s+(?:actually\s+|really\s+)?(?:preferred|liked|loved|prefer)\s+{_REF}"
        r"(?:\s+(?:better|more))?(?:\s+(?:after\s+all|tbh|honestly|actually))?$",
        _F,
    ),
    # "prev pls", "the original", "original please": a picture of the thread named alone
    re.compile(rf"{_LEAD}(?:the\s+)?(?P<ref>{_PRIOR}|first|original|orig|initial|second|third){_NOUN}?$", _F),
)
WITHOUT = re.compile(r"^(?:version\s+|one\s+|picture\s+)?without\s+(?:the\s+|any\s+)?(?P<thing>.+)$", _F)


def revert_words(text: str) -> tuple[int | None, str] | None:
    """(turn number or None, words describing the picture) for a message asking for an earlier picture, else None.
    A turn number of None with no words means the one before the current; "without X" words name a picture
    lacking X."""
    t = re.sub(
        r"[\s,.!?]*(?:\b(?:please|pls|plz|thanks|now|again|go\s+back|tbh|lol)\b[\s,.!?]*)*$", "", text.strip(), flags=_F
    )
    for rx in _REVERTS:
        if m := rx.match(t):
            ref = " ".join(m["ref"].lower().split())
            ref = re.sub(r"^(?:the|that|my)\s+", "", ref)
            if ref in ORDINALS:
                return ORDINALS[ref], ""
            if ref in ("it", "that", "this", "them", "before", "") or re.fullmatch(_PRIOR + _NOUN + "?", ref):
                return None, ""
            if len(ref.split()) > 4 or re.search(r"\b(?:and|with|but|make|put|add)\b", ref):
                return None  # "back to the beach with a dog and a ball" is a new request, not a picture named
            return None, ref
    return None


# -- long messages: the request inside the courtesy, and the last word of a user who changes their mind ----------

_POLITE = re.compile(
    r"^(?:(?:sorry\s+to\s+bother\s+you(?:\s+again)?|oh\s+dear|i[’']?m\s+sorry|oh|ah|and|so|well|sorry|please|hmm+|um+|ok(?:ay)?)"
    r"[\s,!.]+|i\s+was\s+wondering\s+if\s+(?:you|u)\s+(?:could|can|might)\s+|i\s+(?:was\s+)?wonder(?:ing)?\s+(?:if|whether)\s+(?=the\s)|(?:could|can|would|will)\s+(?:you|u)\s+"
    r"(?:please\s+|possibly\s+|perhaps\s+|kindly\s+|maybe\s+|then\s+|also\s+)*(?:be\s+so\s+kind\s+as\s+to\s+|mind\s+)?|"
    r"would\s+it\s+be\s+(?:at\s+all\s+)?possible\s+(?:for\s+you\s+)?to\s+|(?:is\s+it\s+|is\s+)possible\s+to\s+|do\s+you\s+think\s+you\s+"
    r"could\s+|(?:could|can)\s+we\s+(?:please\s+)?(?=undo|go|get|have|see|try)|i[’']?d\s+(?:love|like)\s+(?:it\s+)?if\s+"
    r"you\s+could\s+|if\s+you\s+(?:could|can|don[’']?t\s+mind)[\s,]+)+",
    _F,
)
_POLITE_TAIL = re.compile(
    r"[\s,]*(?:\b(?:if\s+(?:that[’']?s|it[’']?s|it\s+is)\s+(?:possible|ok(?:ay)?|alright)|if\s+possible|if\s+you\s+"
    r"(?:can|could|don[’']?t\s+mind)|for\s+me|(?:pretty\s+)?please|thank\s+you|thanks|though|if\s+you\s+would|"
    r"(?:would|will|could|does|can)\s+(?:that|it|this)\s+(?:work|be\s+(?:ok(?:ay)?|possible|alright))|"
    r"is\s+(?:that|it|this)\s+possible|would\s+(?:look|be)\s+(?:much\s+|a\s+lot\s+)?(?:nicer|better|great|cooler|"
    r"prettier|lovely|good))\b[\s,?]*)+$",
    _F,
)
_GERUND = {
    "making": "make",
    "changing": "change",
    "adding": "add",
    "putting": "put",
    "trying": "try",
    "turning": "turn",
    "removing": "remove",
    "taking": "take",
    "giving": "give",
    "using": "use",
    "swapping": "swap",
    "replacing": "replace",
    "moving": "move",
    "doing": "do",
    "showing": "show",
}


def unwrap(sentence: str) -> str:
    """The request inside its courtesy: "Would you mind making it daytime, please?" -> "make it daytime";
    "could the umbrella be pink?" -> "make the umbrella pink"."""
    t = _POLITE_TAIL.sub("", taken_back(sentence.strip()).strip(" ?!.,"))  # "..., would that work?" asks nothing more
    t = DASH_REMARK.sub("", REMARK_FIRST.sub("", t).strip(" ?!.,"))
    t = re.sub(rf"(?:^|,)\s*(?:{COURTESY_IF})\s*,\s*", " ", t, flags=_F).strip()  # "and, if it's not a bother, ..."
    t = re.sub(r",\s*(?:please|pls|thanks)\s*,", ",", t, flags=_F)  # "could the kitten be black, please, and ..."
    t = _POLITE_TAIL.sub("", t.strip(" ?!.,")).strip(" ?!.,")
    bare = re.sub(r"^(?:so|and|oh|ah|well|sorry|hmm+|also)[\s,]+", "", t, flags=_F)
    ordered = asked(bare)
    if ordered == bare:  # the question read once its courtesy is off: "would you mind making ..." -> "making ..."
        t = _POLITE.sub("", t).strip(" ?!.,")
        ordered = asked(_POLITE_TAIL.sub("", t).strip(" ?!.,"))
    t = ordered
    first, _, rest = t.partition(" ")
    return f"{_GERUND[first.lower()]} {rest}".strip() if first.lower() in _GERUND else t


def sentences(text: str) -> list[str]:
    """A message cut into its sentences ("Thank you! Could you …? I think …"); an ellipsis ends one too."""
    return [
        s
        for s in (
            p.strip()
            for p in re.split(
                r"(?<=[.!?…])\s+|\.{3}\s*|\s+—\s+(?=[^—]*\b(?:could|can|would|should|make|add|put|change|please|pls)\b)",
                text.strip(),
            )
        )
        if s.strip(" .!?…")
    ]  # a dash before a clause that asks ends one too: "it's for my niece's recital — could her tutu be lilac?"


# A later sentence that opens like this takes back what came before ("make it darker. no, actually, brighter").
CORRECTION = re.compile(
    r"^(?:(?:no|nope|nah|wait|actually|or|rather|or\s+rather|hmm+|ok(?:ay)?|yes|yeah|yep|never\s+mind|on\s+second\s+"
    r"thought|sorry|maybe|then|well)(?:[\s,.!…]+|$))+",
    _F,
)
# A sentence that explains or comments on the request beside it, and asks for nothing of its own.
REMARK = re.compile(
    r"^(?:i\s+think\s+(?:the|it|that|this|they)\b|(?:it|that|this|they)(?:[’']s|[’']re|\s+(?:is|are|was|looks?|seems?|"
    r"feels?|would))\b|because\b|since\b|so\s+that\b|i\s+keep\b|i\s+saw\b|i[’']?d\s+like\s+to\s+(?:compare|see|try)\b|"
    r"i[’']?d\s+like\s+it\s+to\b|i\s+want\s+to\s+(?:compare|see)\b)",
    _F,
)
OPPOSITE = {
    "more": "less",
    "less": "more",
    "darker": "brighter",
    "brighter": "darker",
    "warmer": "cooler",
    "cooler": "warmer",
    "bigger": "smaller",
    "smaller": "bigger",
    "lighter": "darker",
}
