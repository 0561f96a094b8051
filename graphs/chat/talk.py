"""A reading that takes the message's talk for a thing ("a travel poster of a make", "a girl in a yellow i'd"): the
rule reader's chain (graphs.chat.refine) tries its readers in order and keeps the first whose edits name no talk."""

from __future__ import annotations

import re
from collections.abc import Callable

from graphs.llm.schemas import Edit

_F = re.I | re.S

# Words of talk that no drawn thing is named by: an edit whose value holds one took the message's talk for its thing
# ("a travel poster of a make", "a girl in a yellow i'd").
_TALK = frozenset(
    """i i'd i'm i've i'll me my we we're you your you're pls plz lol lmao haha could would should wanna want wants
    think guess wonder maybe perhaps actually sure kinda sorta rather try let's lets oops meant make""".split()
)


_LETTERING = re.compile(r'["“”]|\b(?:says|saying|reads|reading|text|words|sign|letters?|caption|title)\b', _F)


def talks(edits: list[Edit], previous_core: str | None) -> bool:
    """Whether an edit's value holds a word of talk; lettering, old or new, and words added as said never do."""
    if previous_core and _LETTERING.search(previous_core):
        return False  # lettering may say anything
    for e in edits:
        if e.slot == "words" or _LETTERING.search(e.value):
            continue
        said = re.findall(r"[A-Za-z][\w'-]*", e.value.replace("’", "'"))
        if any(w.lower() in _TALK for w in said if len(w) == 1 or not w.isupper()):  # "GOODBYE" is lettering
            return True
    return False


def first_reading(readers: list[Callable[[], list[Edit] | None]], previous_core: str | None) -> list[Edit] | None:
    """The first reader's edits that take no talk for a thing; when every reading does, the first one, as before."""
    first, got = None, None
    for read in readers:
        if not (got := read()):
            continue
        if not talks(got, previous_core):
            return got
        first = first or got
    return first or got
