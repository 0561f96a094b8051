"""What a thing of the picture is doing, changed: "the dog should be running" of "a golden retriever sitting in a
field" -> "a golden retriever running in a field"; "have him sitting on a bench instead" of "a man in a navy suit
standing in a train station" -> "… sitting on a bench in a train station"; "make the cow lying down". The old doing
word (the first -ing word or "asleep"/"awake" after the thing, in its clause) gives way to the new one, so the
setting that follows it stays."""

from __future__ import annotations

import re

from graphs.llm.schemas import Edit
from graphs.reading.scene import DOING_WORD, ING_NOUNS, class_of

_F = re.I | re.S
_DOING = rf"{DOING_WORD}\b"
_WHO = r"(?P<x>the\s+[\w-]+(?:\s+(?!(?:an?|the|be)\b)[\w-]+)??|him|her|it|them|he|she|they)"
_SHAPES = (
    re.compile(rf"^(?:make|have|let|get)\s+{_WHO}\s+(?:be\s+)?(?P<v>{_DOING}.*)$", _F),
    re.compile(
        rf"^{_WHO}\s+(?:should|could|can|must|needs?\s+to|has\s+to|to|will|would)\s+(?:be\s+|look\s+)(?P<v>{_DOING}.*)$",
        _F,
    ),
    re.compile(rf"^{_WHO}\s+(?:is|are|now)\s+(?:now\s+)?(?P<v>{_DOING}.*)$", _F),
    # "i'd rather she was meditating", "i'd rather have them flying"
    re.compile(
        rf"^i(?:[’']?d|\s+would)\s+(?:rather|prefer|like)\s+(?:it\s+if\s+)?(?:have\s+)?{_WHO}\s+(?:was\s+|were\s+|be\s+)?"
        rf"(?P<v>{_DOING}.*)$",
        _F,
    ),
)
_SAME_DOING = re.compile(r"(?P<d>[a-z]+ing)\s+(?P<obj>(?:an?|the|some|two|three)\s+[\w-]+(?:\s+[\w-]+){0,2})", _F)
_TAIL = re.compile(r"[\s,.!?]*(?:\b(?:instead|now|too|please|pls|then|lol)\b[\s,.!?]*)*$", _F)
_PRONOUNS = frozenset("him her it them he she they".split())


def _doing(word: str) -> bool:
    w = word.lower()
    return bool(re.fullmatch(_DOING, w, re.I)) and w not in ING_NOUNS and class_of(w) is None


def _old_doing(previous: str, thing: str) -> str | None:
    """The doing words of `thing` in `previous` ("sitting", "lying down"), or None."""
    start = 0
    if thing not in _PRONOUNS:
        if not (m := re.search(rf"\b{re.escape(thing)}(?:e?s)?\b", previous, _F)):
            return None
        start = m.end()
    clause = re.split(r"[,;]", previous[start:], maxsplit=1)[0]
    for m in re.finditer(r"[A-Za-z][\w-]*", clause):
        if _doing(m.group(0)):
            if m.group(0).lower() == "doing" and (what := re.match(r"\s+(?:an?\s+|some\s+)?[\w-]+", clause[m.end() :])):
                return m.group(0) + what.group(0)  # "doing yoga": what is done goes with it
            after = re.match(r"\s+(down|up|back|over|around)\b", clause[m.end() :], _F)
            return m.group(0) + (f" {after[1]}" if after else "")
    return None


_POSTURES = frozenset(
    "sitting standing lying kneeling crouching seated perched curled squatting leaning stretching".split()
)
_MOTIONS = frozenset(
    """running walking jumping flying swimming dancing climbing skating skiing surfing galloping sprinting hopping
    leaping diving crawling racing strolling marching riding cycling""".split()
)
_RESTING = frozenset("asleep awake sleeping resting napping dozing".split())
_FACES = frozenset("smiling laughing crying frowning grinning winking smirking blushing pouting".split())


def _exclusive(old: str, new: str) -> bool:
    """Whether the new doing takes the old one's place: one of the same kind, a motion or a rest any other's; a face
    ("smiling") or a posture beside an activity ("sitting" while reading) goes with it instead."""
    o, n = old.lower(), new.lower()
    if n in _FACES or o in _FACES:
        return False
    kinds = {_kind(o), _kind(n)}
    return len(kinds) == 1 or bool(kinds & {"rest", "motion"})


def _kind(word: str) -> str:
    if word in _POSTURES:
        return "posture"
    if word in _RESTING:
        return "rest"
    return "motion" if word in _MOTIONS else "activity"


def pose_edit(piece: str, previous: str | None) -> list[Edit] | None:
    """The edit that puts a new doing in place of the thing's old one, or None when `piece` asks for none or the
    last picture's thing is doing nothing a word says."""
    if not previous:
        return None
    if (m := _SAME_DOING.fullmatch(_TAIL.sub("", piece.strip()))) and _doing(m["d"]):
        # "holding a paintbrush instead" of a hand holding a pencil: what it does that to, replaced
        was = re.search(rf"\b{re.escape(m['d'])}\s+(?P<old>(?:an?|the|some|his|her|its|their)\s+[\w-]+)", previous, _F)
        if was and was["old"].split()[-1].lower() not in m["obj"].lower().split():
            said = f"{m['d']} {was['old']}"  # the doing word with it: "a pencil sketch" keeps its pencil
            return [Edit(op="replace", slot="subject", target=said, value=f"{m['d']} {m['obj']}"[:80])]
    for rx in _SHAPES:
        if not (m := rx.match(piece.strip())):
            continue
        thing = re.sub(r"^the\s+", "", m["x"], flags=_F).lower()
        value = _TAIL.sub("", m["v"]).strip()
        if not value or not _doing(value.split()[0]):
            return None
        head = thing.split()[-1]
        named = head in _PRONOUNS or re.search(rf"\b{re.escape(head)}(?:e?s)?\b", previous, _F)
        # "the dog should be running" of a golden retriever: a thing the prompt names otherwise is its main subject
        old = _old_doing(previous, head if named else "it")
        if not old or old.lower() == value.lower() or not _exclusive(old.split()[0], value.split()[0]):
            return None
        return [Edit(op="replace", slot="subject", target=old, value=value[:80])]
    return None
