"""A change no rule splits into edits, which the learned action reader is sure is a change ("Could the windows glow
with a warm amber light?", "i'd rather have them flying"): its words added to the last prompt as said.

Drawn as a new request instead, such a message lost the whole picture ("Could he have a yellow oilskin jacket?"
drew a jacket and no fisherman), and every later turn refined the loss.
"""

from __future__ import annotations

import re

from graphs.chat.ratings import rating_of
from graphs.chat.wording import REMARK, sentences
from graphs.llm.schemas import Edit

_F = re.I | re.S
# The courtesy around a change, never words to draw.
_COURTESY = re.compile(
    r"^(?:(?:and|also|so|ok(?:ay)?|well|hmm+|oh|but|then|now|maybe|perhaps|please|pls|actually|wonderful|great|nice|"
    r"cool|lovely|thanks|thank\s+you)\b[\s,!.]*)*"
    r"(?:(?:could|can|would|will|might)\s+(?:you\s+)?(?:please\s+)?(?:perhaps\s+|maybe\s+|also\s+)?|"
    r"i(?:[’']d|\s+would)\s+(?:really\s+)?(?:like|love|rather\s+have|prefer)\s+(?:to\s+(?:see|have)\s+)?|"
    r"i\s+(?:want|need|wish)\s+|is\s+it\s+possible\s+to\s+|would\s+you\s+mind\s+|let[’']?s\s+(?:have|see)\s+|"
    r"i\s+think\s+)?(?:(?:make|turn|get)\s+(?:it|them|this)\s+)?",
    _F,
)
_TAIL = re.compile(r"[\s,]*(?:please|pls|thanks|thank\s+you|too|anyway|as\s+well)?[\s?!.]*$", _F)


def said_words(text: str) -> list[Edit] | None:
    """The message's change as one `add words` edit: its sentences that are neither a remark nor a rating, without
    their courtesy; None when nothing is left."""
    kept = []
    for sentence in sentences(text):
        s = sentence.strip()
        if not s or REMARK.match(s) or rating_of(s) is not None:
            continue
        s = _TAIL.sub("", _COURTESY.sub("", s)).strip(" ,")
        if re.search(r"[a-z]{3}", s, _F):
            kept.append(s)
    words = ", ".join(kept)
    if not words:
        return None
    if len(words) > 80:  # the schema's bound: cut at a word
        words = words[:80].rsplit(" ", 1)[0]
    return [Edit(op="add", slot="words", value=words)]
