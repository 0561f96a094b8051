"""Forms of a word an edit writes: the article a thing takes ("an octopus", "with smoke", "some olives") and a
noun's plural and singular ("mice", "wolves", "cacti" left alone)."""

from __future__ import annotations

import re

from graphs.reading.scene import phrase

# things counted by amount, not one by one: "with smoke", not "with a smoke"
_MASS = frozenset(
    "rain snow fog mist smoke steam fire lightning sunlight moonlight light water grass sand dust ice hail sleet drizzle "
    "foliage confetti glitter moss ivy lava magma hair fur".split()
)


def with_article(value: str) -> str:
    v = value.strip()
    if re.fullmatch(r"[A-Za-z]", v):  # a glyph: "an F", "a K"
        return ("an " if v.upper() in "AEFHILMNORSX" else "a ") + v.upper()
    if re.match(
        r"^(?:an?|the|some|my|his|her|their|\d+|one|two|three|four|five|more|extra|less|lots|much|another|other)\b",
        v,
        re.I,
    ):
        return v
    first = re.split(r"\s+(?:and|with|or)\s+", v.lower())[0]  # "olives and extra cheese": the first thing's number
    head = (phrase(first).noun or first).split()[-1:] or [first]  # "cherry blossoms falling": the noun's number
    if any(w.endswith("s") and not w.endswith("ss") or w in _MASS for w in (first.split()[-1], head[0])):
        return v
    return ("an " if v[:1].lower() in "aeiou" else "a ") + v


_IRREGULAR = {
    "mouse": "mice",
    "goose": "geese",
    "person": "people",
    "child": "children",
    "man": "men",
    "woman": "women",
    "foot": "feet",
    "tooth": "teeth",
    "sheep": "sheep",
    "fish": "fish",
    "deer": "deer",
}
_SINGULAR = {v: k for k, v in _IRREGULAR.items()}


def article_for(before: str, word: str) -> str:
    """`before` with the "a" or "an" it ends in made to agree with the word after it ("a black cat" -> "an orange
    cat"); `before` as it is when it ends in no such article."""
    if not re.search(r"(?:^|\s)an?\s$", before, re.I):
        return before
    return re.sub(r"\ban?\s$", "an " if word[:1].lower() in "aeiou" else "a ", before, flags=re.I)


def plural(noun: str) -> str:
    low = noun.lower()
    if low in _IRREGULAR:
        return _IRREGULAR[low]
    if low.endswith(("fish", "sheep", "deer")):  # "clownfish", "goldfish": the same word for many
        return noun
    if re.search(r"(?:s|x|z|ch|sh)$", low):
        return noun + "es"
    if re.search(r"[^aeiou]y$", low):
        return noun[:-1] + "ies"
    if re.search(r"(?:[^f]fe|[lr]f)$", low) and low not in ("chef", "roof", "belief", "dwarf"):
        return re.sub(r"fe?$", "ves", noun)
    return noun + "s"


def singular(noun: str) -> str:
    low = noun.lower()
    if low in _SINGULAR:
        return _SINGULAR[low]
    for one in (low[:-3] + "y", low[:-3] + "f", low[:-3] + "fe", low[:-2], low[:-1]):
        if one and plural(one) == low:
            return noun[: len(one)] if noun[: len(one)].lower() == one else one
    return noun


_IRREGULAR_ING = {"be": "being", "see": "seeing", "lie": "lying", "die": "dying", "tie": "tying", "has": "having"}


def doing(verb: str) -> str:
    """The -ing form of a verb said plain or with a third person's -s ("holds", "hold" -> "holding", "sits" ->
    "sitting", "rides" -> "riding", "carries" -> "carrying"): how a change said of a person ("she holds a cup") is
    drawn beside the person."""
    v = verb.lower()
    if v.endswith("ing") or v in _IRREGULAR_ING:
        return _IRREGULAR_ING.get(v, v)
    if re.search(r"[^aeiou]ies$", v):
        v = v[:-3] + "y"
    elif re.search(r"(?:ch|sh|ss|x|o)es$", v):
        v = v[:-2]
    elif re.search(r"[^su]s$", v):
        v = v[:-1]
    if v in _IRREGULAR_ING:
        return _IRREGULAR_ING[v]
    if re.search(r"[^aeiou]e$", v) and len(v) > 2:
        return v[:-1] + "ing"
    if re.fullmatch(r"[^aeiou]*[aeiou][^aeiouwxy]", v):  # one short syllable: "sit", "swim", "hug"
        return v + v[-1] + "ing"
    return v + "ing"
