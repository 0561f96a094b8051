"""What a chatty user says around a change and not about the picture: an exclamation before it ("aww cute!",
"ooh moody.", "so pretty!"), who asked for it ("my daughter says …", "he also asked whether …"), and the reason
after it (", since it's going on a dark website", "? he always wore red", ", for a spookier feel", ", I miss the
beach"). Set aside before the change is read, so none of it is drawn."""

from __future__ import annotations

import re

from graphs.chat.ratings import rating_of
from graphs.reading.scene import CLASSES, SCENE_CLASSES

_F = re.I | re.S

# Words of an exclamation or a judgement, and the glue between them ("it's so pretty", "love it", "omg yes").
_JUDGE = (
    "aww aw awww ooh oooh oh wow whoa hmm haha hahaha hehe lol omg yay yess yes yeah yep nice pretty cute beautiful "
    "gorgeous lovely perfect great cool awesome amazing moody peaceful stunning wonderful fantastic brilliant sweet neat "
    "fun meh ok okay exactly love loving adorable magical gorgeous incredible wonderful dreamy charming ahh ah epic "
    "hilarious lmao sick rad ha"
)
_GLUE = "so it it's its this that that's is looks very really totally just such a an i what how one thing only"
_WORDS = frozenset((_JUDGE + " " + _GLUE).split())
_THANKS = frozenset("thank thanks you very much so a lot again cheers ty thx for that this it".split())
_CLAUSE = re.compile(r"^\s*(?P<c>[^.!?…,;:—-]+?)\s*(?:[.!?…,;:—-]+\s*|\s+-\s+)", _F)
_WHO = re.compile(
    r"^(?:(?:and|also|so|plus|oh)[\s,]+)*(?:(?:my|our)\s+[\w']+(?:\s+[\w']+)?|(?:he|she|they))\s*"
    r"(?:(?:liked|likes|loved|loves)\s+it\s+but\s+)?(?:also\s+)?(?:says|said|thinks|wants|would\s+like|[’']d\s+like|"
    r"asked\s+(?:whether|if|for)|asks\s+(?:whether|if|for))\s+(?:that\s+)?(?=\S)",
    _F,
)
# "..., and it's evening now" is a change of the time, not a reason
_SCENE = "|".join(sorted({w for c in SCENE_CLASSES for w in CLASSES[c]}, key=len, reverse=True))
_REASON = re.compile(
    r"\s*(?:[,?…—;]|\s-)\s*(?:and\s+|but\s+)?(?:since|because|cause|cuz|as\s+(?:it|she|he|they|we|i)\b|so\s+that|"
    r"for\s+(?:an?\s+|some\s+|more\s+)?[\w-]+(?:\s+[\w-]+)?\s+(?:feel|vibes?|look|mood|effect)\b|[a-z]{3,}er\s+for\s+\w+|"
    r"i\s+(?:think|miss|used|guess|always|never|grew|really|just)\b|"
    r"(?:she|he|they|we|ours|it)(?:[’']s|[’']re|[’']ll|\s+(?:is|are|always|never|loves?|likes?|says?|said|finds?|"
    r"wore|was|were|will|would|used)|\s+\w+ed)\b(?!\s+(?:now\s+)?(?:"
    + _SCENE
    + r")\b)|(?:my|our)\s+\w+|like\s+(?:my|our|at|in|where|the\s+one)\b|"
    r"that[’']?d\s+be|that\s+would\s+be|where\s+i|more\s+like|makes?\s+(?:more\s+|much\s+more\s+)?sense|the\s+[\w-]+\s+(?:feels?|is|are|looks?)\s+too)\b[^.!?]*[.!?]*$",
    _F,
)


# Courtesy and afterthoughts that are no change: "if that's possible", "same colours", "I mean", "sorry, lots of
# requests!"; at the end of a sentence or before the change ("if it's not a bother, golden hour light").
_IF_OK = (
    r"if\s+(?:that[’']?s|it[’']?s|it\s+is|that\s+is)\s+(?:at\s+all\s+)?(?:possible|alright|all\s+right|ok(?:ay)?|fine|"
    r"not\s+(?:a\s+bother|too\s+much(?:\s+trouble)?|too\s+hard))|if\s+(?:you\s+)?(?:can|could|don[’']?t\s+mind)"
)
_COURTESY = re.compile(
    rf"(?:\s*[,.;:!?—-]+\s*|\s+)(?:{_IF_OK}|(?:keep(?:ing)?\s+|with\s+|in\s+)?(?:the\s+)?(?:same|those|these)\s+colou?rs|"
    r"i\s+mean|sorry,?\s+(?:lots|so\s+many)\s+of\s+(?:requests|changes)|(?:two|three|a\s+few)\s+(?:changes|things),?\s+sorry)"
    r"[\s.!?]*(?=$|[.!?]\s)",
    _F,
)
_LEAD_COURTESY = re.compile(rf"^(?:and,?\s+|oh,?\s+|also,?\s+)*(?:{_IF_OK})\s*,\s*|^in\s+that\s+case,?\s+", _F)

# A story told before the change it leads to: "the brand name starts with B, so the letter B please"; a change before
# "so" ("make it red, so it pops") keeps its reason, which `_REASON` takes off.
_SO = re.compile(
    r"^(?!(?:make|change|turn|add|put|use|give|remove|swap|replace|can|could|would|please|pls)\b)"
    r"(?P<story>(?![^,]*\b(?:rather|prefer|i[’']?d|wants?|would|could|should|instead)\b)"
    r"[^,]*\b(?:is|are|was|were|starts?|has|have|loves?|likes?|needs?)\b[^,]*),\s+so\s+"
    r"(?P<rest>(?:the|a|an|make|can|could|please|pls|maybe|let[’']?s|i[’']?d|just|change|use|give|put|add)\b.+)$",
    _F,
)


def aside(text: str) -> str:
    """`text` without the exclamation before its change, the person who asked for it and the reason after it; the
    text as it was when nothing else would be left."""
    t = text.strip()
    if (praise := re.match(r"^(?P<p>[^,.!?]{2,40}?)\s+but\s+(?P<rest>\S.+)$", t, _F)) and rating_of(praise["p"]):
        t = praise["rest"]  # "looks great but make it red": the change, not the praise drawn
    while (m := _CLAUSE.match(t)) and all(w in _WORDS for w in re.findall(r"[\w']+", m["c"].lower())):
        rest = [w for w in re.findall(r"[\w']+", t[m.end() :].lower()) if w not in _THANKS]
        if len(rest) < 2:  # "great, thanks", "That's perfect, thank you very much!": a judgement and its courtesy
            break
        t = t[m.end() :].strip()
    t = _COURTESY.sub("", _LEAD_COURTESY.sub("", t)).strip() or t
    if (so := _SO.match(t)) and len(so["rest"].split()) >= 2:
        t = so["rest"]
    t = _WHO.sub("", t)
    cut = _REASON.sub("", t).strip()
    t = cut if len(cut.split()) >= 2 else t  # "no, I think the first one was better" is all one thought
    return t.strip() or text
