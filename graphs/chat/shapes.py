"""The shapes of a change, as the rule reader (graphs.chat.changes) matches them: lead words, verbs and value groups
for each family of edit (substitute, add, remove, background, place, style, pose, counts), and the filler and
trailing courtesy stripped before any of them is tried. Data for the reader; no reading happens here."""

from __future__ import annotations

import re

from graphs.chat.phrasings import END
from graphs.reading.attributes import SHADES
from graphs.reading.rules import STYLE_PATTERNS, SUBJECT_KEYWORDS, literal
from graphs.reading.scene import CLASSES, COLOUR_WORDS, SCENE_CLASSES, SUBJECT_CLASSES

FLAGS = re.I | re.S

_STYLE_ALTS = "|".join(f"(?:{p})" for p in STYLE_PATTERNS.values())
STYLE_CUE = re.compile(
    r"^(?:(?:(?:can|could)\s+(?:we|i)\s+(?:see|get|have)\s+)?(?:the\s+)?same(?:\s+(?:thing|image|picture|one|scene))?"
    r"(?:\s+but)?|now|but|ok(?:ay)?|instead|this\s+time"
    r"|(?:make|turn|redo|render|draw|do|paint)\s+it(?:\s+(?:again|into))?|try\s+it|can\s+you\s+make\s+it|what\s+about"
    r"|(?:give|show)\s+me|let\s+me\s+see(?:\s+it)?|could\s+you\s+(?:do|make)\s+it"
    r"|how\s+about)?[\s,]*(?:as\s+(?:an?\s+)?|in\s+(?:an?\s+|the\s+)?|an?\s+)?"
    rf"(?P<style>(?:{_STYLE_ALTS}|{literal('pixel-art')})(?:[\s-]+(?:style|version|painting|art|render))?)"
    r"(?:\s+(?:style|version|instead|shot))?" + END,
    FLAGS,
)

_HUE = COLOUR_WORDS
_ATTR = "|".join(sorted({w for c in SUBJECT_CLASSES for w in CLASSES[c]}, key=len, reverse=True))
_SCENEW = "|".join(sorted({w for c in SCENE_CLASSES for w in CLASSES[c]}, key=len, reverse=True))
# Words that make a shade of the colour after them ("coral pink", "forest green", "baby blue", "rose gold"); in a
# message "sky" before a colour names the sky ("sky orange"), as it does not in a prompt ("a sky blue car").
_SHADE = "|".join(sorted(SHADES - {"sky"}, key=len, reverse=True))
# "emerald green", "slate grey", "coral pink": a colour named by two words is one value
# "red and white checked": colours with the pattern they make, one value
PATTERNED = r"striped|spotted|dotted|checked|checkered|chequered|plaid|tartan|polka-dot|polka-dotted|patterned|floral"
ATTRS = (
    rf"(?:(?:a\s+(?:bit|little|lot)\s+|much\s+|more\s+)?(?:(?:{_HUE}|{_SHADE})\s+(?=(?:{_HUE})\b))?(?:{_ATTR})"
    rf"(?:(?:\s+and\s+|\s*,\s*|\s*-\s*)(?:{_ATTR}))*(?:\s+(?:{PATTERNED})\b)?)"
)
IT = r"(?:it|this|that|them|they|him|her|the\s+(?:image|picture|scene|whole\s+thing))"
_WHO = rf"(?:the|her|his|its|their)\s+[\w-]+(?:\s+(?!to\b|into\b|in\b|(?:{_HUE})\b|(?:{_SHADE})\s+(?:{_HUE})\b)[\w-]+)?"
_THE = r"(?:the\s+|a\s+|an\s+|all\s+the\s+|that\s+|this\s+|her\s+|his\s+|its\s+|their\s+)?"
FILLER = re.compile(
    r"^(?:(?:ok(?:ay)?|hmm+|um+|oh|ah|well|just|maybe(?!\s+try\s+it)|perhaps|would\s+it\s+be\s+possible\s+(?:for\s+you\s+)?to|"
    r"(?:is\s+it\s+|is\s+)possible\s+to|i\s+was\s+wondering\s+if\s+(?:you|u)\s+(?:could|can)|also|and|then|now|so|but|actually|undo\s+that\s*(?:,\s*(?:and\s+)?|\s+and\s+)(?=\w)|not\s+that(?=\s*[,.;])|please|pls|plz|hey|alright|great|nice|cool|"
    r"yes|yeah|no+(?!\s+more\b)|nope|nah|wait|better|lol|hmm+|hi|hello|hey|tweak\s+it\s*[:,]|ok\s+but|but|not\s+what\s+i\s+(?:asked\s+for|wanted)|any\s+chance\s+(?:of|to\s+(?:see|get))|i\s+wonder\s+(?:how|what)\s+it\s+(?:looks|would\s+look)|"
    r"maybe\s+try\s+it|what\s+if\s+it\s+(?:were|was)|would\s+it\s+work\s+(?=with\b)|i[’']?d\s+rather\s+have\s+it\b|"
    r"(?:could|can)\s+it\s+be(?=\s+\S+(?:\s+\S+)?\s+instead\b)|(?:could|can)\s+(?:we|i)\s+(?:see|get|have)\s+it|i\s+want\s+it(?=\s+(?:at|in|on|during|without)\b)|"
    r"let\s+me\s+see\s+it|show\s+me\s+it|give\s+me\s+(?=an?\s+[\w\s-]+\s+version)|(?:what|how)\s+about(?=\s+(?:in|at|on|during|under|with|by|near|over|above|inside|beside|across|through|indoors|outdoors)\b)|that[’']?s\s+(?:wrong|not\s+(?:it|right))|not\s+quite|wrong)\b[\s,!.]*|(?:can|could|would|will)\s+(?:you|u|we)\s+(?:please\s+)?|i\s+(?:think|guess|feel)"
    r"\s+(?:it\s+(?:would|might)\s+look\s+better\s+(?=with\b))?|(?:let[’']?s|lets)\s+|(?:the\s+)?same(?:\s+(?:thing|image|"
    r"picture|one|scene|prompt))?(?:\s+but)?\b[\s,]*|this\s+time[\s,]*|i\s+want\s+(?=it\b|them\b)|i[’']?d\s+like\s+"
    r"(?=it\b|them\b))+",
    FLAGS,
)
TRAIL = re.compile(
    r"[\s,.!?]*(?:\b(?:please|pls|plz|thanks|thank\s+you|instead|this\s+time|now|then|too|as\s+well|again|tbh|lol|lmao|actually|sorry|lmfao|rofl|haha|hehe|xd|maybe|"
    r"perhaps|ok|okay|outside|out\s+there)\b[\s,.!?]*)*$",
    FLAGS,
)
_TIME_PHRASE = rf"(?:(?:at|during|in)\s+(?:the\s+|an?\s+)?|on\s+an?\s+|an?\s+)?(?:{_SCENEW})(?:[\s-]*(?:time|version|scene|day|weather|sky))?"

SWAP = re.compile(
    r"^(?:swap|switch|flip|invert|reverse|exchange|trade)\s+(?:the\s+|their\s+|both\s+)?colou?rs?(?:\s+(?:around|round|over))?"
    r"(?:\s+of\s+(?:the\s+)?(?P<a>[\w\s]+?)\s+and\s+(?:the\s+)?(?P<b>[\w\s]+?))?$"
    r"|^(?:swap|switch|exchange)\s+(?:the\s+)?(?P<a2>[\w\s]+?)\s+and\s+(?:the\s+)?(?P<b2>[\w\s]+?)\s+colou?rs?$",
    FLAGS,
)
BACKGROUND = (
    re.compile(
        r"^(?:change|make|turn|set|switch|paint|colou?r)\s+the\s+(?:background|backdrop)(?:\s+colou?r)?\s+(?:to\s+|into\s+)?"
        r"(?P<v>.+)$",
        FLAGS,
    ),
    re.compile(
        rf"^(?:put|place|set|draw|show)\s+(?:{IT}|the\s+\w+)\s+(?:on|against|in\s+front\s+of|over)\s+{_THE}(?P<v>.+?)"
        r"(?:\s+(?:background|backdrop))?$",
        FLAGS,
    ),
    re.compile(
        rf"^(?:use|try|give\s+{IT}|with|on|against|have|go\s+with|i\s+want)\s+{_THE}(?P<v>[\w\s-]+?)\s+(?:background|backdrop)$",
        FLAGS,
    ),
    re.compile(
        r"^(?:the\s+)?(?:background|backdrop)\s+(?:(?:should|could|would|can|might|must|will)\s+be\s+|in\s+|to\s+|as\s+|"
        r"=\s*)?(?P<v>.+)$",
        FLAGS,
    ),
    re.compile(rf"^{_THE}(?P<v>(?:{_ATTR}|[\w-]+)(?:\s+(?:and\s+)?[\w-]+)?)\s+(?:background|backdrop)$", FLAGS),
    # "on black", "on blue instead?": a colour to stand on is the background's
    re.compile(
        rf"^(?:on|against)\s+(?:an?\s+)?(?P<v>(?:{COLOUR_WORDS})(?:\s+(?:and|&)\s+(?:{COLOUR_WORDS}))?)"
        r"(?:\s+(?:instead|then|now))?$",
        FLAGS,
    ),
)
PLACE = re.compile(
    rf"^(?:move|put|place|set|take|bring|send|drop|transport|relocate)\s+(?:{IT}|the\s+[\w\s]+?)(?:\s+all)?"
    r"(?:\s+(?:outside|inside|back|out|over|down|up))?\s+"
    r"(?P<prep>to|on|in|into|at|onto|inside|under|by|near|beside|underwater|over|above)\s+(?P<v>.+)$",
    FLAGS,
)
BARE_PLACE = re.compile(
    r"^(?P<prep>on|in|at|inside|under|underwater|by|near|beside|onto|into|over|above|across|through)\s+"
    r"(?P<v>(?:\S+\s*){1,5})$|^(?P<alone>indoors|outdoors|inside|outside|underwater)$",
    FLAGS,
)
SCENE_SET = re.compile(
    rf"^(?:make\s+{IT}\s+|set\s+{IT}\s+|change\s+{IT}\s+to\s+|turn\s+{IT}\s+(?:in)?to\s+)?(?P<p>{_TIME_PHRASE})$",
    FLAGS,
)
LIGHT_SET = re.compile(
    r"^(?:with\s+|in\s+|add\s+)?(?P<v>(?:golden|blue)\s+hour(?:\s+light(?:ing)?)?|(?:soft|warm|cold|neon|dramatic|studio|"
    r"natural|cinematic|moody|rim|candle|harsh)\s*light(?:ing)?|candle\s*light|moonlight|sunlight|backlit|backlighting)$",
    FLAGS,
)
ATTR_SET = (
    re.compile(rf"^(?P<v>{ATTRS})\s+(?:would\s+be|is|looks|might\s+be)\s+(?:better|nicer|cooler|prettier)$", FLAGS),
    re.compile(
        rf"^(?:an?\s+|the\s+)?(?P<v>{ATTRS})\s+(?P<target>(?!one\b|ones\b|version\b|colou?r\b|instead\b|(?:{PATTERNED})\b)[a-z][\w-]*)"
        r"(?:\s+(?:behind|in\s+front\s+of|next\s+to|above|below)\s+(?:it|them))?$",
        FLAGS,
    ),
    re.compile(
        rf"^(?:make|turn|paint|colou?r|recolou?r|change|dye|render|do|have|tint|keep|leave)\s+(?P<target>{IT}|{_WHO})\s+(?:to\s+|into\s+|in\s+)?"
        rf"(?P<v>{ATTRS})$",
        FLAGS,
    ),
    re.compile(
        rf"^(?:change|make|set|turn)\s+(?:the\s+)?(?:(?P<target>[\w\s]+?)[’']s\s+)?colou?rs?"
        rf"(?:\s+of\s+(?:the\s+)?(?P<target2>[\w\s]+?))?\s+(?:to|into)\s+(?P<v>{ATTRS})$",
        FLAGS,
    ),
    re.compile(
        rf"^(?P<target>{_WHO})\s+(?:should\s+be|in|is|are|could\s+be)\s+(?P<v>{ATTRS})(?:\s+(?:paint|paintwork|colou?rs?))?$",
        FLAGS,
    ),  # "the robot in rusty orange paint"
    re.compile(rf"^(?P<target>{_WHO})\s+(?P<v>{ATTRS})$", FLAGS),  # "and the circle red" (the verb carried over)
    re.compile(
        rf"^(?:what\s+about|how\s+about|i[’']?d\s+rather\s+(?:have\s+)?(?:{IT}\s+)?|i[’']?d\s+like\s+(?:{IT}\s+)?|i\s+want\s+"
        rf"(?:{IT}\s+)?|rather\s+|could\s+{IT}\s+be|"
        rf"can\s+{IT}\s+be|try|make\s+{IT}|i\s+prefer\s+(?:{IT}\s+)?|go\s+with|maybe|perhaps|in)?\s*"
        rf"(?:an?\s+|the\s+)?(?P<v>{ATTRS})(?:\s+(?:one|ones|version|colou?r|instead))*$",
        FLAGS,
    ),
)
SUBSTITUTE = (
    re.compile(
        r"^(?:use\s+|make\s+it\s+|i\s+want\s+|go\s+with\s+)?(?P<v>(?!the\s+)[^,]+?)(?:\s+please|\s+pls)?\s*,?\s+(?:not|rather\s+than)\s+"
        + _THE
        + r"(?P<old>[\w\s-]+)$",
        FLAGS,
    ),
    re.compile(r"^(?:can|could|should)\s+(?P<old>the\s+[\w-]+(?:\s+[\w-]+)?)\s+be\s+(?P<v>.+)$", FLAGS),
    re.compile(r"^(?P<v>.+?)\s+instead\s+of\s+" + _THE + r"(?P<old>.+)$", FLAGS),
    re.compile(r"^instead\s+of\s+" + _THE + r"(?P<old>.+?)\s*,\s*(?P<v>.+)$", FLAGS),
    re.compile(
        r"^(?:replace|swap(?:\s+out)?|switch(?:\s+out)?|exchange|substitute|trade)\s+"
        + _THE
        + r"(?P<old>.+?)\s+(?:with|for|by|to|into)\s+"
        r"(?P<v>.+)$",
        FLAGS,
    ),
    re.compile(r"^(?:change|turn|transform|convert|make)\s+" + _THE + r"(?P<old>.+?)\s+(?:in)?to\s+(?P<v>.+)$", FLAGS),
    re.compile(r"^(?:no[,.!]*\s+)?i\s+(?:meant|wanted|asked\s+for|said)\s+(?P<v>.+)$", FLAGS),
    re.compile(r"^not\s+" + _THE + r"(?P<old>.+?)\s*[,;]\s*(?:but\s+)?(?P<v>.+)$", FLAGS),
    re.compile(
        rf"^(?:make|turn|change)\s+{IT}\s+(?:in)?(?:to\s+)?(?P<v>(?:an?|the|some|\d+|one|two|three)\s+.+)$", FLAGS
    ),
    re.compile(
        r"^make\s+the\s+(?P<old>[\w-]+)\s+(?P<v>(?:an?\s+)?[\w-]+(?:\s+[\w-]+){0,2}[\s-]colou?r(?:ed|s)?|"
        r"(?:an?\s+)?[\w-]+(?:\s+[\w-]+)?|[\w-]+\s+and\s+[\w-]+)$",
        FLAGS,
    ),  # "make the slime a dragon", "make the robot rusty and old", "make the hibiscus a pale apricot colour"
    re.compile(
        r"^(?:it[’']?s|it\s+is|make\s+that|that[’']?s|make\s+it)\s+(?P<v>(?:an?|the)\s+[\w\s-]+?|[A-Z0-9])(?:\s+now)?$",
        FLAGS,
    ),
    re.compile(r"^(?:what|how)\s+about\s+(?P<v>[\w\s-]+?)$", FLAGS),
    re.compile(
        rf"^(?:what\s+about|how\s+about|can\s+{IT}\s+be|could\s+{IT}\s+be|try|maybe|show\s+me|give\s+me|"
        r"i[’']?d\s+rather\s+have|i\s+prefer|rather|should\s+be|it\s+should\s+be)\s+(?P<v>(?:an?|the|some)\s+.+)$",
        FLAGS,
    ),
    re.compile(  # "the star should be a ring", "now the circle please to be a star", "the cat's a dog now"
        r"^(?!.*\b(?:rather\s+than|instead\s+of|not)\b)(?P<old>the\s+[\w-]+)\s+(?:please\s+)?(?:(?:should|must|needs?\s+to|has\s+to|could|can|to)\s+(?:be|become)|"
        r"is(?=\s+an?\s(?!(?:bit|little|touch|tad|lot|mess|disaster|blob|joke|nightmare|failure|fail|problem|mistake|"
        r"eyesore)\b)))\s+"
        r"(?P<v>(?:an?|the)\s+[\w\s-]+|[\w-]+(?:\s+[\w-]+)?)$",
        FLAGS,
    ),
)
# The substitutions the reader treats apart, named here once rather than by their place in the table.
X_NOT_Y = SUBSTITUTE[0]  # "use a cat, not a dog"
NOT_X_BUT_Y = SUBSTITUTE[7]  # "not the fox, a wolf"
MAKE_THE_X_Y = SUBSTITUTE[9]  # "make the slime a dragon", "make the cat ginger"
X_SHOULD_BE_Y = SUBSTITUTE[-1]  # "the star should be a ring"
ADD = (
    re.compile(
        r"^(?:he|she|it|they)\s+(?:should|could|must|needs?\s+to)\s+(?:have|hold|wear|carry)\s+(?P<v>(?:an?|some|the)\s+.+)$",
        FLAGS,
    ),
    re.compile(r"^(?:it\s+|this\s+)?needs\s+(?:an?\s+|some\s+)?(?P<v>.+)$", FLAGS),
    re.compile(
        r"^(?:can|could)\s+(?:we|you|i)\s+(?:get|have|do|add|put|include|see)\s+(?P<v>.+?)"
        r"(?:\s+(?:in|to|into|on)\s+(?:it|there|the\s+(?:image|picture|scene)))?$",
        FLAGS,
    ),
    re.compile(
        rf"^(?:add|include|insert|put|place|throw\s+in|stick|get|do|have)\s+(?P<v>.+?)(?:(?<!\bnext)(?<!\bclose)\s+(?:in|to|into|on)\s+{IT})?$",
        FLAGS,
    ),
    re.compile(rf"^(?:give|let)\s+(?:{IT}|the\s+\w+)\s+(?P<v>.+)$", FLAGS),
    re.compile(
        r"^(?:and|also|plus|with|there\s+should\s+be|i\s+want|and\s+also)\s+(?P<v>(?:an?|some|the|two|three)\s+.+|"
        r"[\w-]+(?:\s+[\w-]+){0,3})$|^with\s+(?P<v2>(?:[\w-]+\s+){0,7}[\w-]+)$",
        FLAGS,
    ),
    re.compile(r"^(?:it\s+|this\s+)?could\s+(?:use|do\s+with)\s+(?P<v>.+)$", FLAGS),
    re.compile(
        r"^(?P<v>.+?)\s+would\s+(?:be|look)\s+(?:really\s+|so\s+)?(?:cool|nice|great|fun|good|cute|awesome|lovely)$",
        FLAGS,
    ),
    re.compile(
        r"^(?P<v>(?:(?:an?|some|a\s+few|\d+|two|three)\s+)?[\w\s-]+?\s+(?:around|next\s+to|beside|near|behind|in\s+front\s+of|"
        r"on|under|above|over|by|at)\s+(?:him|her|it|them|his\s+feet|her\s+feet))$",
        FLAGS,
    ),
)
REMOVE = (
    re.compile(
        r"^(?:remove|delete|erase|drop|lose|ditch|scrap|hide|clear|take\s+(?:out|away)|get\s+rid\s+of|no\s+more|without|leave\s+out)\s+"
        + _THE
        + r"(?P<v>[^,;]+?)(?:\s+(?:from|in)\s+(?:it|the\s+(?:image|picture|scene)))?$",
        FLAGS,
    ),
    re.compile(r"^(?:no|not\s+the)\s+(?P<v>[\w-]+(?:\s+[\w-]+)?)$", FLAGS),
)
# "and the bamboo goes", "the hat has to go", "bicycle out": that thing removed
GOES = re.compile(
    r"^(?:and\s+)?(?:the\s+)?(?P<v>[\w-]+(?:\s+[\w-]+)?)\s+(?:goes|has\s+to\s+go|must\s+go|can\s+go|should\s+go|"
    r"is\s+gone|gone|out)[\s.!]*$",
    FLAGS,
)
STYLE_PHRASES = (
    re.compile(
        r"^(?:make\s+(?:it\s+)?|do\s+it\s+|redo\s+it\s+|render\s+it\s+|paint\s+it\s+)?(?:look\s+)?like\s+(?:an?\s+)?(?P<s>.+?)"
        r"(?:\s+(?:painting|picture|one|did\s+it|would))?$",
        FLAGS,
    ),
    re.compile(
        r"^(?:(?:make|do|render|draw|paint|redo)\s+(?:it\s+)?)?(?:in\s+(?:the\s+)?style\s+of|by|after|inspired\s+by|"
        r"as\s+if\s+(?:painted|drawn)\s+by)\s+(?!(?:an?|the)\s)(?P<s>.+)$",
        FLAGS,
    ),  # "by a window" is a place
    re.compile(
        r"^(?:make\s+it\s+|as\s+|turn\s+it\s+into\s+|do\s+it\s+as\s+|redo\s+it\s+as\s+|render\s+it\s+as\s+|in\s+)?(?:an?\s+)?"
        r"(?P<s>[\w\s'’-]+?\s+(?:painting|drawing|sketch|illustration|render|print|poster|photo|photograph|style|art|"
        r"artwork|engraving|woodcut|etching|mosaic|cartoon|comic|anime|film|movie\s+still))$",
        FLAGS,
    ),
    re.compile(  # "make it in the style of a Pixar movie": after "style of" an article is part of the style
        r"^(?:(?:make|do|render|draw|paint|redo)\s+(?:it\s+)?)?in\s+(?:the\s+)?style\s+of\s+(?:an?\s+|the\s+)?(?P<s>.+)$",
        FLAGS,
    ),
)
SPLIT_EDITS = re.compile(
    r"\s*(?:;|,\s*(?:and\s+|then\s+)?|\s+then\s+|\s+also\s+|\s+plus\s+)\s*"
    r"|\s+(?:and|but)\s+(?=(?:then\s+)?(?:make|change|keep|turn|put|move|add|remove|get|set|use|give|the|her|his|its|their|at|in|on|"
    r"with|swap|replace|paint|colou?r|include|drop|lose|place|background|backdrop|bg)\b"
    r"|(?:[a-z][\w-]*\s+){1,2}(?:background|backdrop|bg)\b"
    r"|(?!(?:light|dark|pale|deep|bright|hot|baby|pastel|neon|matte)\b)[a-z][\w-]*\s+(?:" + _HUE + r")\s*(?:$|,))"
    r"|\s+(?=(?:at|in|during)\s+(?:the\s+|a\s+)?(?:" + _SCENEW + r"|moon|sun|stars)\b)|\s+(?=with\s)",
    FLAGS,
)


VERBS = frozenset("replace change make put use add remove swap turn move switch set paint draw".split())
FUNCTION = frozenset(
    "it this that them what about how why who when where which is are be can could would should do does did not no yes "
    "replace swap change make add remove turn put move use try give show let get set paint keep go "
    "more less very too so and or but the a an of to in on at with for from by up down out over".split()
)


WITH_ATTR = re.compile(rf"^with\s+(?:an?\s+|the\s+)?(?P<v>{ATTRS})\s+(?P<target>[a-z][\w-]+)$", FLAGS)
MADE_OF = re.compile(
    rf"^(?:make|build|do|render)\s+(?P<target>{IT}|the\s+[\w-]+(?:\s+[\w-]+)?)\s+(?:out\s+of|from|of|in)\s+(?P<v>[\w-]+)$",
    FLAGS,
)
CAMERA = re.compile(
    r"^(?:shoot|show|see|film|frame|photograph|draw|view|change\s+the\s+camera\s+so\s+we[’']?re\s+looking)\s+(?:it\s+|them\s+)?"
    r"(?P<v>(?:from\s+(?:above|below|behind|the\s+side|far\s+away|up\s+close)|down\s+from\s+.+|up\s+close|close\s+up|"
    r"from\s+a\s+(?:low|high)\s+angle))$",
    FLAGS,
)
BEHIND = re.compile(
    rf"^(?:i\s+want\s+|with\s+|use\s+)?(?P<v>{_HUE})\s+(?:behind(?:\s+(?:it|them))?|for\s+the\s+(?:background|backdrop|bg)|"
    rf"(?:as|in)\s+the\s+(?:background|backdrop|bg)|everywhere\s+else)$"
    rf"|^(?:(?:make|paint|turn)\s+)?the\s+(?:rest|background\s+colou?r)\s+(?P<v2>{_HUE})$",
    FLAGS,
)
NOT_KEEN = re.compile(
    r"^(?:(?:i[’']?m\s+)?not\s+(?:keen\s+on|a\s+fan\s+of|sure\s+about|happy\s+with|loving)|ditch|lose|drop|no\s+more|"
    r"get\s+rid\s+of)\s+(?:the\s+)?(?!the\b)(?P<old>[\w-]+(?:\s+(?:background|backdrop|bg))?)"
    r"(?:\s*[,.;]\s*(?:and\s+|but\s+|then\s+)?|\s+(?:and|but|then)\s+)(?!\s*(?:keep|leave)\b)(?P<rest>.+)$",
    FLAGS,
)  # "ditch the star, make it a ring": one change; "lose the star, keep the circle" is two
ON_COLOUR = re.compile(
    rf"^(?:make\s+{IT}\s+|in\s+)?(?:an?\s+)?(?P<c>{_HUE})\s+(?:(?P<t>(?!on\b|against\b)[a-z][\w-]*)\s+)?(?:on|against)\s+"
    rf"(?:an?\s+)?(?P<b>{_HUE})(?:\s+(?:background|backdrop))?$",
    FLAGS,
)
POSE = re.compile(
    rf"^(?:(?:make|have|let|get)\s+)?(?:{IT}|him|her|the\s+[\w-]+(?:\s+[\w-]+)?)?\s*(?:should\s+|to\s+)?"
    r"(?P<v>(?:face|facing|turn(?:ed)?|look(?:ing)?|point(?:ing)?)\s+(?:to\s+(?:the\s+)?)?(?:left|right|the\s+other\s+way|"
    r"away|forward|up|down|the\s+camera|us|the\s+viewer)|upside\s+down|(?:flip(?:ped)?|mirror(?:ed)?)"
    r"(?:\s+(?:horizontally|vertically))?)$",
    FLAGS,
)
FLIP = re.compile(rf"^(?:flip|turn)\s+(?:{IT}|the\s+[\w-]+(?:\s+[\w-]+)?)\s+(?P<v>upside\s+down|over|around)$", FLAGS)
MORE = re.compile(r"^(?:add\s+)?(?P<v>(?:more|extra|lots\s+of|even\s+more)\s+[a-z][\w-]*(?:\s+[a-z][\w-]*)?)$", FLAGS)
# The camera said in words, one list for a view alone, a view with what it shows, and "give me a close-up".
VIEWS = (
    r"(?:extreme\s+)?close[-\s]?up|wide(?:[-\s]angle)?(?:\s+shot)?|wide\s+view|(?:aerial|overhead)\s+(?:view|shot)|"
    r"bird[’']?s[-\s]eye\s+view|top[-\s]down\s+(?:view|shot)|side\s+view|front\s+view|full[-\s]body\s+shot|portrait\s+shot|"
    r"panorama|(?:low|high)[-\s]angle(?:\s+shot)?|(?:shot|seen|viewed|filmed|photographed)\s+from\s+(?:above|below|behind|"
    r"the\s+side|far\s+away|the\s+front|a\s+(?:low|high)\s+angle)"
)
COMPOSITION = re.compile(
    rf"^(?:give\s+me\s+|make\s+{IT}\s+|as\s+|show\s+me\s+|try\s+|do\s+)?(?:an?\s+)?(?P<v>{VIEWS})(?:\s+(?:please|instead))?$",
    FLAGS,
)

# A view said with what it shows: "close-up on his face, covered in soot", "shot from above, looking down at the
# canyon", "wide angle instead so we see the whole farm": the camera, and the rest as said.
VIEW_SAID = re.compile(
    rf"^(?:give\s+me\s+|make\s+{IT}\s+|as\s+|show\s+me\s+|try\s+|do\s+|(?:can|could)\s+(?:we|i|you)\s+(?:get|have|see|do)\s+)?"
    rf"(?:an?\s+)?(?P<v>{VIEWS})(?:\s+(?:please|pls|instead))*"
    r"(?P<rest>(?:\s+(?:on|of|at)\s+[^,]+)?(?:\s*,\s*[^,]+){0,2})"
    r"(?:\s+so\s+(?:that\s+)?(?:we|you|i)\s+(?:can\s+)?see\s+(?P<see>[^,]+))?$",
    FLAGS,
)


SKY = re.compile(
    r"^under\s+(?:the\s+|an?\s+)?(?:stars|starry\s+sky|night\s+sky|(?:full\s+)?moon|moonlight|northern\s+lights)$",
    FLAGS,
)


NOT_THAT = re.compile(r"^(?P<main>.+?)\s*,\s*not\s+(?:the\s+)?(?P<old>[\w-]+(?:\s+and\s+[\w-]+)?)$", FLAGS)
SWITCH_TO = re.compile(
    r"^(?:switch|change|go|swap)\s+(?:it\s+|that\s+)?(?:to|for)\s+(?P<v>[A-Za-z0-9]|(?:the\s+)?(?:letter|number|digit)\s+"
    r"[A-Za-z0-9]|(?:an?|the)\s+[\w-]+(?:\s+[\w-]+)?)$",
    FLAGS,
)
HOW_MANY = re.compile(
    r"^(?:make\s+it\s+|i\s+want\s+|let[’']?s\s+(?:do|have)\s+|(?:too\s+many|too\s+few)[\s,]+)?"
    r"(?P<n>two|three|four|five|six|seven|eight|nine|ten)(?:\s+of\s+(?:them|those|it)|\s+(?:is|are|would\s+be)\s+enough)?$",
    FLAGS,
)
ONE = re.compile(r"^(?:just|only)\s+(?:one|a\s+single|1)(?:\s+[a-z][\w-]*)?$", FLAGS)
NO_THING = re.compile(r"^(?:no|without)\s+(?:the\s+|any\s+)?(?P<v>[a-z][\w-]*(?:\s+[a-z][\w-]*)?)$", FLAGS)
SKY_CLAUSE = re.compile(
    r"^(?P<v>(?:an?\s+)?(?:(?:clear|blue|starry|cloudy|grey|gray|pink|orange|stormy)\s+){1,2}sk(?:y|ies))$", FLAGS
)
# A remark about the picture beside the change ("get rid of the rainbow, it looks weird"): no change of its own.
REMARK = re.compile(
    r"\s*[,.;]\s*(?:(?:it|that|this|they|those|these)(?:[’']s|[’']re|\s+(?:is|are|was|looks?|seems?|feels?))\s+[^,.;]+"
    r"|(?:looks?|seems?)\s+(?:weird|odd|off|wrong|strange|bad|ugly|out\s+of\s+place)[^,.;]*"
    r"|the\s+[\w\s-]{1,20}?\s+(?:is|looks|seems)\s+(?:a\s+bit\s+|kinda\s+|too\s+|so\s+|really\s+)?"
    r"(?:dull|boring|bland|plain|off|weird|wrong|odd|bad|ugly|loud|much)\b[^,.;]*)(?=[,.;]|$)",
    FLAGS,
)


# "the flowers, make them pink", "the dress make it green": the thing named first, then the change with a pronoun
TOPIC = re.compile(
    r"^(?P<t>the\s+[a-z][\w-]*(?:\s+[a-z][\w-]*)?)\s*,?\s+(?P<v>make|paint|turn|colou?r|set|put|have)\s+(?:it|them)\b(?P<rest>.*)$",
    FLAGS,
)


KEEP_AS_IS = re.compile(
    r"^(?:but\s+)?(?:keep|leave)\s+(?:it|them|that|this|the\s+[\w\s-]+?|[\w-]+(?:\s+[\w-]+)?)"
    r"(?:\s+(?:as\s+(?:it\s+is|is)|the\s+same|alone|unchanged))?[\s.!]*$"
    # "K is fine", "the hat is ok": said beside a change, it keeps that thing as it is
    r"|^(?:the\s+)?[\w-]+(?:\s+[\w-]+)?\s+(?:is|are|was|were)\s+(?:fine|ok(?:ay)?|good|perfect|great)(?:\s+as\s+(?:it\s+is|is))?[\s.!]*$"
    # "fern stays", "the hat can stay": that thing as it is
    r"|^(?:the\s+)?[\w-]+(?:\s+[\w-]+)?\s+(?:stays?|remains?|can\s+stay|should\s+stay)(?:\s+(?:as\s+(?:it\s+is|is)|the\s+same))?[\s.!]*$"
    # "pot stays blue", "the sun stays orange": said beside a change, that thing keeps its colour
    r"|^(?:but\s+)?(?:the\s+)?[\w-]+(?:\s+[\w-]+)?\s+(?:stays?|remains?|still)\s+(?:[\w-]+\s+)?(?:"
    + COLOUR_WORDS
    + r")[\s.!]*$"
    # "same balloons", "same lighting": the thing as it was
    r"|^(?:and\s+|but\s+)?(?:keep\s+)?(?:the\s+)?same\s+[\w-]+(?:\s+[\w-]+)?[\s.!]*$",
    FLAGS,
)


SAME_AS_BEFORE = re.compile(
    r"^(?:and\s+|but\s+)?(?:keep(?:ing)?\s+|with\s+)?(?:the\s+)?same\s+(?:colou?rs?|background|everything|style|size|"
    r"scene|place|setting)(?:\s+as\s+before)?[\s.!?]*$|^(?:and\s+)?(?:keep(?:ing)?|leav(?:e|ing))\s+(?:everything|the\s+rest|all)"
    r"(?:\s+else)?(?:\s+(?:exactly\s+)?(?:the\s+same|as\s+(?:it\s+)?is|unchanged))?[\s.!?]*$",
    FLAGS,
)

# A shape, a glyph or a pattern has no place to be put in: "desert" after a star is a new scene (the starter zoo).
DRAWN_SHAPES = frozenset("circle square triangle star ring letter number digit stripes checkerboard dots polka".split())
# Words of a place a thing can be put in ("savanna", "beach"); the sky, the time and the view are not places.
PLACES = frozenset(
    w
    for w in re.split(r",\s*", SUBJECT_KEYWORDS["landscape"] + ", savanna, savannah, prairie, tundra, swamp, marsh")
    if w
    not in (
        "sky",
        "sunset",
        "sunrise",
        "cloud",
        "wave",
        "aurora",
        "northern lights",
        "nature",
        "scenery",
        "landscape",
        "galaxy",
    )
)


def place_word(value: str) -> bool:
    last = value.lower().split()[-1]
    return last in PLACES or last.rstrip("s") in PLACES or last[:-2] in PLACES and last.endswith("es")
