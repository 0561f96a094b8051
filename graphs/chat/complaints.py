"""A complaint about the picture that asks for no change: "the horse has five legs", "the wheels r melted", "the
knight vanished", "hmm the fox looks off, its legs are wrong", "that's not a square, that's a blob", "the sky is a
mess". It judges the picture (a low rating, so the feedback index learns from it); it is no description to add to
it."""

from __future__ import annotations

import re

_F = re.I | re.S
_FLAW = re.compile(
    r"\b(?:looks?|is|are|seems?|feels?|r)\s+(?:a\s+bit\s+|rather\s+|really\s+|so\s+|kinda\s+|kind\s+of\s+|all\s+)?"
    r"(?:off|wrong|weird|odd|strange|flat|bad|ugly|melted|melting|broken|creepy|deformed|distorted|messed\s+up|wonky|"
    r"cursed|gross|terrible|awful)\b"
    r"|\b(?:has|have|[’']s\s+got|has\s+got|got)\s+(?:two|three|four|five|six|seven|eight|extra|no|too\s+many)\s+[a-z]+"
    r"|\b(?:vanished|disappeared|(?:is|are)\s+missing)\b"
    r"|\bnot\s+(?:what\s+i\s+(?:wanted|want|asked\s+for|was\s+(?:after|hoping\s+for))|quite\s+(?:it|right)|right|great|good)\b"
    r"|\bthat[’']?s\s+not\s+an?\s+[a-z]+|\bi\s+(?:don[’']?t|do\s+not|not)\s+like\b"
    r"|\b(?:is|are|looks?\s+like)\s+(?:a\s+|an\s+)?(?:total\s+|complete\s+|bit\s+of\s+a\s+)?(?:mess|disaster|blob|joke|"
    r"nightmare|failure|eyesore)\b",
    _F,
)
# Words that ask for something to be done: then the complaint is the reason for a change, read as that change.
_ASKS = re.compile(
    r"\b(?:make|change|turn|add|remove|put|swap|replace|could|can|would|should|instead|try|use|give|fix|drop|lose|"
    r"more|less|another|again|redo|go\s+back|undo|want|get\s+rid|rid|take|away|delete|erase|seed|other|different|"
    r"new|without)\b|\?",
    _F,
)


def complaint(text: str) -> bool:
    """Whether `text` finds fault with the picture and asks for nothing."""
    return bool(_FLAW.search(text)) and not _ASKS.search(_FLAW.sub(" ", text))
