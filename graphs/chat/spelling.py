"""A message spelled out before it is read: a texter's shorthand ("cud u" -> "could you", "gimme" -> "give me"),
keywords misspelt by one slip repaired ("backgroud", "horizonal"), emoji dropped, "a → b" read as a replace."""

from __future__ import annotations

import re

from graphs.reading.scene import CLASSES, COLOURS

_F = re.I | re.S

_EMOJI = re.compile(r"[\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F]")
_COLOURS = "|".join(sorted(CLASSES["colour"], key=len, reverse=True))
_SHORTHAND = (
    (re.compile(r"\b(?:cud|cld|can|could)\s+u\b", re.I), "could you"),
    (re.compile(r"\bu\b", re.I), "you"),
    (re.compile(r"\bgimme\b", re.I), "give me"),
    (re.compile(r"(?<=\bthe\s)bg\b", re.I), "background"),  # "the bg", "make bg red"
    (re.compile(r"\b(make|change|paint|turn)\s+bg\b", re.I), r"\1 the background"),
    (re.compile(rf"\b({_COLOURS})/({_COLOURS})\b", re.I), r"\1 and \2"),  # "red/white instead"
    # "overgrown w vines", "planet blue n icy": the chat shorthand for "with" and "and" between words (never the
    # letter itself: "the letter w")
    (re.compile(r"(?<!\bletter)(?<=[a-z])\s+w/?\s+(?=[a-z]{2})"), " with "),
    (re.compile(r"(?<!\bletter)(?<=[a-z0-9])\s+n\s+(?=[a-z0-9]{1,})"), " and "),
    (re.compile(r"\b(the\s+[\w-]+)['’]s\s+(?=an?\s)", re.I), r"\1 is "),  # "the raven's an owl"
    (re.compile(r"\blemme\b", re.I), "let me"),
    (re.compile(r"\bwanna\b", re.I), "want to"),
    (re.compile(r"\b(?:colour|color)s\b", re.I), "colours"),
    # A power user's clipped words, each read as the word the rules know ("bg white", "prev pls", "diff model").
    (re.compile(r"\bbg\b", re.I), "background"),
    (re.compile(r"\bprev\b", re.I), "previous"),
    (re.compile(r"\borig\b", re.I), "original"),
    (re.compile(r"\bdiff\b", re.I), "different"),
    (re.compile(r"\bdiag\b", re.I), "diagonal"),
    (re.compile(r"\bmoar\b", re.I), "more"),
    (re.compile(r"\bthx\b", re.I), "thanks"),
    (re.compile(r"\bpic\b", re.I), "picture"),
    (re.compile(r"\blil\b", re.I), "little"),
    (re.compile(r"\bda\b", re.I), "the"),
    (re.compile(r"\bem\b", re.I), "them"),
    (re.compile(r"(?<!\S)w/\s*", re.I), "with "),
    (re.compile(r"^k(?=\s*[,!.]|\s*$|\s+(?:now|then|thanks|thx|cool|great|nice)\b)"), "ok"),  # "K to be red" is a glyph
    (re.compile(r"^\+\s*(?=\w)"), "add "),
    (re.compile(r"\b(?:backgrnd|backgrd|bckgrnd|bkgd|bkg|bgd)\b", re.I), "background"),
    (re.compile(r"\bthru\b", re.I), "through"),
    # a learner's "instead" without its "of" ("stripes diagonal instead dots", "put a ring instead star")
    (
        re.compile(
            r"\binstead\s+(?!of\b)(?=(?:the\s+|an?\s+)?(?!(?:pls|plz|please|now|then|too|thanks|thx|lol|maybe|ok|okay|"
            r"i|you|is|are|would|could|should|and|but|or|so|if|with)\b)[a-z])",
            re.I,
        ),
        "instead of ",
    ),
    # "horse brown pls not white", "sunset pls the sky orange": a "please" between two parts of a change is a pause
    (re.compile(r"(?<=\w)\s+(?:pls|plz|please)\s+(?=(?:not|no|the)\b)", re.I), ", "),
    # "2 changes: star blue, bg orange": the count of changes is no part of them
    (re.compile(r"^\s*(?:\d+|two|three|four|a\s+few|some)\s+(?:changes|things)\s*(?:pls|please)?\s*:\s*", re.I), ""),
    # a texter's "w" and "n" between two words ("night w a desk lamp", "burgundy n gold"); "the letter w" stays
    (re.compile(r"(?<![Ll]etter )(?<![Tt]he )(?<=[a-z] )w(?= [a-z])"), "with"),
    (re.compile(r"(?<![Ll]etter )(?<![Tt]he )(?<=[a-z] )n(?= [a-z])"), "and"),
    (re.compile(r"(?<=\w) *(?:\+|&) *(?=\w)"), " and "),
)
_ARROW = re.compile(
    r"^(?:(?P<verb>change|make|swap|turn|replace)\s+)?(?P<old>[^→>]+?)\s*(?:→|->|=>|>)\s*(?P<new>[^,]+?)(?P<rest>(?:,|\s+and\s+).*)?$",
    _F,
)


_KEYWORDS = sorted(
    {
        *COLOURS,
        "background",
        "backdrop",
        "stripes",
        "checkerboard",
        "polka",
        "triangle",
        "square",
        "circle",
        "instead",
        "make",
        "change",
        "replace",
        "remove",
        "another",
        "different",
        "contrast",
        "brighter",
        "darker",
        "horizontal",
        "vertical",
        "diagonal",
        "warmer",
        "cooler",
        "lighter",
        "softer",
        "saturation",
        "exposure",
        "colours",
    }
)


def _one_slip(word: str, key: str) -> bool:
    """One letter dropped, added or two swapped ("backgroud", "purpel"); a changed letter is another word ("crown")."""
    if abs(len(word) - len(key)) > 1 or word == key:
        return False
    if len(word) == len(key):
        diff = [i for i in range(len(word)) if word[i] != key[i]]
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and word[diff[0]] == key[diff[1]]
            and word[diff[1]] == key[diff[0]]
        )
    short, long_ = sorted((word, key), key=len)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


# Short words slip too, but a one-letter slip of a four-letter word is often another word ("mane", "tune"): only
# the two letters swapped of the verbs a change starts with, and "teh".
_SHORT_SLIPS = {
    "mkae": "make",
    "amke": "make",
    "maek": "make",
    "trun": "turn",
    "tunr": "turn",
    "swpa": "swap",
    "sawp": "swap",
    "teh": "the",
    "adn": "and",
}


def _repair(word: str) -> str:
    """A misspelt keyword ("backgroud", "purpel") spelled right; every other word as it is."""
    low = word.lower()
    if low in _SHORT_SLIPS:
        return _SHORT_SLIPS[low]
    if len(low) < 5 or low in _KEYWORDS or not low.isalpha() or {low[:-1], low[:-2]} & set(_KEYWORDS):
        return word  # "olives" is the plural of a thing, not a misspelt "olive"
    return next((k for k in _KEYWORDS if k[0] == low[0] and _one_slip(low, k)), word)


def normalise(text: str) -> str:
    """Shorthand spelled out ("cud u" -> "could you", "gimme" -> "give me"), misspelt keywords repaired, emoji
    dropped, "a → b" read as a replace."""
    t = " ".join(_repair(w) for w in _EMOJI.sub(" ", text).split())
    for rx, full in _SHORTHAND:
        t = rx.sub(full, t)
    # every "a -> b" of a list ("marble -> olive wood, figs -> strawberries", "cap silver, velvet -> white silk")
    pieces = re.split(r"(\s*,\s*(?:and\s+)?|\s*;\s*)", t)
    for k in range(0, len(pieces), 2):
        if m := _ARROW.match(pieces[k]):
            old, new = m["old"].strip(), m["new"].strip()
            said = (  # "background -> white": the background made white, not a thing called "white"
                f"make the {old} {new}"
                if re.fullmatch(r"(?:the\s+)?(?:background|backdrop|bg|sky)", old, re.I)
                else f"replace {old} with {new}"
            )
            pieces[k] = said + (m["rest"] or "")
    return "".join(pieces)
