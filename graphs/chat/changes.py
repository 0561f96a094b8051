"""Reading a change to the last picture as slot edits: "make the fox white", "a wolf instead", "at night in the rain",
several in one sentence. graphs.chat.refine decides first which action a message is; a content or style change comes
here, and the edits go to `graphs.reading.edits.apply_edits`, so unchanged words stay as the user wrote them.
"""

from __future__ import annotations

import re

from pydantic import ValidationError

from graphs.chat.phrasings import END, named_style
from graphs.llm.schemas import Edit
from graphs.reading.rules import STYLE_PATTERNS, literal, mentions_style
from graphs.reading.scene import CLASSES, SCENE_CLASSES, SUBJECT_CLASSES, class_of

_F = re.I | re.S

_STYLE_ALTS = "|".join(f"(?:{p})" for p in STYLE_PATTERNS.values())
STYLE_CUE = re.compile(
    r"^(?:(?:the\s+)?same(?:\s+(?:thing|image|picture|one|scene))?(?:\s+but)?|now|but|ok(?:ay)?|instead|this\s+time"
    r"|(?:make|turn|redo|render|draw|do|paint)\s+it(?:\s+(?:again|into))?|try\s+it|can\s+you\s+make\s+it|what\s+about"
    r"|(?:give|show)\s+me|let\s+me\s+see(?:\s+it)?|could\s+you\s+(?:do|make)\s+it"
    r"|how\s+about)?[\s,]*(?:as\s+(?:an?\s+)?|in\s+(?:an?\s+|the\s+)?|an?\s+)?"
    rf"(?P<style>(?:{_STYLE_ALTS}|{literal('pixel-art')})(?:[\s-]+(?:style|version|painting|art|render))?)"
    r"(?:\s+(?:style|version|instead))?" + END,
    _F,
)

_ATTR = "|".join(sorted({w for c in SUBJECT_CLASSES for w in CLASSES[c]}, key=len, reverse=True))
_SCENEW = "|".join(sorted({w for c in SCENE_CLASSES for w in CLASSES[c]}, key=len, reverse=True))
_ATTRS = rf"(?:(?:a\s+(?:bit|little|lot)\s+|much\s+|more\s+)?(?:{_ATTR})(?:(?:\s+and\s+|\s*,\s*|\s*-\s*)(?:{_ATTR}))*)"
_IT = r"(?:it|this|that|them|they|him|her|the\s+(?:image|picture|scene|whole\s+thing))"
_WHO = r"(?:the|her|his|its|their)\s+[\w-]+(?:\s+(?!to\b|into\b|in\b)[\w-]+)?"
_THE = r"(?:the\s+|a\s+|an\s+|all\s+the\s+|that\s+|this\s+|her\s+|his\s+|its\s+|their\s+)?"
FILLER = re.compile(
    r"^(?:(?:ok(?:ay)?|hmm+|um+|oh|ah|well|maybe(?!\s+try\s+it)|perhaps|would\s+it\s+be\s+possible\s+(?:for\s+you\s+)?to|"
    r"(?:is\s+it\s+|is\s+)possible\s+to|i\s+was\s+wondering\s+if\s+(?:you|u)\s+(?:could|can)|also|and|then|now|so|but|actually|undo\s+that\s*(?:,\s*(?:and\s+)?|\s+and\s+)(?=\w)|not\s+that(?=\s*[,.;])|please|pls|plz|hey|alright|great|nice|cool|"
    r"yes|yeah|no+|nope|nah|wait|better|lol|hmm+|hi|hello|hey|tweak\s+it\s*[:,]|ok\s+but|but|not\s+what\s+i\s+(?:asked\s+for|wanted)|any\s+chance\s+(?:of|to\s+(?:see|get))|i\s+wonder\s+(?:how|what)\s+it\s+(?:looks|would\s+look)|"
    r"maybe\s+try\s+it|what\s+if\s+it\s+(?:were|was)|would\s+it\s+work\s+(?=with\b)|i[’']?d\s+rather\s+have\s+it\b|"
    r"(?:could|can)\s+it\s+be(?=\s+\S+(?:\s+\S+)?\s+instead\b)|(?:could|can)\s+(?:we|i)\s+(?:see|get|have)\s+it|i\s+want\s+it(?=\s+(?:at|in|on|during|without)\b)|"
    r"let\s+me\s+see\s+it|show\s+me\s+it|give\s+me\s+(?=an?\s+[\w\s-]+\s+version)|(?:what|how)\s+about(?=\s+(?:in|at|on|during|under|with|by|near|over|above|inside|beside|across|through|indoors|outdoors)\b)|that[’']?s\s+(?:wrong|not\s+(?:it|right))|not\s+quite|wrong)\b[\s,!.]*|(?:can|could|would|will)\s+(?:you|u|we)\s+(?:please\s+)?|i\s+(?:think|guess|feel)"
    r"\s+(?:it\s+(?:would|might)\s+look\s+better\s+(?=with\b))?|(?:let[’']?s|lets)\s+|(?:the\s+)?same(?:\s+(?:thing|image|"
    r"picture|one|scene|prompt))?(?:\s+but)?\b[\s,]*|this\s+time[\s,]*|i\s+want\s+(?=it\b|them\b)|i[’']?d\s+like\s+"
    r"(?=it\b|them\b))+",
    _F,
)
TRAIL = re.compile(
    r"[\s,.!?]*(?:\b(?:please|pls|plz|thanks|thank\s+you|instead|this\s+time|now|then|too|as\s+well|again|tbh|lol|lmao|actually|sorry|lmfao|rofl|haha|hehe|xd|maybe|"
    r"perhaps|ok|okay|outside|out\s+there)\b[\s,.!?]*)*$",
    _F,
)
_TIME_PHRASE = rf"(?:(?:at|during|in)\s+(?:the\s+|an?\s+)?|on\s+an?\s+|an?\s+)?(?:{_SCENEW})(?:[\s-]*(?:time|version|scene|day|weather|sky))?"

_SWAP = re.compile(
    r"^(?:swap|switch|flip|invert|reverse|exchange|trade)\s+(?:the\s+|their\s+|both\s+)?colou?rs?(?:\s+(?:around|round|over))?"
    r"(?:\s+of\s+(?:the\s+)?(?P<a>[\w\s]+?)\s+and\s+(?:the\s+)?(?P<b>[\w\s]+?))?$"
    r"|^(?:swap|switch|exchange)\s+(?:the\s+)?(?P<a2>[\w\s]+?)\s+and\s+(?:the\s+)?(?P<b2>[\w\s]+?)\s+colou?rs?$",
    _F,
)
_BACKGROUND = (
    re.compile(
        r"^(?:change|make|turn|set|switch|paint|colou?r)\s+the\s+(?:background|backdrop)(?:\s+colou?r)?\s+(?:to\s+|into\s+)?"
        r"(?P<v>.+)$",
        _F,
    ),
    re.compile(
        rf"^(?:put|place|set|draw|show)\s+(?:{_IT}|the\s+\w+)\s+(?:on|against|in\s+front\s+of|over)\s+{_THE}(?P<v>.+?)"
        r"(?:\s+(?:background|backdrop))?$",
        _F,
    ),
    re.compile(
        rf"^(?:use|try|give\s+{_IT}|with|on|against|have|go\s+with|i\s+want)\s+{_THE}(?P<v>[\w\s-]+?)\s+(?:background|backdrop)$",
        _F,
    ),
    re.compile(r"^(?:the\s+)?(?:background|backdrop)\s+(?:should\s+be\s+|in\s+|to\s+|as\s+|=\s*)?(?P<v>.+)$", _F),
    re.compile(rf"^{_THE}(?P<v>(?:{_ATTR}|[\w-]+)(?:\s+(?:and\s+)?[\w-]+)?)\s+(?:background|backdrop)$", _F),
)
_PLACE = re.compile(
    rf"^(?:move|put|place|set|take|bring|send|drop|transport|relocate)\s+(?:{_IT}|the\s+[\w\s]+?)(?:\s+all)?"
    r"(?:\s+(?:outside|inside|back|out|over|down|up))?\s+"
    r"(?P<prep>to|on|in|into|at|onto|inside|under|by|near|beside|underwater|over|above)\s+(?P<v>.+)$",
    _F,
)
_BARE_PLACE = re.compile(
    r"^(?P<prep>on|in|at|inside|under|underwater|by|near|beside|onto|into|over|above|across|through)\s+"
    r"(?P<v>(?:\S+\s*){1,5})$|^(?P<alone>indoors|outdoors|inside|outside|underwater)$",
    _F,
)
_SCENE_SET = re.compile(
    rf"^(?:make\s+{_IT}\s+|set\s+{_IT}\s+|change\s+{_IT}\s+to\s+|turn\s+{_IT}\s+(?:in)?to\s+)?(?P<p>{_TIME_PHRASE})$",
    _F,
)
_LIGHT_SET = re.compile(
    r"^(?:with\s+|in\s+|add\s+)?(?P<v>(?:golden|blue)\s+hour(?:\s+light(?:ing)?)?|(?:soft|warm|cold|neon|dramatic|studio|"
    r"natural|cinematic|moody|rim|candle|harsh)\s*light(?:ing)?|candle\s*light|moonlight|sunlight|backlit|backlighting)$",
    _F,
)
_ATTR_SET = (
    re.compile(rf"^(?P<v>{_ATTRS})\s+(?:would\s+be|is|looks|might\s+be)\s+better$", _F),
    re.compile(
        rf"^(?:an?\s+|the\s+)?(?P<v>{_ATTRS})\s+(?P<target>(?!one\b|ones\b|version\b|colou?r\b|instead\b)[a-z][\w-]*)"
        r"(?:\s+(?:behind|in\s+front\s+of|next\s+to|above|below)\s+(?:it|them))?$",
        _F,
    ),
    re.compile(
        rf"^(?:make|turn|paint|colou?r|recolou?r|change|dye|render|do|have|tint|keep|leave)\s+(?P<target>{_IT}|{_WHO})\s+(?:to\s+|into\s+|in\s+)?"
        rf"(?P<v>{_ATTRS})$",
        _F,
    ),
    re.compile(
        rf"^(?:change|make|set|turn)\s+(?:the\s+)?(?:(?P<target>[\w\s]+?)[’']s\s+)?colou?rs?"
        rf"(?:\s+of\s+(?:the\s+)?(?P<target2>[\w\s]+?))?\s+(?:to|into)\s+(?P<v>{_ATTRS})$",
        _F,
    ),
    re.compile(rf"^(?P<target>{_WHO})\s+(?:should\s+be|in|is|are|could\s+be)\s+(?P<v>{_ATTRS})$", _F),
    re.compile(rf"^(?P<target>{_WHO})\s+(?P<v>{_ATTRS})$", _F),  # "and the circle red" (the verb carried over)
    re.compile(
        rf"^(?:what\s+about|how\s+about|i[’']?d\s+rather\s+(?:have\s+)?(?:{_IT}\s+)?|i[’']?d\s+like\s+(?:{_IT}\s+)?|i\s+want\s+"
        rf"(?:{_IT}\s+)?|rather\s+|could\s+{_IT}\s+be|"
        rf"can\s+{_IT}\s+be|try|make\s+{_IT}|i\s+prefer\s+(?:{_IT}\s+)?|go\s+with|maybe|perhaps|in)?\s*"
        rf"(?:an?\s+|the\s+)?(?P<v>{_ATTRS})(?:\s+(?:one|ones|version|colou?r|instead))*$",
        _F,
    ),
)
_SUBSTITUTE = (
    re.compile(
        r"^(?:use\s+|make\s+it\s+|i\s+want\s+|go\s+with\s+)?(?P<v>(?!the\s+)[^,]+?)(?:\s+please|\s+pls)?\s*,?\s+(?:not|rather\s+than)\s+"
        + _THE
        + r"(?P<old>[\w\s-]+)$",
        _F,
    ),
    re.compile(r"^(?:can|could|should)\s+(?P<old>the\s+[\w-]+(?:\s+[\w-]+)?)\s+be\s+(?P<v>.+)$", _F),
    re.compile(r"^(?P<v>.+?)\s+instead\s+of\s+" + _THE + r"(?P<old>.+)$", _F),
    re.compile(r"^instead\s+of\s+" + _THE + r"(?P<old>.+?)\s*,\s*(?P<v>.+)$", _F),
    re.compile(
        r"^(?:replace|swap(?:\s+out)?|switch(?:\s+out)?|exchange|substitute|trade)\s+"
        + _THE
        + r"(?P<old>.+?)\s+(?:with|for|by|to|into)\s+"
        r"(?P<v>.+)$",
        _F,
    ),
    re.compile(r"^(?:change|turn|transform|convert|make)\s+" + _THE + r"(?P<old>.+?)\s+(?:in)?to\s+(?P<v>.+)$", _F),
    re.compile(r"^(?:no[,.!]*\s+)?i\s+(?:meant|wanted|asked\s+for|said)\s+(?P<v>.+)$", _F),
    re.compile(r"^not\s+" + _THE + r"(?P<old>.+?)\s*[,;]\s*(?:but\s+)?(?P<v>.+)$", _F),
    re.compile(
        rf"^(?:make|turn|change)\s+{_IT}\s+(?:in)?(?:to\s+)?(?P<v>(?:an?|the|some|\d+|one|two|three)\s+.+)$", _F
    ),
    re.compile(
        r"^make\s+the\s+(?P<old>[\w-]+)\s+(?P<v>(?:an?\s+)?[\w-]+(?:\s+[\w-]+)?)$", _F
    ),  # "make the slime a dragon"
    re.compile(
        r"^(?:it[’']?s|it\s+is|make\s+that|that[’']?s|make\s+it)\s+(?P<v>(?:an?|the)\s+[\w\s-]+?|[A-Z0-9])(?:\s+now)?$",
        _F,
    ),
    re.compile(r"^(?:what|how)\s+about\s+(?P<v>[\w\s-]+?)$", _F),
    re.compile(
        rf"^(?:what\s+about|how\s+about|can\s+{_IT}\s+be|could\s+{_IT}\s+be|try|maybe|show\s+me|give\s+me|"
        r"i[’']?d\s+rather\s+have|i\s+prefer|rather|should\s+be|it\s+should\s+be)\s+(?P<v>(?:an?|the|some)\s+.+)$",
        _F,
    ),
    re.compile(  # "the star should be a ring", "now the circle please to be a star"
        r"^(?!.*\b(?:rather\s+than|instead\s+of|not)\b)(?P<old>the\s+[\w-]+)\s+(?:please\s+)?(?:should|must|needs?\s+to|has\s+to|could|can|to)\s+(?:be|become)\s+"
        r"(?P<v>(?:an?|the)\s+[\w\s-]+|[\w-]+(?:\s+[\w-]+)?)$",
        _F,
    ),
)
_ADD = (
    re.compile(
        r"^(?:he|she|it|they)\s+(?:should|could|must|needs?\s+to)\s+(?:have|hold|wear|carry)\s+(?P<v>(?:an?|some|the)\s+.+)$",
        _F,
    ),
    re.compile(r"^(?:it\s+|this\s+)?needs\s+(?:an?\s+|some\s+)?(?P<v>.+)$", _F),
    re.compile(
        r"^(?:can|could)\s+(?:we|you|i)\s+(?:get|have|do|add|put|include|see)\s+(?P<v>.+?)"
        r"(?:\s+(?:in|to|into|on)\s+(?:it|there|the\s+(?:image|picture|scene)))?$",
        _F,
    ),
    re.compile(
        rf"^(?:add|include|insert|put|place|throw\s+in|stick|get|do|have)\s+(?P<v>.+?)(?:\s+(?:in|to|into|on)\s+{_IT})?$",
        _F,
    ),
    re.compile(rf"^(?:give|let)\s+(?:{_IT}|the\s+\w+)\s+(?P<v>.+)$", _F),
    re.compile(
        r"^(?:and|also|plus|with|there\s+should\s+be|i\s+want|and\s+also)\s+(?P<v>(?:an?|some|the|two|three)\s+.+|"
        r"[\w-]+(?:\s+[\w-]+){0,3})$|^with\s+(?P<v2>(?:[\w-]+\s+){0,7}[\w-]+)$",
        _F,
    ),
    re.compile(r"^(?:it\s+|this\s+)?could\s+(?:use|do\s+with)\s+(?P<v>.+)$", _F),
    re.compile(
        r"^(?P<v>.+?)\s+would\s+(?:be|look)\s+(?:really\s+|so\s+)?(?:cool|nice|great|fun|good|cute|awesome|lovely)$", _F
    ),
    re.compile(
        r"^(?P<v>(?:(?:an?|some|a\s+few|\d+|two|three)\s+)?[\w\s-]+?\s+(?:around|next\s+to|beside|near|behind|in\s+front\s+of|"
        r"on|under|above|over|by|at)\s+(?:him|her|it|them|his\s+feet|her\s+feet))$",
        _F,
    ),
)
_REMOVE = (
    re.compile(
        r"^(?:remove|delete|erase|drop|lose|hide|clear|take\s+(?:out|away)|get\s+rid\s+of|no\s+more|without|leave\s+out)\s+"
        + _THE
        + r"(?P<v>.+?)(?:\s+(?:from|in)\s+(?:it|the\s+(?:image|picture|scene)))?$",
        _F,
    ),
    re.compile(r"^(?:no|not\s+the)\s+(?P<v>[\w-]+(?:\s+[\w-]+)?)$", _F),
)
_STYLE_PHRASES = (
    re.compile(
        r"^(?:make\s+(?:it\s+)?|do\s+it\s+|redo\s+it\s+|render\s+it\s+|paint\s+it\s+)?(?:look\s+)?like\s+(?:an?\s+)?(?P<s>.+?)"
        r"(?:\s+(?:painting|picture|one|did\s+it|would))?$",
        _F,
    ),
    re.compile(
        r"^(?:(?:make|do|render|draw|paint|redo)\s+(?:it\s+)?)?(?:in\s+(?:the\s+)?style\s+of|by|after|inspired\s+by|"
        r"as\s+if\s+(?:painted|drawn)\s+by)\s+(?!(?:an?|the)\s)(?P<s>.+)$",
        _F,
    ),  # "by a window" is a place
    re.compile(
        r"^(?:make\s+it\s+|as\s+|turn\s+it\s+into\s+|do\s+it\s+as\s+|redo\s+it\s+as\s+|render\s+it\s+as\s+|in\s+)?(?:an?\s+)?"
        r"(?P<s>[\w\s'’-]+?\s+(?:painting|drawing|sketch|illustration|render|print|poster|photo|photograph|style|art|"
        r"artwork|engraving|woodcut|etching|mosaic|cartoon|comic|anime|film|movie\s+still))$",
        _F,
    ),
    re.compile(  # "make it in the style of a Pixar movie": after "style of" an article is part of the style
        r"^(?:(?:make|do|render|draw|paint|redo)\s+(?:it\s+)?)?in\s+(?:the\s+)?style\s+of\s+(?:an?\s+|the\s+)?(?P<s>.+)$",
        _F,
    ),
)
_SPLIT_EDITS = re.compile(
    r"\s*(?:;|,\s*(?:and\s+|then\s+)?|\s+then\s+|\s+also\s+|\s+plus\s+)\s*"
    r"|\s+(?:and|but)\s+(?=(?:then\s+)?(?:make|change|keep|turn|put|move|add|remove|get|set|use|give|the|her|his|its|their|at|in|on|"
    r"with|swap|replace|paint|colou?r|include|drop|lose|place)\b)"
    r"|\s+(?=(?:at|in|during)\s+(?:the\s+|a\s+)?(?:" + _SCENEW + r"|moon|sun|stars)\b)|\s+(?=with\s)",
    _F,
)


_FUNCTION = frozenset(
    "it this that them what about how why who when where which is are be can could would should do does did not no yes "
    "replace swap change make add remove turn put move use try give show let get set paint keep go "
    "more less very too so and or but the a an of to in on at with for from by up down out over".split()
)


def _split_place(value: str) -> tuple[str, str]:
    """ "a panda in a bamboo forest" -> ("a panda", "in a bamboo forest")."""
    m = re.match(r"^(?P<head>.+?)\s+(?P<place>(?:in|on|at|under|inside|by|near)\s+.+)$", value, _F)
    return (m["head"], m["place"]) if m else (value, "")


_WITH_ATTR = re.compile(rf"^with\s+(?:an?\s+|the\s+)?(?P<v>{_ATTRS})\s+(?P<target>[a-z][\w-]+)$", _F)
_MADE_OF = re.compile(
    rf"^(?:make|build|do|render)\s+(?P<target>{_IT}|the\s+[\w-]+(?:\s+[\w-]+)?)\s+(?:out\s+of|from|of|in)\s+(?P<v>[\w-]+)$",
    _F,
)
_CAMERA = re.compile(
    r"^(?:shoot|show|see|film|frame|photograph|draw|view|change\s+the\s+camera\s+so\s+we[’']?re\s+looking)\s+(?:it\s+|them\s+)?"
    r"(?P<v>(?:from\s+(?:above|below|behind|the\s+side|far\s+away|up\s+close)|down\s+from\s+.+|up\s+close|close\s+up|"
    r"from\s+a\s+(?:low|high)\s+angle))$",
    _F,
)
_BEHIND = re.compile(
    rf"^(?:i\s+want\s+|with\s+|use\s+)?(?P<v>{'|'.join(sorted(CLASSES['colour'], key=len, reverse=True))})\s+behind\s+(?:it|them)$",
    _F,
)
_NOT_KEEN = re.compile(
    r"^(?:(?:i[’']?m\s+)?not\s+(?:keen\s+on|a\s+fan\s+of|sure\s+about|happy\s+with|loving)|ditch|lose|drop|no\s+more)"
    r"\s+(?:the\s+)?(?!the\b)(?P<old>[\w-]+)"
    r"(?:\s*[,.;]\s*(?:and\s+|but\s+|then\s+)?|\s+(?:and|but|then)\s+)(?P<rest>.+)$",
    _F,
)
_COLOUR_WORD = "|".join(sorted(CLASSES["colour"], key=len, reverse=True))
_ON_COLOUR = re.compile(
    rf"^(?:make\s+{_IT}\s+|in\s+)?(?P<c>{_COLOUR_WORD})\s+(?:on|against)\s+(?:an?\s+)?(?P<b>{_COLOUR_WORD})"
    r"(?:\s+(?:background|backdrop))?$",
    _F,
)
_POSE = re.compile(
    rf"^(?:(?:make|have|let|get)\s+)?(?:{_IT}|him|her|the\s+[\w-]+(?:\s+[\w-]+)?)?\s*(?:should\s+|to\s+)?"
    r"(?P<v>(?:face|facing|turn(?:ed)?|look(?:ing)?|point(?:ing)?)\s+(?:to\s+(?:the\s+)?)?(?:left|right|the\s+other\s+way|"
    r"away|forward|up|down|the\s+camera|us|the\s+viewer)|upside\s+down|(?:flip(?:ped)?|mirror(?:ed)?)"
    r"(?:\s+(?:horizontally|vertically))?)$",
    _F,
)
_FLIP = re.compile(rf"^(?:flip|turn)\s+(?:{_IT}|the\s+[\w-]+(?:\s+[\w-]+)?)\s+(?P<v>upside\s+down|over|around)$", _F)
_MORE = re.compile(r"^(?:add\s+)?(?P<v>(?:more|extra|lots\s+of|even\s+more)\s+[a-z][\w-]*(?:\s+[a-z][\w-]*)?)$", _F)
_COMPOSITION = re.compile(
    rf"^(?:give\s+me\s+|make\s+{_IT}\s+|as\s+|show\s+me\s+|try\s+|do\s+)?(?:an?\s+)?(?P<v>(?:extreme\s+)?close[-\s]?up|"
    r"wide(?:[-\s]angle)?\s+shot|wide\s+view|aerial\s+view|bird[’']?s[-\s]eye\s+view|top[-\s]down\s+view|side\s+view|"
    r"front\s+view|full[-\s]body\s+shot|portrait\s+shot|low[-\s]angle\s+shot|panorama)(?:\s+(?:please|instead))?$",
    _F,
)


def _bare(text: str) -> str:
    return re.sub(r"^(?:the|a|an|her|his|its|their)\s+", "", text.strip(), flags=re.I)


def _attr_edit(target: str, value: str) -> Edit | None:
    words = [
        w
        for w in re.split(r"[\s,-]+", value.lower())
        if w not in ("and", "a", "bit", "little", "lot", "much", "more", "")
    ]
    classes = {class_of(w) for w in words}
    if words and class_of(words[-1]) and len(words) <= 3 and not re.match(r"^(?:an?|the|some)\s", value, _F):
        classes = {class_of(words[-1])}  # "cobalt blue", "matte black": the class of the word they qualify
    if len(classes) != 1 or None in classes:
        return None
    cls = classes.pop()
    target = "" if re.fullmatch(_IT, target or "", flags=re.I) else _bare(target or "")
    if " and " in f" {target} ":
        return None
    value = re.sub(r"^(?:a\s+(?:bit|little|lot)\s+|much\s+|more\s+)", "", value.strip(), flags=re.I)
    return Edit(op="set", slot=cls, value=value.lower(), target=target)


_SKY = re.compile(
    r"^under\s+(?:the\s+|an?\s+)?(?:stars|starry\s+sky|night\s+sky|(?:full\s+)?moon|moonlight|northern\s+lights)$", _F
)


def _scene_edits(clause: str) -> list[Edit] | None:
    """ "at night in the rain", "at night with fog", "winter": each phrase one time/weather/season edit."""
    pieces = [p for p in re.split(r"\s+(?=(?:at|in|during|with|on|under)\s)|\s*,\s*|\s+and\s+", clause, flags=_F) if p]
    edits = []
    for piece in pieces:
        if edits and _SKY.match(piece):  # "at night under the stars": the night sky, not a new place
            edits.append(Edit(op="set", slot="lighting", value=piece.lower()))
            continue
        m = _SCENE_SET.match(re.sub(r"^with\s+", "", piece, flags=_F))
        if not m:
            return None
        word = next(w for w in re.findall(r"[\w-]+", m["p"].lower()) if class_of(w) in SCENE_CLASSES)
        edits.append(Edit(op="set", slot=class_of(word), value=word))
    return edits or None


def _style_change(clause: str) -> str | None:
    if m := STYLE_CUE.match(clause):
        return m["style"].lower()
    for rx in _STYLE_PHRASES:
        if m := rx.match(clause):
            s = m["s"].strip()
            if rx is _STYLE_PHRASES[2] and not (mentions_style(s) or re.search(r"\bstyle\b", s, _F)):
                continue  # "a red car" is no style; "charcoal drawing", "Pixar style" are
            if rx is _STYLE_PHRASES[0] and len(s.split()) > 4:
                continue
            return f"in the style of {s}" if rx is not _STYLE_PHRASES[2] else s
    return named_style(clause)


def _new_thing(clause: str, previous: str | None) -> bool:
    """ "put the moon in the sky" names a thing the picture does not have yet: an addition, not a move."""
    m = re.match(r"^\w+\s+the\s+(?!(?:scene|image|picture|whole)\b)(?P<thing>[\w-]+)", clause, _F)
    return bool(m and previous and not re.search(rf"\b{re.escape(m['thing'])}s?\b", previous, _F))


_NOT_THAT = re.compile(r"^(?P<main>.+?)\s*,\s*not\s+(?:the\s+)?(?P<old>[\w-]+(?:\s+and\s+[\w-]+)?)$", _F)
_SWITCH_TO = re.compile(
    r"^(?:switch|change|go|swap)\s+(?:it\s+|that\s+)?(?:to|for)\s+(?P<v>[A-Za-z0-9]|(?:the\s+)?(?:letter|number|digit)\s+"
    r"[A-Za-z0-9]|(?:an?|the)\s+[\w-]+(?:\s+[\w-]+)?)$",
    _F,
)
_HOW_MANY = re.compile(
    r"^(?:make\s+it\s+|i\s+want\s+|let[’']?s\s+(?:do|have)\s+|(?:too\s+many|too\s+few)[\s,]+)?"
    r"(?P<n>two|three|four|five|six|seven|eight|nine|ten)(?:\s+of\s+(?:them|those|it)|\s+(?:is|are|would\s+be)\s+enough)?$",
    _F,
)
_ONE = re.compile(r"^(?:just|only)\s+(?:one|a\s+single|1)(?:\s+[a-z][\w-]*)?$", _F)
_NO_THING = re.compile(r"^(?:no|without)\s+(?:the\s+|any\s+)?(?P<v>[a-z][\w-]*(?:\s+[a-z][\w-]*)?)$", _F)
_SKY_CLAUSE = re.compile(
    r"^(?P<v>(?:an?\s+)?(?:(?:clear|blue|starry|cloudy|grey|gray|pink|orange|stormy)\s+){1,2}sk(?:y|ies))$", _F
)
# A remark about the picture beside the change ("get rid of the rainbow, it looks weird"): no change of its own.
_REMARK = re.compile(
    r"\s*[,.;]\s*(?:(?:it|that|this|they|those|these)(?:[’']s|[’']re|\s+(?:is|are|was|looks?|seems?|feels?))\s+[^,.;]+"
    r"|(?:looks?|seems?)\s+(?:weird|odd|off|wrong|strange|bad|ugly|out\s+of\s+place)[^,.;]*)(?=[,.;]|$)",
    _F,
)


# "the flowers, make them pink", "the dress make it green": the thing named first, then the change with a pronoun
_TOPIC = re.compile(
    r"^(?P<t>the\s+[a-z][\w-]*(?:\s+[a-z][\w-]*)?)\s*,?\s+(?P<v>make|paint|turn|colou?r|set|put|have)\s+(?:it|them)\b(?P<rest>.*)$",
    _F,
)


def _one_change(text: str, previous: str | None = None) -> list[Edit] | None:
    """`_read_one_change`, where a reading the Edit schema refuses (a "subject" of a whole sentence, over its 80
    characters) is no reading: the message is then read another way, or drawn new, rather than failing the turn."""
    try:
        return _read_one_change(text, previous)
    except ValidationError:
        return None


def _read_one_change(clause: str, previous: str | None = None) -> list[Edit] | None:
    raw = clause.strip()
    if (m := _TOPIC.match(TRAIL.sub("", FILLER.sub("", raw)).strip())) and previous:
        if re.search(rf"\b{re.escape(_bare(m['t']).split()[-1])}", previous, _F):
            return _one_change(f"{m['v']} {m['t']}{m['rest']}", previous)
    if m := re.match(r"^(?:and|also|plus|and\s+also)\s+(?P<v>(?:an?|some|the|two|three)\s+.+?)[\s.!?]*$", raw, _F):
        if not _one_change(m["v"]):  # "and a wooden pier": a thing to add
            return [Edit(op="add", slot="thing", value=m["v"])]
    if (
        (m := _NO_THING.match(TRAIL.sub("", raw)))
        and not set(m["v"].lower().split()) & _FUNCTION
        and class_of(m["v"]) in (None, "weather")
    ):
        return [Edit(op="remove", slot="thing", target=m["v"])]  # "no people": not "people" as the new subject
    if m := _SKY_CLAUSE.match(TRAIL.sub("", raw)):
        return [Edit(op="add", slot="thing", value=m["v"])]
    c = TRAIL.sub("", FILLER.sub("", raw)).strip()
    if not c:
        return None
    if (m := _NOT_THAT.match(c)) and all(class_of(w) for w in re.findall(r"[\w-]+", m["old"]) if w != "and"):
        if got := _one_change(m["main"], previous):  # "the background should be green, not yellow"
            return got
    if (m := _SWITCH_TO.match(c)) and previous and not any(class_of(w) for w in m["v"].split()):  # "switch to 8"
        return [Edit(op="replace", slot="subject", value=m["v"])]
    if m := _HOW_MANY.match(c):  # "three of them", "two is enough"
        return [Edit(op="replace", slot="subject", value=m["n"].lower())]
    if m := _ONE.match(c):  # "just one": the subject counted anew
        return [Edit(op="replace", slot="subject", value=m.group(0).lower())]
    if m := _NOT_KEEN.match(c):  # "not keen on the yellow, make it orange": that colour, not every colour
        change = _one_change(m["rest"], previous) or []
        old = m["old"].lower()
        if class_of(old) and len(change) == 1 and change[0].slot == class_of(old):
            return [Edit(op="replace", slot=change[0].slot, target=old, value=change[0].value)]
        if change:
            return change
        same = [w.lower() for w in re.findall(r"[\w-]+", m["rest"]) if class_of(old) and class_of(w) == class_of(old)]
        if same:  # "lose the orange and use purple": purple where the orange was
            return [Edit(op="replace", slot=class_of(old), target=old, value=same[0])]
    if m := _ON_COLOUR.match(c):  # "same but blue on white", "make it yellow on black"
        return [
            Edit(op="set", slot="colour", value=m["c"].lower()),
            Edit(op="set", slot="background", value=m["b"].lower()),
        ]
    if m := _COMPOSITION.match(c):
        return [Edit(op="set", slot="composition", value=m["v"])]
    if m := _POSE.match(c) or _FLIP.match(c):  # "make him face left", "flip the bicycle upside down"
        v = m["v"].lower()
        v = re.sub(
            r"^(?:face|turn(?:ed)?|look|point)\b",
            lambda w: {"face": "facing", "look": "looking", "point": "pointing"}.get(w.group(0), "turned"),
            v,
        )
        return [Edit(op="set", slot="composition", value=v)]
    if (m := _MORE.match(c)) and not class_of(m["v"].split()[-1]) or (m and class_of(m["v"].split()[-1]) == "weather"):
        return [Edit(op="add", slot="thing", value=m["v"].lower())]  # "more syrup", "more snow"
    if m := _SWAP.match(c):
        return [
            Edit(op="swap", slot="colour", target=_bare(m["a"] or m["a2"] or ""), value=_bare(m["b"] or m["b2"] or ""))
        ]
    for rx in _BACKGROUND:
        if m := rx.match(c):
            v = _bare(
                re.sub(r"\s*,?\s+(?:instead\s+of|rather\s+than|not)\s+.+$", "", m["v"], flags=_F)
            )  # "black instead of yellow"
            if v and not re.search(r"\b(?:background|backdrop)\b", v, re.I) and len(v.split()) <= 4:
                if rx is _BACKGROUND[1] and not (
                    re.search(r"(?:background|backdrop)$", c, _F) or class_of(v.split()[-1]) == "colour"
                ):
                    continue  # "put it on a beach" is a place
                return [Edit(op="set", slot="background", value=v)]
    if edits := _scene_edits(c):
        return edits
    if m := _LIGHT_SET.match(c):
        return [Edit(op="set", slot="lighting", value=m["v"])]
    for rx in _ATTR_SET:
        if m := rx.match(c):
            groups = m.groupdict()
            if edit := _attr_edit(groups.get("target") or groups.get("target2") or "", m["v"]):
                return [edit]
    if style := _style_change(c):
        return [Edit(op="set", slot="style", value=style)]
    if (m := _PLACE.match(c)) and class_of(m["v"]) and len(m["v"].split()) == 1:  # "put the stripes in diagonal"
        cls = class_of(m["v"])
        return [Edit(op="set", slot=cls, value=m["v"].lower())]
    if (m := _PLACE.match(c)) and not _new_thing(c, previous):
        prep = "in" if m["prep"].lower() in ("to", "into") else m["prep"].lower()
        if prep == "in" and re.fullmatch(r"[a-z][\w-]*", m["v"], _F):  # "to london": a name takes no article
            return [Edit(op="set", slot="place", value=f"in {m['v']}")]
        return [Edit(op="set", slot="place", value=m["v"] if prep == "in" else f"{prep} {m['v']}")]
    for rx in _SUBSTITUTE:
        if m := rx.match(c):
            groups = m.groupdict()
            value, old = m["v"].strip(), groups.get("old") or ""
            value = re.sub(
                r"^i\s+(?:meant|wanted|said|asked\s+for)\s+", "", value, flags=_F
            )  # "i meant tulips, not peonies"
            inner = (
                _one_change(value, previous)
                if old and re.match(r"^(?:make|paint|turn|colou?r|have|dye)\b", value, _F)
                else None
            )
            if (
                inner
                and len(inner) == 1
                and inner[0].op == "set"
                and previous
                and re.search(rf"\b{re.escape(_bare(old))}\b", previous, _F)
            ):  # "make the vase ceramic instead of glass": ceramic where the glass was
                slot = inner[0].slot if class_of(_bare(old)) == inner[0].slot else "quality"
                return [Edit(op="replace", slot=slot, target=_bare(old), value=inner[0].value)]
            value = re.sub(rf"^(?:make|turn)\s+{_IT}\s+(?:in)?(?:to\s+)?", "", value, flags=_F)
            value = re.sub(r"^(?:put|use|have|draw|show|give\s+me|i\s+want)\s+(?=\S)", "", value, flags=_F)
            if re.search(r"\b(?:background|backdrop)$", value, _F):  # "a red background instead of the purple one"
                return _one_change(f"use {value}")
            first = _bare(value).split()[0] if _bare(value).split() else ""
            if (
                class_of(old.strip())
                and class_of(first)
                and len(value.split()) == 1
                and previous
                and re.search(rf"\b{re.escape(old.strip())}\b", previous, _F)
            ):  # "bronze instead of marble": the word where it stands
                return [Edit(op="replace", slot=class_of(old.strip()), value=first.lower(), target=old.strip())]
            scene_words = [w for w in re.findall(r"[\w-]+", value.lower()) if class_of(w) in SCENE_CLASSES]
            if class_of(old.strip()) in SCENE_CLASSES and scene_words and class_of(first) != class_of(old.strip()):
                # "calm sunny day instead of the storm": the old weather goes, the new time of day comes
                return [
                    Edit(op="remove", slot="thing", target=old.strip()),
                    Edit(op="set", slot=class_of(scene_words[-1]), value=_bare(value)),
                ]
            if class_of(old.strip()) and class_of(first) == class_of(old.strip()):
                return [Edit(op="replace", slot=class_of(old.strip()), value=first.lower(), target=old.strip())]
            head, place = _split_place(value)
            if place and old == "":
                return [Edit(op="replace", slot="subject", value=head), Edit(op="set", slot="place", value=place)]
            if " and " in f" {old} " or (rx is _SUBSTITUTE[7] and class_of(value)):
                continue
            if edit := _attr_edit(old, value):  # "turn the fox into a white one" / "change the star to red"
                return [edit]
            if rx in (_SUBSTITUTE[9], _SUBSTITUTE[-1]) and not re.match(r"^(?:an?|the|some)\s|.*[^s]s$", value, _F):
                return [Edit(op="set", slot="quality", value=value, target=_bare(old))]  # "make the cat ginger"
            if re.fullmatch(rf"(?:an?\s+)?(?:{_ATTRS})\s+(?:one|ones)", value, re.I):
                return [_attr_edit(old, re.sub(r"\s+(?:one|ones)$", "", value))]
            return [Edit(op="replace", slot="subject", value=value, target=_bare(old))]
    for rx in _REMOVE:
        if m := rx.match(c):
            return [Edit(op="remove", slot="thing", target=_bare(m["v"]))]
    if m := _BARE_PLACE.match(c):
        if m["alone"]:
            return [Edit(op="set", slot="place", value=m["alone"].lower())]
        v = m["v"]
        if not class_of(v.split()[-1]):
            return [Edit(op="set", slot="place", value=f"{m['prep'].lower()} {v}")]
    if (m := _WITH_ATTR.match(c)) and previous and re.search(rf"\b{re.escape(m['target'])}", previous, _F):
        return [_attr_edit(m["target"], m["v"])]  # "would it work with a blue car?" of a red car
    if m := _MADE_OF.match(c):  # "make the pieces out of glass", "make it out of lava"
        target = "" if re.fullmatch(_IT, m["target"], flags=re.I) else _bare(m["target"])
        return [Edit(op="set", slot="material", value=m["v"].lower(), target=target)]
    if m := _CAMERA.match(c):
        return [Edit(op="set", slot="composition", value=m["v"])]
    if m := _BEHIND.match(c):  # "I want black behind it"
        return [Edit(op="set", slot="background", value=m["v"])]
    for rx in _ADD:
        if m := rx.match(c):
            value = m.groupdict().get("v") or m["v2"]
            if (re.search(r"\binstead\b", raw, _F) and re.match(r"^(?:do|have|get)\b", c, _F)) or (
                _glyph(value) and previous and _glyph_subject(previous)
            ):
                return [Edit(op="replace", slot="subject", value=value)]
            return [Edit(op="add", slot="thing", value=value)]
    if (
        re.search(r"\binstead\b", raw, _F)
        and len(c.split()) <= 4
        and not re.search(r"\b(?:of|with|and|they|them|could|can|would|should)\b", c, _F)
    ):
        c = re.sub(rf"^(?:make|turn|change)\s+{_IT}\s+(?:in)?(?:to\s+)?", "", c, flags=_F)
        return [Edit(op="replace", slot="subject", value=c)]  # "polka dots instead", "ok now a square instead"
    bare = re.sub(r"^(?:an?|the)\s+", "", c, flags=_F)
    if (
        previous
        and re.fullmatch(r"[a-z][\w-]*(?:\s+[a-z][\w-]*)?", bare, _F)
        and not set(bare.lower().split()) & _FUNCTION
        and not any(class_of(w) for w in bare.split())  # "car blue": the car's colour (graphs.chat.loose)
    ):
        return [Edit(op="replace", slot="subject", value=c)]  # "triangle pls": one bare noun names the new subject
    return None


def _glyph(value: str) -> bool:
    return re.fullmatch(r"(?:(?:an?|the)\s+)?(?:(?:letter|number|digit)\s+)?[A-Za-z0-9]", value.strip(), _F) is not None


def _glyph_subject(previous: str) -> bool:
    return re.search(r"\b(?:letter|number|digit)\s+[A-Za-z0-9]\b", previous, _F) is not None


def _kept_things(edits: list[Edit], previous: str | None) -> list[Edit]:
    """ "make it two dogs and the cat": "the cat" names what the picture has, to keep, not a second new subject."""
    return [
        e
        for k, e in enumerate(edits)
        if not (
            k
            and previous
            and e.op == "replace"
            and e.slot == "subject"
            and not e.target
            and (m := re.fullmatch(r"the\s+([a-z][\w-]*)", e.value, _F))
            and re.search(rf"\b{re.escape(m[1])}\b", previous, _F)
        )
    ]


def _joined_places(edits: list[Edit]) -> list[Edit]:
    """ "indoors, by a window": two words for one place."""
    out: list[Edit] = []
    for e in edits:
        if out and e.op == out[-1].op == "set" and e.slot == out[-1].slot == "place":
            out[-1] = out[-1].model_copy(update={"value": f"{out[-1].value} {e.value}"})
        else:
            out.append(e)
    return out


_KEEP_AS_IS = re.compile(
    r"^(?:but\s+)?(?:keep|leave)\s+(?:it|them|that|this|the\s+[\w\s-]+?|[\w-]+(?:\s+[\w-]+)?)"
    r"(?:\s+(?:as\s+(?:it\s+is|is)|the\s+same|alone|unchanged))?[\s.!]*$",
    _F,
)


_SAME_AS_BEFORE = re.compile(
    r"^(?:and\s+|but\s+)?(?:keep(?:ing)?\s+|with\s+)?(?:the\s+)?same\s+(?:colou?rs?|background|everything|style|size|"
    r"scene|place|setting)(?:\s+as\s+before)?[\s.!?]*$|^(?:and\s+)?(?:keep(?:ing)?|leav(?:e|ing))\s+(?:everything|the\s+rest|all)"
    r"(?:\s+else)?(?:\s+(?:exactly\s+)?(?:the\s+same|as\s+(?:it\s+)?is|unchanged))?[\s.!?]*$",
    _F,
)


def _keeps_as_is(piece: str, previous: str | None) -> bool:
    """ "keep the umbrella red", "leave the triangle as is": what the picture already has; "keep it green" of a red
    star is a change."""
    if _SAME_AS_BEFORE.match(piece.strip()):
        return True
    m = _KEEP_AS_IS.match(FILLER.sub("", piece.strip()))
    if not m or not previous:
        return False
    named = [w for w in re.findall(r"[\w-]+", m.group(0).lower()) if class_of(w)]
    return all(re.search(rf"\b{re.escape(w)}\b", previous, _F) for w in named)


def read_changes(text: str, previous: str | None = None) -> list[Edit] | None:
    """The slot edits a message asks for, or None when it is not read as a change. Several edits may share one
    sentence ("make the star red and the background white", "at night with the moon"): the message is cut at "and",
    commas and "with", and each run of pieces is read as the shortest span that makes one change."""
    t = " ".join(text.strip().split())
    t = _REMARK.sub("", t).strip() or t
    if _NOT_KEEN.match(FILLER.sub("", t)):  # the complaint and its fix are one change, commas and all
        return _one_change(t, previous)
    t = re.sub(r"\bin\s+place\s+of\b", "instead of", t, flags=_F)
    t = re.sub(
        r"^(?P<v>.+?)\s+where\s+the\s+(?P<old>[\w\s-]+?)\s+(?:was|is|used\s+to\s+be)$",
        r"\g<v> instead of the \g<old>",
        t,
        flags=_F,
    )
    if _SUBSTITUTE[0].match(TRAIL.sub("", FILLER.sub("", t)).strip()) or _TOPIC.match(
        TRAIL.sub("", FILLER.sub("", t)).strip()
    ):
        return _one_change(t, previous)
    bounds = [0] + [x for m in _SPLIT_EDITS.finditer(t) for x in (m.start(), m.end())] + [len(t)]
    spans = [(bounds[k], bounds[k + 1]) for k in range(0, len(bounds), 2)]
    if len(spans) > 1:
        edits: list[Edit] = []
        verb, i, kept = "", 0, False
        while i < len(spans):
            got = None
            for j in range(i, len(spans)):
                piece = t[spans[i][0] : spans[j][1]]
                if _keeps_as_is(piece, previous):  # "keep the umbrella red": nothing to change
                    got, kept = [], True
                    break
                got = _one_change(piece, previous)
                if got is None and verb:  # "make the star red and the background white": the verb carries over
                    got = _one_change(f"{verb} {piece}", previous)
                if got is not None:
                    break
            if got is None:
                edits = []
                break
            lead = re.match(
                r"^(?:make|change|turn|put|add|remove|set|paint|colou?r)\b", FILLER.sub("", piece.strip()), _F
            )
            verb = lead.group(0) if lead else verb
            edits += got
            i = j + 1
        if edits and (len(edits) > 1 or kept):
            return _joined_places(_kept_things(edits, previous))
    return _one_change(t, previous)
