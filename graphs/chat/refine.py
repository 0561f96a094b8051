"""Rule mode for conversations: is a message a new request, a change to the last picture, a rating, or talk?

Like `graphs.reading.rules`, only precompiled regexes over one short message; the LLM mode fills the same `TurnIntent`.
A change is read as slot edits (graphs.chat.changes) and applied (graphs.reading.edits) to the previous turn's core
prompt, so unchanged words stay as the user wrote them.
"""

from __future__ import annotations

import re

from graphs.chat.anaphora import about_edits
from graphs.chat.asking import asked_scene
from graphs.chat.assaid import said_words
from graphs.chat.changes import read_changes
from graphs.chat.complaints import complaint
from graphs.chat.fragments import fragment_edits
from graphs.chat.fresh import fresh_request
from graphs.chat.gone import gone_as_said
from graphs.chat.insteads import same_colours
from graphs.chat.loose import loose_edits
from graphs.chat.order import learner_order, looks_like, style_asked, taken_back
from graphs.chat.phrasings import END
from graphs.chat.pointing import points_back
from graphs.chat.ratings import rating_of
from graphs.chat.remarks import aside
from graphs.chat.restate import restated
from graphs.chat.reworded import as_complaint
from graphs.chat.settled import as_meant, every_thing
from graphs.chat.shapes import FILLER, STYLE_CUE, TRAIL, VIEWS
from graphs.chat.shorthand import glyph_subject
from graphs.chat.spelling import normalise
from graphs.chat.talk import first_reading
from graphs.chat.wording import (
    CORRECTION,
    OPPOSITE,
    REMARK,
    WITHOUT,
    look_change,
    revert_words,
    sentences,
    small_talk,
    unwrap,
)
from graphs.llm.schemas import MAX_EDITS, Edit, TurnIntent
from graphs.reading.acts import OVERRIDES as ACT_OVERRIDES
from graphs.reading.acts import SURE, read_action, stars_of
from graphs.reading.edits import apply_edits
from graphs.reading.restyle import merge_style
from graphs.reading.rules import mentions_style
from graphs.reading.scene import class_of, describe, phrase
from graphs.reading.tagger import tag_change

_F = re.I | re.S

RESEED = re.compile(
    r"^(?:(?:give\s+me\s+|show\s+me\s+|make\s+|draw\s+)?another(?:\s+one)?|one\s+more|again|(?:try|do\s+it)\s+again"
    r"|(?:try|do\s+it|go)\s+(?:once|one\s+time)\s+more|(?:try|do\s+it)\s+one\s+more\s+time"
    r"|new\s+(?:seed|version)|re-?generate|re-?roll|more\s+like\s+(?:this|that)|same\s+(?:again|prompt)"
    r"|(?:(?:use|try)\s+)?(?:a\s+)?(?:different|new|another|other|random)\s+(?:seed|variation|take|try)"
    r"|(?:give\s+me\s+|show\s+me\s+|i[’']?d\s+like\s+|i\s+want\s+)?(?:another|a\s+new|a\s+different)\s+(?:variation|version|take|try)"
    r"|roll\s+(?:again|it\s+again|the\s+dice)|one\s+more\s+(?:try|time|go|variation|version|take)|"
    r"(?:try\s+again|another\s+one|one\s+more|again)[,.!;]\s+.+|same\s+again(?:\s+but\s+different)?"
    r"|(?:let\s+me\s+see|show\s+me|give\s+me)\s+(?:another(?:\s+one)?|a\s+few\s+more|more|one\s+more|a\s+different\s+seed)"
    r"|(?:give\s+me\s+|show\s+me\s+)?a\s+(?:fresh|new|different)\s+(?:one|version|take)\s+of\s+(?:that|this|it)"
    r"|(?:give\s+me\s+)?a\s+(?:different|new)\s+seed|(?:shuffle|change|randomi[sz]e|switch)\s+(?:the\s+|my\s+)?seed"
    r"|(?:try|use)\s+(?:a\s+)?(?:another|different|new)\s+seed\s+for\s+(?:this|the|that)(?:\s+(?:picture|image|one))?"
    # "try that one more time", "render it again with a different seed", "make again": the same picture, redrawn
    r"|(?:try|do|make|render|draw|redo|reroll|re-?roll)(?:\s+(?:that|it|this)(?:\s+one)?)?(?:\s+(?:again|one\s+more\s+time))+"
    r"(?:\s+with\s+(?:a\s+)?(?:different|new|another)\s+seed)?|re-?roll\s+(?:it|that|this)"
    r"|(?:do|try)\s+it\s+again[\s,]+i\s+want\s+to\s+see\s+another(?:\s+one)?"
    r"|(?:give|giving)\s+it\s+(?:another|one\s+more)\s+(?:go|shot|try)"
    r"|regen(?:erate)?(?:\s+(?:it|that|this))?|(?:can\s+you\s+|could\s+you\s+|please\s+)?redo\s+(?:it|that|this)"
    r"(?:\s*,\s*it\s+(?:came\s+out|looks|is)\b[^.!?]*)?)" + END,
    _F,
)
NEXT_MODEL = re.compile(
    r"\b(?:use|try|with|pick|choose|switch\s+to)\s+(?:a\s+|an\s+)?(?:different|another|other|new|next)\s+model\b"
    r"|^(?:a\s+)?(?:different|another|other|next)\s+model\b|\b(?:another|a\s+different|some\s+other|the\s+next)\s+model"
    r"\s+(?:do|try|draw|make|have)\b|\b(?:switch|swap|change)\s+(?:the\s+)?models?\b|^(?:a\s+)?(?:different|another|other)\s+(?:checkpoint|model|expert|engine|generator)s?\b"
    r"|\b(?:use|try)\s+(?:a\s+|an\s+)?(?:different|another|other)\s+(?:checkpoint|expert)\b"
    r"|\b(?:another|different|other)\s+(?:model|checkpoint|engine|generator)\s*(?:maybe|perhaps|please|pls)?[\s?!.]*$"
    r"|\b(?:a\s+|another\s+|some\s+other\s+)?(?:different|other|another)\s+(?:model|checkpoint|engine|generator)\s+(?:could|would|might|can)\b"
    # "that model isn't great at cable cars, pick another one": the model, found wanting, and another asked for
    r"|\b(?:this|that|the)\s+model\b.*\b(?:pick|try|use|choose|get)\s+(?:an)?other(?:\s+one)?\b",
    _F,
)
_ORDINALS = {"first": 1, "original": 1, "initial": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}
REVERT = re.compile(
    r"^(?:(?:let[’']?s\s+|please\s+)?(?:go|get|take\s+me)\s+back\s+to|back\s+to|revert\s+to|return\s+to)\s+(?:the\s+)?"
    r"(?P<which>first|original|initial|second|third|fourth|fifth|previous|last|\d+(?:st|nd|rd|th)?)"
    r"(?:\s+(?:one|image|picture|version|turn|result))?" + END + r"|^(?P<undo>undo(?:\s+that)?)" + END,
    _F,
)

_LOCAL_WORDS = (
    r"dark(?:er)?|bright(?:er)?|light(?:er)?|warm(?:er)?|cool(?:er)?|dim(?:mer)?|mood(?:y|ier)|sharp(?:er)?|soft(?:er)?"
    r"|blurr?(?:y|ier)|crisp(?:er)?|vivid|saturated|colou?rful|contrast(?:y)?|faded|muted|grainy|cleaner|smoother"
)
_LOOK = (
    rf"(?:(?:a\s+(?:bit|little|lot)\s+|much\s+|slightly\s+|way\s+|even\s+|bit\s+)?(?:more\s+|less\s+|bigger\s+)?"
    rf"(?:{_LOCAL_WORDS}|vibrant|punchier|moodier|bluish|reddish|greenish|yellowish|washed\s+out)"
    r"(?:\s+(?:tones?|colou?rs?|light(?:ing)?|look|mood|feel))?|(?:brighten|darken|lighten)(?:\s+it)?(?:\s+up)?"
    r"(?:\s+(?:a\s+(?:bit|little|lot)|slightly))?|(?:(?:the\s+)?colou?rs?\s+)?pop(?:\s+(?:a\s+bit\s+|a\s+lot\s+)?more)?"
    r"|tone\s+it\s+down(?:\s+a\s+(?:bit|little))?|(?:more|less|bigger|increase\s+the|decrease\s+the|higher|lower)\s+"
    r"(?:contrast|saturation|brightness)|too\s+(?:dark|bright|light|saturated|washed\s+out|dull|flat))"
)
LOCAL_MANY = re.compile(
    rf"^(?:(?:hmm+|um+|ok(?:ay)?|so|yeah)[\s,]+)?(?:it[’']?s\s+(?:a\s+bit\s+|kinda\s+|too\s+)?)?"
    rf"(?:(?:can\s+you\s+|could\s+you\s+|please\s+)?make\s+(?:it|the\s+(?:image|picture|colou?rs?))\s+)?"
    rf"(?P<change>{_LOOK}(?:(?:\s*,\s*|\s+and\s+|\s*[,.]\s*(?:(?:make\s+it|it)\s+)?)(?:make\s+it\s+)?{_LOOK})*)" + END,
    _F,
)
LOCAL = re.compile(
    r"^(?:(?:can\s+you\s+|please\s+)?make\s+(?:it|the\s+(?:image|picture|colou?rs?|whole\s+thing))\s+)?"
    rf"(?P<change>(?:a\s+(?:bit|little|lot)\s+|much\s+|slightly\s+|way\s+|even\s+)?(?:more\s+|less\s+)?(?:{_LOCAL_WORDS})"
    r"(?:\s+(?:tones?|colou?rs?|light(?:ing)?|look|mood|feel))?"
    rf"|(?:more|less|increase\s+the|decrease\s+the|higher|lower)\s+(?:contrast|saturation|brightness))" + END,
    _F,
)


_GREETING_WORD = (
    r"(?:hi|hello|hey|hiya|yo|howdy|greetings|good\s+(?:morning|afternoon|evening|night)|thanks?(?:\s+(?:you|a\s+lot|so"
    r"\s+much))?|thx|ty|cheers|ok(?:ay)?|cool|bye|goodbye|see\s+you|sup|what[’']?s\s+up|there|again|dgpt|bot|awesome"
    r"|great|nice|perfect|got\s+it|alright|so\s+much|very\s+much|lol|haha|brb|that[’']?s\s+all(?:\s+for\s+(?:now|today))?)"
)
_GREETING = re.compile(
    rf"^(?!(?:there|again|dgpt|bot|great|nice|perfect|awesome)\b){_GREETING_WORD}(?:[\s!.,:)]+{_GREETING_WORD})*[\s!.,:)]*$",
    _F,
)
_SYSTEM_QUESTION = re.compile(
    r"\b(?:which|what)\s+(?:models?|styles?|catalogs?|options|checkpoints?)\b|\bwhat\s+(?:can|do)\s+you\s+(?:do|draw|"
    r"make)\b|\bhow\s+(?:does|do)\s+(?:this|it|you)\s+work\b|^(?:/?help|what\s+is\s+this)\b|\bwho\s+are\s+you\b|"
    r"\bwhat\s+are\s+you\b|\bwhat\s+model\s+(?:did\s+you\s+use|was\s+(?:that|this|it|used))\b|\bwhy\s+(?:did\s+you\s+"
    r"(?:pick|choose|use)|(?:you|u)\s+(?:pick|picked|chose|choose|use|used)|that\s+model|this\s+model)\b|\bhow\s+many\s+models\b|\blist\s+(?:the\s+|your\s+|all\s+)?"
    r"models\b|\bdo\s+you\s+have\s+(?:any\s+)?models?\b|\bare\s+you\s+(?:a\s+bot|an?\s+ai|human)\b|"
    r"\bhow\s+(?:do|can)\s+i\s+(?:save|download|export|share|get|keep|copy|use|rate)\b|^how\s+(?:do|can|should)\s+i\s+.+\?\s*$|\bwho\s+(?:made|built|created|"
    r"wrote|trained)\s+you\b|\bwhat\s+(?:styles?|things)\s+can\s+you\b|"
    r"\bwhat\s+(?:kinds?|sorts?|types?)\s+of\s+(?:pictures|images|things|art|stuff)\s+(?:can|do)\s+you\b|"
    r"\bwhat\s+else\s+(?:can|do)\s+you\b|"
    r"\bwhat\s+does\s+(?:the\s+)?[\w/-]+(?:\s+command)?\s+do\b|\bdifference\s+between\s+(?:the\s+)?models\b|"
    r"\bis\s+this\s+where\s+i\b|\bcan\s+i\s+(?:download|save|share|export|keep|copy)\b|"
    r"^(?:brb|lol|haha+|hehe|lmao|hmm+|ok\s+lol)[\s!.]*$",
    _F,
)


def talk_kind(text: str) -> str | None:
    """'greeting' or 'question' for a message that asks for no picture, else None."""
    t = text.strip()
    if _GREETING.match(t):
        return "greeting"
    if _SYSTEM_QUESTION.search(t) and not re.search(
        r"\b(?:draw|generate|paint|render|picture|image|photo)\s+of\b", t, _F
    ):
        return "question"
    return small_talk(t)


_REFINEMENT_CUE = re.compile(
    r"^(?:make|change|turn|now|instead|same|but|replace|swap|switch|put|move|add|remove|without|no[,.!\s]|not\s|what\s+"
    r"about|how\s+about|can\s+you\s+make|could\s+you\s+make|try\s+it|more\s|less\s|i[’']?d\s+rather|rather|"
    r"(?:the\s+)?\w+\s+should\s+be)",
    _F,
)


# "could you make a picture of a wizard", "make me a red fox": with nothing drawn, "make" asks for a new thing
_MAKES_ONE = re.compile(
    r"^(?:(?:can|could|would|will)\s+you\s+(?:please\s+)?|please\s+)?make\s+(?:me\s+|us\s+)?(?:an?|some|two|three|\d+)\s"
    r"(?!.*\b(?:instead|rather)\b)",
    _F,
)


def looks_like_refinement(text: str) -> bool:
    """Worded like a change to the last picture ("make it …", "now …", "instead …"), whether or not it was read."""
    return bool(_REFINEMENT_CUE.match(FILLER.sub("", text.strip()) or text.strip()))


_REVERT_MORE = re.compile(
    r"^(?:(?:the\s+)?(?P<which>first|original|previous|last|earlier|old)\s+one\s+was\s+better[\s,.!]*(?:go\s+back)?|"
    r"(?:go\s+|take\s+me\s+)?back(?:\s+to\s+(?:the\s+)?(?:previous|last|earlier|old)\s*(?:one|version|picture|image)?)?|"
    r"(?:go\s+|take\s+me\s+)?back\s+to\s+(?:the\s+)?(?P<desc>[\w\s-]+?)(?:\s+(?:one|version|picture|image))?|"
    r"revert(?:\s+that)?|undo\s+(?:that\s+|the\s+)?last\s+(?:change|one|edit)|go\s+back\b.*|(?:the\s+)?"
    r"(?:previous|last|earlier|old|original)(?:\s+one)?\s+was\s+better|[\w\s’']+(?:worse|better)[,.!]\s*go\s+back.*|(?:nah|no|hmm+)?[\s,]*undo(?:\s+(?:that|it|the\s+[\w\s-]+?"
    r"(?:\s+thing)?))?|(?:the\s+)?(?:previous|last|earlier|old|original)\s+(?:version|one|picture)(?:\s+please)?|"
    r"i\s+(?:preferred|liked|prefer)\s+(?:the\s+|it\s+)?(?P<pref>[\w\s-]+?)(?:\s+(?:one|version|better|more))?(?:\s+tbh)?|"
    r"(?:bring|put)\s+(?:the\s+)?(?P<back>[\w\s-]+?)\s+back|bring\s+back\s+(?:the\s+)?(?P<back2>[\w\s-]+?)|"
    r"(?:i\s+)?prefer(?:red)?\s+(?:the\s+)?(?P<pref2>[\w\s-]+?)\s*,?\s+(?:revert|go\s+back|undo)|(?:[\w\s,]+[.!]\s*)?go\s+back)"
    + END,
    _F,
)


def revert_target(prompts: list[str], intent: TurnIntent) -> int | None:
    """Index into `prompts` (the thread's pictures, oldest first, the current one last) of the picture a revert
    asks for: its turn number, one described by its words ("the white one"), else the one before the current."""
    if intent.target_turn is not None:
        return intent.target_turn - 1 if 1 <= intent.target_turn <= len(prompts) else None
    if m := WITHOUT.match(intent.change.strip()):  # "the version without the fog": the latest picture lacking it
        lacking = [
            i for i in range(len(prompts) - 2, -1, -1) if not re.search(rf"\b{re.escape(m['thing'])}", prompts[i], _F)
        ]
        if lacking:
            return lacking[0]
    desc = [w for w in re.findall(r"[\w-]+", intent.change.lower()) if w not in _NOT_DESCRIBING]
    if len(desc) > 1:  # "back to the white triangle" of a blue triangle on white: the words as said, together
        said = r"\s+".join(re.escape(w) for w in desc)
        for i in range(len(prompts) - 2, -1, -1):
            if re.search(rf"\b{said}\b", prompts[i], _F):
                return i
    if desc:  # "the mountain one" of snowy mountains, "the sax one" of a saxophonist: a word or its start
        for i in range(len(prompts) - 2, -1, -1):
            if all(re.search(rf"\b{re.escape(w)}" + ("" if len(w) < 3 else r"[\w-]*"), prompts[i], _F) for w in desc):
                return i
    return len(prompts) - 2 if len(prompts) > 1 else None


# Words of a revert that say which picture by no word of its own.
_NOT_DESCRIBING = frozenset(
    """go back to the one ones with of a an that this it picture image version earlier before was is better nicer
    please could you we return show me again""".split()
)

_NEW_REQUEST = re.compile(
    r"^(?:(?:actually|ok(?:ay)?|now|next|and\s+now|new\s+one|something\s+else)[\s,:!.-]*)*(?:show\s+me|give\s+me|"
    r"draw(?:\s+me)?|generate|create|paint(?:\s+me)?(?!\s+the\s)|make\s+me|i\s+(?:want|would\s+like|[’']d\s+like)\s+(?:to\s+see\s+)?|"
    r"let[’']?s\s+(?:do|try|see))\s+(?:an?|some|the|two|three)\s+(?!different\b|new\s+seed\b|other\s+model\b)"
    r"(?!.*\binstead\b)(?!\S+\s+version\b)(?!\S+\s+\S+\s+version\b)"
    # "give me a close-up": the camera of the picture drawn; "show me a close-up of a tiger" is a new one
    rf"(?!(?:{VIEWS})(?!\s+of\b)(?:\s|$|[.!?]))",
    _F,
)


def _scene_asked(text: str) -> str:
    """ "actually, show me a jellyfish in the deep sea": the scene, without the asking, which every later turn would
    otherwise keep in its prompt."""
    if not (m := _NEW_REQUEST.match(text)):
        return text
    article = re.search(r"(?:an?|some|the|two|three)\s+$", text[: m.end()], _F)
    return text[article.start() if article else m.end() :]


def rule_intent(text: str, previous_core: str | None) -> TurnIntent:
    """Read a message by rule (`_rule_reading`); a reading of the rules' two defaults, a new request or a change, is
    overruled by the learned action reader when it is sure the message rates, redraws, asks for another model, talks,
    goes back or changes the look (graphs/reading/acts.py); a new request it is sure changes the picture keeps the
    picture (`_as_said`)."""
    said = _rule_reading(text, previous_core)
    if previous_core and said.action == "content" and as_complaint(normalise(text), previous_core) != normalise(text):
        return said  # a complaint with its fix: no reader of the action overrules it
    if previous_core and said.action in ("new", "content"):
        read = read_action(text)  # one embedding, for both
        return _by_meaning(text, previous_core, read) or _as_said(said, text, previous_core, read) or said
    if not previous_core and said.action == "content" and (offer := _OFFER.match(text.strip())):
        return TurnIntent(action="new", prompt=offer["scene"].strip(" ?"))  # nothing drawn: an offer is a request
    return said


# "how about a sunset over the sea?" with nothing drawn yet: a request, though it reads like a substitution
_OFFER = re.compile(
    r"^(?:so\s+|and\s+|ok(?:ay)?,?\s+)?(?:how|what)\s+about\s+(?!.*\b(?:instead|rather|version|one|ones)\b)"
    r"(?P<scene>(?:an?|some|the|\d+)\s.+)$",
    _F,
)


def _as_said(said: TurnIntent, text: str, previous_core: str, read: tuple[str, float] | None) -> TurnIntent | None:
    """A message the rules drew new for want of a reading, which the action reader is sure changes the picture: its
    words added to the last prompt (graphs/chat/assaid.py). A message that asks for a new picture in so many words
    stays new."""
    t = normalise(text)
    if said.action != "new" or fresh_request(text, previous_core):
        return None
    if (there := points_back(t, previous_core)) and read is not None and read[0] == "content":
        edits = read_changes(f"add {there}", previous_core) or said_words(there)
        return intent_from_edits(edits, text, previous_core) if edits else None  # "a dragon on the clock tower"
    if _NEW_REQUEST.match(t):
        return None
    t = re.sub(r"^(?:ok(?:ay)?[\s,]+)?(?:and\s+)?(?:now|next|then)\b[\s,:]*", "", t, flags=_F)  # "Now a bowl of ..."
    if _is_description(t, previous_core) or _DESCRIBES.match(FILLER.sub("", t)):
        return None  # "a dog in the park" after a cat: a scene of its own, whatever the reader thinks
    if read is None or read[0] != "content" or read[1] < SURE_CHANGE:
        return None
    edits = said_words(text)
    return intent_from_edits(edits, text, previous_core) if edits else None


def _by_meaning(text: str, previous_core: str, read: tuple[str, float] | None) -> TurnIntent | None:
    if read is None or read[0] not in ACT_OVERRIDES or read[1] < SURE:
        return None
    action = read[0]
    if action == "rate":
        return TurnIntent(action="rate", stars=rating_of(text) or stars_of(text), change=text.strip())
    if action == "chat":
        return TurnIntent(action="chat", change=talk_kind(text) or ("question" if "?" in text else "greeting"))
    if action == "reseed":
        return TurnIntent(action="reseed", change="new seed")
    if action == "next_model":
        return TurnIntent(action="next_model", change="next candidate model")
    if action == "revert":
        return TurnIntent(action="revert", change=text.strip())
    parts = sentences(text)
    change = unwrap(parts[-1] if parts else text).lower()  # local: the look asked for, in words
    return TurnIntent(action="local", change=change, prompt=f"{previous_core}, {change}")


def _rule_reading(text: str, previous_core: str | None) -> TurnIntent:
    """Read a message by rule. `previous_core` is the last drawn turn's core prompt (None: nothing drawn yet);
    a refinement is still recognised without one, so the caller can say there is nothing to refine.

    A message of several sentences, or one wrapped in courtesy, is read sentence by sentence when the whole does
    not read as an action: thanks and remarks beside a request are set aside, and a sentence that takes back an
    earlier one ("no, actually …") wins."""
    if previous_core and (scene := fresh_request(text, previous_core)):  # "next one: a red kite over the sea"
        return TurnIntent(action="new", prompt=scene)
    text = taken_back(text)  # "the circle red - sorry, orange, I mean": read as the value meant
    if previous_core and not same_colours(text):  # "aww cute! could the star be orange? she loves orange": the change
        text = aside(text)  # alone ("in the same colours" is no remark: it says what the new thing keeps)
    if previous_core and (fix := as_complaint(normalise(text), previous_core)) != normalise(text):
        fixed = _read_turn(fix, previous_core, loose=False)
        if fixed.action == "content":  # "the purple's a bit dull, can it be orange instead", "background is wrong,
            return fixed  # white please": the complaint says which thing, and rates nothing
    whole = _read_turn(text, previous_core, loose=False)
    parts = sentences(text)
    learned = not any(_ASKS.match(p) for p in parts)  # a question beside it: the tagger guesses at no word of it
    if len(parts) == 1 and unwrap(parts[0]) == parts[0].strip(" ?!.,"):
        return whole if whole.action != "new" else _read_turn(text, previous_core, learned=learned)
    if len(parts) == 1 and whole.action != "new" and (whole.action == "style" or not _ASKED_CHANGE.match(parts[0])):
        return whole  # "can we see the same thing as a Pixar style shot": no courtesy makes a style an addition
    # by its words only once the courtesy is off: "would it be possible to remove the clock and place a piano there"
    return _by_sentence(parts, whole, previous_core, learned) or _read_turn(text, previous_core, learned=learned)


_ACTS = ("local", "content", "style", "revert", "reseed", "next_model")
SURE_CHANGE = 0.9  # the action reader's certainty that a message the rules drew new changes the picture
# a change asked as a question is read without its courtesy, even when the whole sentence reads as one already
_ASKED_CHANGE = re.compile(
    r"^(?:[^,?]{2,40},\s*)?(?:could|can|would|might|may|shall|perhaps|maybe|i\s+wonder)\s|^(?:\w+,\s*)?i\s+wondered\s",
    _F,
)


_AND_THINGS = re.compile(
    r"^(?:and|also|plus)\s+(?P<v>(?!(?:an?|the|some|make|change|put|add|remove|it|them)\b)[a-z][\w-]*[^s\W]s)[\s.!?]*$",
    _F,
)


def _by_sentence(
    parts: list[str], whole: TurnIntent, previous_core: str | None, learned: bool = True
) -> TurnIntent | None:
    kept: list[tuple[str, TurnIntent]] = []  # the sentences whose readings still stand, in order
    rates, talk = [], []
    for k, raw in enumerate(parts):
        corrects = bool(k and CORRECTION.match(raw))
        piece = unwrap(CORRECTION.sub("", raw) if corrects else raw)
        if k and (more := _AND_THINGS.match(raw.strip())):  # "red bow tie. And glasses": glasses added
            piece = f"add {more['v']}"
        if not piece or (k and kept and REMARK.match(piece)):
            continue
        said = _read_turn(piece, previous_core, learned=learned, alone=False)
        if said.action not in _ACTS and corrects and kept:
            said = _corrected(piece, kept[-1], previous_core) or said
        if said.action == "rate":
            rates.append(said)
        elif said.action == "chat":
            talk.append(said)
        if said.action not in _ACTS:
            continue
        if kept and set(_words(piece)) <= set(_words(kept[-1][0])):
            continue  # "maybe vertical? yes, vertical": a yes to the sentence before, which says it more fully
        if corrects or not kept or not (said.edits and kept[-1][1].edits):
            kept = (
                [(piece, said)] if corrects or not kept or said.action != kept[-1][1].action else kept + [(piece, said)]
            )
        else:
            kept.append((piece, said))
    if kept:
        if reverts := [said for _, said in kept if said.action == "revert"]:
            return reverts[-1]
        if len(kept) > 1 and all(said.edits for _, said in kept):
            edits = [e for _, said in kept for e in said.edits]
            if len(edits) <= MAX_EDITS:  # more than a message holds: the last sentence's reading stands
                return intent_from_edits(edits, " ".join(p for p, _ in kept), previous_core)
        return kept[-1][1]
    if rates and whole.action not in ("rate", "chat") and len(rates) + len(talk) == len(parts):
        return rates[-1]  # a rating only when nothing else was said: "could she hold ...? it looks nice" asks a change
    if talk and len(talk) == len(parts) and whole.action != "chat":
        return talk[0]
    return None


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in ("a", "an", "the", "it", "one", "ones")]


def _corrected(piece: str, before: tuple[str, TurnIntent], previous_core: str | None) -> TurnIntent | None:
    """A correction too short to read alone, read into the sentence it corrects: "less contrast. no wait, more";
    "change the wall to a white fence. actually no, a blue door" (the value it names where the first one was)."""
    words = _words(piece)
    if len(words) == 1 and (opposite := OPPOSITE.get(words[0])):
        fixed = re.sub(rf"\b{opposite}\b", words[0], before[0], count=1, flags=_F)
        if fixed != before[0]:
            return _read_turn(fixed, previous_core)
    edits = before[1].edits
    value = TRAIL.sub("", piece).strip()
    if (
        previous_core
        and len(edits) == 1
        and edits[0].value
        and edits[0].op in ("replace", "set")
        and 0 < len(value.split()) <= 4
        and (re.match(r"^(?:an?|the)\s", value, _F) or class_of(value.split()[0]))
        and not re.search(r"\b(?:it|them|make|change|add|put)\b", value, _F)
    ):
        return intent_from_edits([edits[0].model_copy(update={"value": value})], piece, previous_core)
    return None


def _read_turn(
    text: str, previous_core: str | None, loose: bool = True, learned: bool = True, alone: bool = True
) -> TurnIntent:
    """One reading of `text`; `alone` is False for one sentence of several, which is never read as a bare fragment
    ("Sorry to be a bother." beside a change is a remark, not a thing to add)."""
    stars = rating_of(" ".join(text.strip().split()))
    if stars is not None:
        return TurnIntent(action="rate", stars=stars, change=text.strip())
    t = normalise(text)
    if previous_core:  # "Q to be in white": a learner's change, once there is a picture to change
        t = learner_order(style_asked(t))
    if not re.search(r"\w", t):  # emoji or punctuation alone: nothing to draw or change
        return TurnIntent(action="chat", change="greeting")
    if kind := talk_kind(t):
        return TurnIntent(action="chat", change=kind)
    if previous_core and complaint(t):  # "the horse has five legs": a judgement of the picture, no change asked
        return TurnIntent(action="rate", stars=2, change=t.strip())
    bare = FILLER.sub("", t) or t  # the message without its leading filler ("hmm, ok, ...")
    pieces = re.split(r"\s*,\s*", t.strip(" !.?"))
    if len(pieces) > 1 and RESEED.match(pieces[-1]) and all(rating_of(p) for p in pieces[:-1]):
        return TurnIntent(action="reseed", change="new seed")  # "omg cute, again!": praise, then a redraw
    if RESEED.match(t) or RESEED.match(bare):  # "hmm, try again", "pls another seed"
        return TurnIntent(action="reseed", change="new seed")
    if NEXT_MODEL.search(t):
        return TurnIntent(action="next_model", change="next candidate model")
    m = REVERT.match(t)
    if m:
        which = (m["which"] or "previous").lower()
        target = _ORDINALS.get(which) or (int(re.sub(r"\D", "", which)) if which[0].isdigit() else None)
        return TurnIntent(action="revert", target_turn=target, change=t)
    if said := revert_words(bare):
        return TurnIntent(action="revert", target_turn=said[0], change=said[1])
    if m := _REVERT_MORE.match(bare):
        desc = m["desc"] or m["pref"] or m["back"] or m["back2"] or m["pref2"] or ""
        target = (
            1 if (m["which"] or "").lower() in ("first", "original") or desc.lower() in ("first", "original") else None
        )
        desc = "" if desc.lower() in ("first", "original", "that", "it", "previous", "last") else desc
        return TurnIntent(action="revert", target_turn=target, change=desc)
    m = LOCAL.match(bare) or LOCAL_MANY.match(bare) or LOCAL_MANY.match(t)
    if m:
        change = m["change"].lower()
        return TurnIntent(action="local", change=change, prompt=f"{previous_core}, {change}" if previous_core else "")
    if (change := look_change(bare)) and (previous_core or looks_like_refinement(t)):
        return TurnIntent(action="local", change=change, prompt=f"{previous_core}, {change}" if previous_core else "")
    m = STYLE_CUE.match(t)
    if m and (
        previous_core or t.lower().startswith(("same", "now", "make it", "turn it", "redo it", "render it", "do it"))
    ):
        style = m["style"].lower()
        edits = [Edit(op="set", slot="style", value=style)]
        return TurnIntent(
            action="style", change=style, edits=edits, prompt=merge_style(previous_core, style) if previous_core else ""
        )
    if look := _as_a_look(t, previous_core):  # "like an oil painting from the baroque era"
        return look
    if not previous_core and (not looks_like_refinement(t) or _MAKES_ONE.match(t)):
        return TurnIntent(action="new", prompt=asked_scene(t))  # nothing drawn yet: a description is a request
    if previous_core and (
        edits := restated(t, previous_core) or same_colours(t)
    ):  # "unicorn", then "rainbow unicorn flying over candy land"
        return intent_from_edits([as_meant(e, t) for e in edits], t, previous_core)
    if _NEW_REQUEST.match(t) or _is_description(t, previous_core):
        return TurnIntent(action="new", prompt=_scene_asked(t))
    readers = [lambda: read_changes(t, previous_core)]
    if loose:
        readers += [
            lambda: loose_edits(bare, previous_core) if not _DESCRIBES.match(bare) else None,
            lambda: _tagged(t, previous_core) if learned else None,
            lambda: fragment_edits(t, previous_core) if learned and alone else None,
            lambda: about_edits(t, previous_core) if learned and alone else None,
        ]
    edits = first_reading(readers, previous_core)
    if edits is None or len(edits) > MAX_EDITS:  # more changes than one message holds: not a reading to trust
        return TurnIntent(action="new", prompt=t)
    return intent_from_edits(gone_as_said(every_thing(edits, t), t, previous_core), t, previous_core)


def _as_a_look(text: str, previous_core: str | None) -> TurnIntent | None:
    """A style said as how the picture should look ("like an oil painting from the baroque era", "low poly version of
    this"), or None."""
    style = looks_like(text) if previous_core else None
    if not style:
        return None
    edits = [Edit(op="set", slot="style", value=style)]
    return TurnIntent(action="style", change=style, edits=edits, prompt=merge_style(previous_core, style))


# Neither a question nor the start of another picture: what the learned tagger may read as a change.
_NOT_A_CHANGE = re.compile(
    r"^(?:\W*\w+\W+){0,3}?(?:what|why|how|which|who|explain|tell\s+me)\b|\b(?:next|something\s+else|new\s+(?:one|picture|"
    r"image|request|idea|thing|scene)|another\s+(?:picture|image|idea|scene)|different\s+(?:picture|idea|scene))\b"
    r"(?:\s+\w+)?\s*[:,-]",
    _F,
)
_ASKS = re.compile(
    r"^\W*(?:\w+\W+){0,4}?(?:what|why|how|which|who|is|are|do|does|did|explain)\b[^.!]*\?\s*$|"
    r"^\W*(?:could|can)\s+you\s+(?:explain|tell\s+me)\b",
    _F,
)


# A noun phrase standing alone, with no word of a change: a description of a picture, whatever it shares with the last.
_DESCRIBES = re.compile(
    r"^(?:an?|some|two|three|four|five|\d+)\s(?=\S+\s+\S+)(?!.*\b(?:instead|rather|not|but|too|also|again|still|same|more|less|it|them|"
    r"him|her|make|change|add|remove|put|keep|now)\b)",
    _F,
)


def _tagged(text: str, previous_core: str | None) -> list[Edit] | None:
    """The learned tagger's edits for a message no rule reads, unless it asks something or starts a new picture."""
    if _NOT_A_CHANGE.search(text) or _is_description(text, previous_core) or _DESCRIBES.match(FILLER.sub("", text)):
        return None
    if previous_core and _SEVERAL.search(previous_core):
        return None  # a scene of several things: the tagger's drops land on the wrong one (leave-one-out on N)
    return tag_change(text, previous_core)


_SEVERAL = re.compile(r"\b(?:an?|the|one)\s+[\w\s-]{1,30}?\s+and\s+(?:an?|the|one)\s+[\w-]+", _F)


def _is_description(text: str, previous_core: str | None) -> bool:
    """A whole new scene ("a red fox in the snow"), not a change: several words opening with an indefinite article
    ("the dots must be yellow" points at a thing already drawn), no word of a change, and a subject the last picture
    does not have."""
    c = TRAIL.sub("", text).strip()
    if not previous_core or len(c.split()) < 3 or looks_like_refinement(c):
        return False
    if re.match(r"^[A-Z0-9][\s,]", c) and glyph_subject(previous_core):
        return False  # "7 please, in black" of a drawn digit: that glyph
    if re.search(r"\b(?:them|it|those|these|him|her)\b|\bwould\s+(?:be|look)\s+\w+$|^could\s+use\b", c, _F):
        return False  # "three of them", "a dog next to him", "a kite would be cool": about the drawn picture
    if not re.match(r"^(?:an?|some|two|three|four|five|\d+)\s", c, _F) or re.search(
        r"\b(?:instead|rather|not|but|too|version|background|backdrop)\b", c, _F
    ):
        return False
    parts = describe(c).parts
    head = phrase(parts[0].text).noun.lower() if parts else ""
    if head.split()[-1:] in (["one"], ["ones"]):
        return False  # "a yellow one on black": the drawn thing, recoloured
    return bool(head) and not re.search(rf"\b{re.escape(head.split()[-1])}(?:e?s)?\b", previous_core, _F)


def intent_from_edits(edits: list[Edit], text: str, previous_core: str | None) -> TurnIntent:
    """A style or content intent whose prompt is the previous one with `edits` applied (the one merge for the rules
    and the LLM)."""
    action = "style" if all(e.slot == "style" for e in edits) else "content"
    prompt = apply_edits(previous_core, edits, mentions_style) if previous_core else ""
    change = "; ".join(
        f"{e.op} {e.slot}" + (f" {e.target}" if e.target else "") + (f" = {e.value}" if e.value else "") for e in edits
    )
    return TurnIntent(action=action, change=change or text, edits=edits, prompt=prompt)
