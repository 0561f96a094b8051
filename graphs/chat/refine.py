"""Rule mode for conversations: is a message a new request, a refinement of the last picture, or a rating?

Like `graphs.reading.rules`, only precompiled regexes over one short message; the LLM mode fills the same `TurnIntent`.
A refinement is read against the previous turn's core prompt, and `merge` writes the prompt to draw now.
"""

from __future__ import annotations

import re

from graphs.llm.schemas import TurnIntent
from graphs.reading.rules import STYLE_PATTERNS, literal

_F = re.I | re.S
_END = r"[\s!.?,]*(?:please|thanks|thank\s+you)?[\s!.?]*$"

RATE_COMMAND = re.compile(r"^/rate\s+(?P<stars>[1-5])\s*$", _F)
# Plain-word ratings must be the whole message, so "a wrong-way sign" or "a heart that says I love it" stays a request.
RATING_WORDS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (
        5,
        re.compile(
            r"^(?:i\s+(?:really\s+|absolutely\s+)?love\s+(?:it|this|that)|love\s+it|(?:it[’']?s|that[’']?s|this\s+is)\s+"
            r"(?:perfect|amazing|awesome|beautiful|exactly\s+(?:it|right|what\s+i\s+wanted))|perfect|amazing|awesome"
            r"|exactly\s+what\s+i\s+wanted)" + _END,
            _F,
        ),
    ),
    (
        4,
        re.compile(
            r"^(?:i\s+like\s+(?:it|this|that)|(?:it[’']?s|that[’']?s|this\s+is)\s+(?:good|great|nice|lovely)|nice|great"
            r"|good(?:\s+job)?|well\s+done)" + _END,
            _F,
        ),
    ),
    (
        1,
        re.compile(
            r"^(?:(?:that[’']?s|this\s+is|it[’']?s)\s+(?:wrong|bad|terrible|awful|ugly|not\s+(?:it|right|what\s+i\s+"
            r"(?:asked\s+for|wanted)))|wrong|bad|terrible|awful|ugly|i\s+(?:hate|dislike|don[’']?t\s+like)\s+(?:it|this|that)"
            r"|not\s+what\s+i\s+(?:asked\s+for|wanted))" + _END,
            _F,
        ),
    ),
)

RESEED = re.compile(
    r"^(?:(?:give\s+me\s+|show\s+me\s+|make\s+|draw\s+)?another(?:\s+one)?|one\s+more|again|(?:try|do\s+it)\s+again"
    r"|new\s+(?:seed|version)|re-?generate|re-?roll|more\s+like\s+(?:this|that)|same\s+(?:again|prompt))" + _END,
    _F,
)
NEXT_MODEL = re.compile(
    r"\b(?:use|try|with|pick|choose|switch\s+to)\s+(?:a\s+|an\s+)?(?:different|another|other|new|next)\s+model\b"
    r"|^(?:a\s+)?(?:different|another|other|next)\s+model\b",
    _F,
)
_ORDINALS = {"first": 1, "original": 1, "initial": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}
REVERT = re.compile(
    r"^(?:(?:let[’']?s\s+|please\s+)?(?:go|get|take\s+me)\s+back\s+to|back\s+to|revert\s+to|return\s+to)\s+(?:the\s+)?"
    r"(?P<which>first|original|initial|second|third|fourth|fifth|previous|last|\d+(?:st|nd|rd|th)?)"
    r"(?:\s+(?:one|image|picture|version|turn|result))?" + _END + r"|^(?P<undo>undo(?:\s+that)?)" + _END,
    _F,
)

_LOCAL_WORDS = (
    r"dark(?:er)?|bright(?:er)?|light(?:er)?|warm(?:er)?|cool(?:er)?|dim(?:mer)?|mood(?:y|ier)|sharp(?:er)?|soft(?:er)?"
    r"|blurr?(?:y|ier)|crisp(?:er)?|vivid|saturated|colou?rful|contrast(?:y)?|faded|muted|grainy|cleaner|smoother"
)
LOCAL = re.compile(
    r"^(?:(?:can\s+you\s+|please\s+)?make\s+(?:it|the\s+(?:image|picture|colou?rs?|whole\s+thing))\s+)?"
    rf"(?P<change>(?:a\s+(?:bit|little|lot)\s+|much\s+|slightly\s+|way\s+|even\s+)?(?:more\s+|less\s+)?(?:{_LOCAL_WORDS})"
    rf"|(?:more|less|increase\s+the|decrease\s+the|higher|lower)\s+(?:contrast|saturation|brightness))" + _END,
    _F,
)

_STYLE_ALTS = "|".join(f"(?:{p})" for p in STYLE_PATTERNS.values())
STYLE_CUE = re.compile(
    r"^(?:(?:the\s+)?same(?:\s+(?:thing|image|picture|one|scene))?(?:\s+but)?|now|but|ok(?:ay)?|instead|this\s+time"
    r"|(?:make|turn|redo|render|draw|do|paint)\s+it(?:\s+(?:again|into))?|try\s+it|can\s+you\s+make\s+it|what\s+about"
    r"|how\s+about)?[\s,]*(?:as\s+(?:an?\s+)?|in\s+(?:an?\s+|the\s+)?|an?\s+)?"
    rf"(?P<style>(?:{_STYLE_ALTS}|{literal('pixel-art')})(?:[\s-]+(?:style|version|painting|art|render))?)"
    r"(?:\s+(?:style|version|instead))?" + _END,
    _F,
)

CONTENT = re.compile(
    r"^(?:(?:can\s+you\s+|please\s+|now\s+|and\s+|also\s+)*)"
    r"(?P<verb>add|put|include|place|insert|remove|delete|take\s+out|get\s+rid\s+of|replace|change|swap|make\s+the|with|without)"
    r"\s+(?P<rest>.+?)" + _END,
    _F,
)
_REPLACE = re.compile(r"^(?:the\s+)?(?P<old>.+?)\s+(?:with|by|for|to|into)\s+(?P<new>.+)$", _F)
_MAKE_THE = re.compile(r"^(?P<noun>[\w-]+(?:\s+[\w-]+)?)\s+(?P<adj>[\w-]+)$", _F)
_TRAILING_IT = re.compile(r"\s+(?:to|in|into|on)\s+(?:it|the\s+(?:image|picture|scene))$", _F)

COLOURS = (
    "red",
    "green",
    "blue",
    "yellow",
    "orange",
    "purple",
    "white",
    "black",
    "pink",
    "brown",
    "grey",
    "gray",
    "violet",
)
_COLOUR = "|".join(COLOURS)


def rating_of(text: str) -> int | None:
    """Stars 1..5 if the whole message is a rating ("/rate 4", "I love it", "that's wrong"), else None."""
    t = text.strip()
    m = RATE_COMMAND.match(t)
    if m:
        return int(m["stars"])
    return next((stars for stars, rx in RATING_WORDS if rx.match(t)), None)


def rule_intent(text: str, previous_core: str | None) -> TurnIntent:
    """Read a message by rule. `previous_core` is the last drawn turn's core prompt (None: nothing drawn yet);
    a refinement is still recognised without one, so the caller can say there is nothing to refine."""
    t = " ".join(text.strip().split())
    stars = rating_of(t)
    if stars is not None:
        return TurnIntent(action="rate", stars=stars, change=t)
    if RESEED.match(t):
        return TurnIntent(action="reseed", change="new seed")
    if NEXT_MODEL.search(t):
        return TurnIntent(action="next_model", change="next candidate model")
    m = REVERT.match(t)
    if m:
        which = (m["which"] or "previous").lower()
        target = _ORDINALS.get(which) or (int(re.sub(r"\D", "", which)) if which[0].isdigit() else None)
        return TurnIntent(action="revert", target_turn=target, change=t)
    m = LOCAL.match(t)
    if m:
        change = m["change"].lower()
        return TurnIntent(action="local", change=change, prompt=f"{previous_core}, {change}" if previous_core else "")
    m = STYLE_CUE.match(t)
    if m and (
        previous_core or t.lower().startswith(("same", "now", "make it", "turn it", "redo it", "render it", "do it"))
    ):
        style = m["style"].lower()
        return TurnIntent(
            action="style", change=style, prompt=merge_style(previous_core, style) if previous_core else ""
        )
    m = CONTENT.match(t)
    if m:
        change = f"{m['verb'].lower()} {m['rest']}"
        return TurnIntent(
            action="content",
            change=change,
            prompt=merge_content(previous_core, m["verb"], m["rest"]) if previous_core else "",
        )
    return TurnIntent(action="new", prompt=t)


def _tidy(text: str) -> str:
    text = re.sub(r"\s+,", ",", re.sub(r"\s{2,}", " ", text))
    text = re.sub(r"(?:,\s*){2,}", ", ", text)
    return text.strip(" ,")


def strip_styles(prompt: str) -> str:
    """The prompt without its style words (and the 'in ... style' / 'as a ...' around them)."""
    out = re.sub(rf"\b(?:an?\s+)?(?:{_STYLE_ALTS})\s+of\s+", "", prompt, flags=_F)  # "a photo of a fox" -> "a fox"
    out = re.sub(
        rf"(?:,\s*)?\b(?:in\s+(?:an?\s+|the\s+)?|as\s+(?:an?\s+)?)?(?:{_STYLE_ALTS})(?:\s+style)?\b", "", out, flags=_F
    )
    return _tidy(out)


def merge_style(previous_core: str, style: str) -> str:
    return _tidy(f"{strip_styles(previous_core)}, {style}")


def merge_content(previous_core: str, verb: str, rest: str) -> str:
    """The previous prompt with a content change applied; replaced words are swapped in place where they occur."""
    verb = " ".join(verb.lower().split())
    rest = _TRAILING_IT.sub("", rest.strip())
    if verb in ("add", "put", "include", "place", "insert", "with"):
        return _tidy(f"{previous_core}, with {rest}")
    if verb in ("remove", "delete", "take out", "get rid of", "without"):
        thing = re.sub(r"^(?:the|a|an)\s+", "", rest, flags=_F)
        kept = re.sub(
            rf"(?:,?\s*\b(?:with|and)\s+)?\b(?:an?\s+|the\s+)?{re.escape(thing)}\b", "", previous_core, flags=_F
        )
        return _tidy(kept if kept != previous_core else f"{previous_core}, without {thing}")
    if verb == "make the":
        m = _MAKE_THE.match(rest)
        if m:
            noun, adj = m["noun"], m["adj"]
            coloured = re.compile(rf"\b(?:{_COLOUR})\s+(?={re.escape(noun)}\b)", _F)
            if adj.lower() in COLOURS and coloured.search(previous_core):
                return _tidy(coloured.sub(f"{adj.lower()} ", previous_core, count=1))
            if re.search(rf"\b{re.escape(noun)}\b", previous_core, _F):
                return _tidy(re.sub(rf"\b{re.escape(noun)}\b", f"{adj} {noun}", previous_core, count=1, flags=_F))
        return _tidy(f"{previous_core}, with the {rest}")
    m = _REPLACE.match(rest)  # replace / change / swap X with|to Y
    if m:
        old, new = m["old"], re.sub(r"^(?:an?|the)\s+", "", m["new"], flags=_F)
        old_bare = re.sub(r"^(?:an?|the)\s+", "", old, flags=_F)
        if re.search(rf"\b{re.escape(old_bare)}\b", previous_core, _F):
            return _tidy(re.sub(rf"\b{re.escape(old_bare)}\b", new, previous_core, count=1, flags=_F))
        return _tidy(f"{previous_core}, with {new} instead of {old_bare}")
    return _tidy(f"{previous_core}, {verb} {rest}")
