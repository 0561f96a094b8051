"""A short first request said again at length: "unicorn", then "rainbow unicorn flying over candy land"; "dragon",
then "a purple one breathing blue fire over a castle". People start with the thing and then describe it.

Read word by word, such a message becomes a list of added things ("a koala, with a party, with headphones") or loses
its subject ("a pink, with an aquarium"); read as what it is, it is the subject phrase replaced by the fuller one.
"""

from __future__ import annotations

import re

from graphs.llm.schemas import Edit
from graphs.reading.forms import plural, singular
from graphs.reading.scene import describe, phrase

_F = re.I | re.S
# A message that asks for a change in so many words is read by the change rules, not as a description.
_ASKS = re.compile(
    r"^(?:make|change|turn|add|put|remove|swap|replace|switch|give|let|can|could|would|please|pls|i|it|its|now|no|not|"
    r"and|but|also|more|less|same|keep|use|try|go|back|undo|redo|again|what|how|why|is|are|do)\b|"
    r"\b(?:instead|rather|not|no|without|it|them|more|less|bigger|smaller|too|also|again|still|same|version|style|look|"
    r"make|change|changed|turn|swap|replace|put|add|remove|colou?r|paint|painted|switch)\b",
    _F,
)
_ONE = re.compile(r"^(?P<lead>(?:an?|the)\s+(?:[\w-]+\s+){0,2}?)one\b", _F)


def restated(text: str, previous_core: str) -> list[Edit] | None:
    """The edit that puts a fuller description of the last picture's only thing in its place, or None."""
    prev = previous_core.strip()
    parts = describe(prev).parts
    if len(prev.split()) > 4 or len(parts) != 1 or parts[0].role != "subject":
        return None
    old = phrase(parts[0].text)
    if not old.noun or old.tail or old.frame or " " in old.noun:
        return None
    said = text.strip(" .!")
    if _ASKS.search(said) or len(said.split()) < 3:
        return None
    noun = old.noun
    said = _ONE.sub(lambda m: f"{m['lead']}{singular(noun)}", said, count=1)  # "a purple one" of a dragon
    forms = {noun.lower(), singular(noun).lower(), plural(singular(noun)).lower()}
    if not forms & {w.lower() for w in re.findall(r"[\w-]+", said)}:
        return None
    return [Edit(op="replace", slot="subject", target=noun, value=said)]
