"""Ratings by rule: "/rate 4", "give it a 5", "8/10", "love it", "meh", "that's wrong" -> stars. A plain-word rating
must be the whole message, so "a heart that says I love it" stays a request; the learned action reader
(graphs.reading.acts) reads the ratings no pattern lists."""

from __future__ import annotations

import re

from graphs.chat.phrasings import END
from graphs.chat.wording import small_talk

_F = re.I | re.S

RATE_COMMAND = re.compile(
    r"^(?:/rate\s+|(?:i[’']?d\s+)?(?:rate|give)\s+(?:it|this|that)\s+(?:a\s+)?)(?P<stars>[1-5])(?:\s*(?:/|out\s+of)\s*5)?"
    r"(?:\s+stars?)?[\s.!]*$",
    _F,
)
# Plain-word ratings must be the whole message, so "a wrong-way sign" or "a heart that says I love it" stays a request.
RATING_WORDS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (
        5,
        re.compile(
            r"^(?:(?:i|we|he|she|they|my\s+\w+)\s+(?:really\s+|absolutely\s+)?loves?\s+(?:it|this|that)(?:\s+one)?|love\s+(?:it|this(?:\s+one)?)|(?:it[’']?s|that[’']?s|this\s+is)\s+"
            r"(?:perfect|amazing|awesome|beautiful|exactly\s+(?:it|right|what\s+i\s+wanted))|perfect|amazing|awesome"
            r"|exactly\s+what\s+i\s+wanted)" + END,
            _F,
        ),
    ),
    (
        4,
        re.compile(
            r"^(?:i\s+like\s+(?:it|this|that)|(?:it[’']?s|that[’']?s|this\s+is)\s+(?:good|great|nice|lovely|(?:much|way|a\s+lot)\s+better)|"
            r"(?:much|way|a\s+lot)\s+better|nice|great|(?:(?:it|this|that)\s+)?looks?\s+(?:good|nice|cool|fine)"
            r"|good(?:\s+job)?|well\s+done)" + END,
            _F,
        ),
    ),
    (
        1,
        re.compile(
            r"^(?:(?:that[’']?s|this\s+is|it[’']?s)\s+(?:wrong|bad|terrible|awful|ugly|not\s+(?:it|right|what\s+i\s+"
            r"(?:asked\s+for|wanted)))|wrong|bad|terrible|awful|ugly|i\s+(?:hate|dislike|don[’']?t\s+like)\s+(?:it|this|that)"
            r"|not\s+what\s+i\s+(?:asked\s+for|wanted))" + END,
            _F,
        ),
    ),
)

_RATING_LEAD = re.compile(
    r"^(?:(?:hmm+|um+|well|oh|ah|ok(?:ay)?|honestly|meh|haha+|wow|omg|aw+|lmao|very|so|really)[\s,!.]+)+", _F
)
_LAUGH_TAIL = re.compile(r"[\s,!.]*\b(?:lol|lmao|haha+|tbh)\b[\s!.]*$", _F)
_STARS = re.compile(
    r"^(?:[\w’']+[\s,!.]+){0,6}?(?P<stars>[1-5])\s*(?:/\s*5\s*|stars?|\s*(?:out\s+)?of\s+5)(?:\s*stars?)?[\s!.]*$", _F
)
_TENS = re.compile(r"^(?:[\w’']+[\s,!.]+){0,3}?(?P<n>10|[0-9])\s*/\s*10\b", _F)
_WORD_RATINGS = (
    (
        5,
        re.compile(
            r"^(?:(?:lol|omg|wow|thanks|thank\s+you|ok|oh)[\s,!]+)?(?:that[’']?s\s+(?:awesome|perfect|lovely|great|"
            r"beautiful|amazing|gorgeous|stunning|brilliant|wonderful|cute|adorable)|love\s+(?:this|it)|i\s+love\s+(?:this|it)|perfect|yum|stunning|"
            r"gorgeous|beautiful|brilliant|wonderful|fantastic|superb|cute|adorable|lovely|excellent|spot\s+on|exactly\s+right|"
            r"(?:that[’']?s\s+|it[’']?s\s+)?(?:exactly|just)\s+what\s+i\s+(?:had\s+in\s+mind|wanted|was\s+(?:after|looking\s+for)|needed)|"
            r"yep\s+that[’']?s\s+the\s+one|"
            r"that[’']?s\s+the\s+one|thumbs\s+up|nailed\s+it|(?:(?:it|this|that)\s+)?looks?\s+(?:so\s+|really\s+)?(?:great|amazing|"
            r"awesome|perfect|beautiful|gorgeous|stunning|fantastic|lovely|wonderful|incredible|brilliant))\b[^a-z]*$",
            _F,
        ),
    ),
    (
        1,
        re.compile(
            r"^(?:nope|nah|no|ugh|yuck|thumbs\s+down|hate\s+it|not\s+what\s+i\s+asked\s+for|that[’']?s\s+wrong"
            r"(?:[\s,]+it[’']?s\s+not\s+even\s+.+)?)[^a-z]*$",
            _F,
        ),
    ),
)
_MEH = re.compile(
    r"^(?:(?:that[’']?s|it[’']?s)\s+not\s+(?:great|good)|not\s+(?:great|good|bad|quite)|meh|so-?so|could\s+be\s+better|it[’']?s\s+ok(?:ay)?)"
    + END,
    _F,
)


def rating_of(text: str) -> int | None:
    """Stars 1..5 if the whole message is a rating ("/rate 4", "I love it", "that's wrong", "perfect, 5 stars"),
    else None."""
    stars = _one_rating(text)
    # a thanks beside a rating rates nothing of its own ("that's perfect, thank you very much!")
    pieces = [p for p in re.split(r"\s*[,.!;]+\s*", text.strip()) if p and not small_talk(p)]
    if stars is not None or not pieces:
        return stars
    if len(pieces) == 1:
        return _one_rating(pieces[0])
    # "that's great, love it": each clause a rating of the same leaning
    each = [_one_rating(p) for p in pieces]
    if None in each:
        return None
    if all(n >= 4 for n in each):
        return max(each)
    return min(each) if all(n <= 2 for n in each) else None


def _one_rating(text: str) -> int | None:
    t = _LAUGH_TAIL.sub("", _RATING_LEAD.sub("", text.strip())) or text.strip()
    m = RATE_COMMAND.match(t) or _STARS.match(t)
    if m:
        return int(m["stars"])
    if m := _TENS.match(t):
        return max(1, min(5, round(int(m["n"]) / 2)))
    stars = t.count("⭐") + t.count("★")
    if stars and len(re.sub(r"[⭐★\s]", "", t)) < 25:
        return min(stars, 5)
    if "👍" in t or "👌" in t or "😍" in t or "❤" in t:
        return 5 if ("😍" in t or "❤" in t or "👌" in t) else 4
    if "👎" in t:
        return 1
    for n, rx in _WORD_RATINGS:
        if rx.match(t):
            return n
    if _MEH.match(t):
        return 3 if re.search(r"\bnot\s+bad\b|ok", t, _F) else 2
    return next((stars for stars, rx in RATING_WORDS if rx.match(t)), None)


# -- talk that is neither a request nor a change -------------------------------------------------------------------
