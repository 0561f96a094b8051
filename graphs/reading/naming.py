"""Which catalog models a request names: by the model's name or id words ("ghibli", "van gogh", "elden ring",
"animagine", "juggernaut") or one of its trigger words ("nvinkpunk", "lvngvncnt").

The phrases are derived from each card, no list to keep: the name without its parenthesis, version numbers and
generic trailing words ("Inkpunk Diffusion" -> "inkpunk", "Animagine XL 3.1" -> "animagine"), the id without its
family prefix ("sdxl-realvis-v4" -> "realvis"), and each trigger word without a trailing "style". A phrase that is
only style or subject words ("Pixel Art XL", the trigger "photo", a card called "Letters") names a look, not a
model, and one ordinary English word alone ("Epic Diffusion" -> "epic", "Playground v2.5") names nothing, so those
keep their full name or are left out. Steering sentences (graphs/reading/steering.py) and quoted text are ignored:
"use sd15-inkpunk" is not a request for ink, and a sign that says "Kolors" does not ask for Kolors.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from graphs.reading.lexicon import PhraseTable, words
from graphs.reading.rules import STYLE_PATTERNS, mentions_subject
from graphs.reading.steering import strip_steering
from tools.vocabulary import VOCABULARY

if TYPE_CHECKING:
    from tools.catalog import Catalog, ModelCard

# Words of model names that say what kind of checkpoint it is, not which one.
GENERIC = frozenset(
    "stable diffusion diffusers sd sd1 sd15 sd2 sd21 sd3 sd35 sdxl ssd xl base refiner lora on of the and style styles "
    "model checkpoint finetune turbo lightning medium large schnell dev ms px aesthetic novae vae fp16 edition".split()
)
# Ordinary words that happen to be a model's whole short name: alone they name no model ("an epic battle", "kids on a
# playground"); the full name still does ("epic diffusion", "flux schnell").
COMMON = frozenset(
    "epic playground flux vision realistic dreamlike dream modern classic ultimate absolute deliberate "
    "anything protogen".split()
)
_VERSION = re.compile(r"v\d+[a-z]?|\d+[bkm]?|\d+px|x\d+")  # v9, 3, 1b, 1024px; not "3d"
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_STYLE_ONLY = re.compile(
    r"(?:(?<!\w)(?:" + "|".join(f"(?:{p})" for p in STYLE_PATTERNS.values()) + r"|art|style|render)(?!\w)|\s)+"
)
_VOCAB_WORDS = frozenset(w for facet in VOCABULARY.values() for w in facet)


def _only_looks(ws: tuple[str, ...]) -> bool:
    """Whether a phrase is nothing but style words, vocabulary words or one subject keyword."""
    text = " ".join(ws)
    if all(w in GENERIC or w in _VOCAB_WORDS for w in ws) or _STYLE_ONLY.fullmatch(text):
        return True
    return len(ws) == 1 and bool(mentions_subject(text))


def _phrase(ws: tuple[str, ...], drop_versions: bool = True) -> tuple[str, ...] | None:
    toks = tuple(w for w in ws if not (drop_versions and _VERSION.fullmatch(w)))
    core = list(toks)
    while core and core[-1] in GENERIC:
        core.pop()
    while core and core[0] in GENERIC:
        core.pop(0)
    if len(core) == 1 and core[0] in COMMON:  # "epic" alone is a word, "epic diffusion" or "playground v2.5" a name
        at = ws.index(core[0])
        versions = [w for w in ws[at + 1 :][:3] if _VERSION.fullmatch(w)]
        if versions and ws[at + 1] == versions[0]:
            core = [core[0], *versions]
        else:
            core = list(toks)
            while core and core[0] in GENERIC:
                core.pop(0)
        if len(core) < 2:
            return None
    if not core or _only_looks(tuple(core)):
        return None
    return tuple(core)


def model_phrases(card: ModelCard) -> tuple[str, ...]:
    """The phrases that name `card` in a request, as space-joined lowercase words."""
    found = [
        _phrase(words(_BRACKETS.sub(" ", card.name))),
        _phrase(words(card.id.replace(".", " "))),
        *(_phrase(words(tw), drop_versions=False) for tw in card.trigger_words),
    ]
    return tuple(dict.fromkeys(" ".join(p) for p in found if p))


# catalog object id -> (the catalog, its table); the catalog is kept so its id cannot be reused while cached
_TABLES: dict[int, tuple[Catalog, PhraseTable[tuple[str, ...]]]] = {}


def names_table(catalog: Catalog) -> PhraseTable[tuple[str, ...]]:
    """The catalog's model phrases to the ids they name, built once per catalog object."""
    cached = _TABLES.get(id(catalog))
    if cached is not None and cached[0] is catalog:
        return cached[1]
    by_phrase: dict[str, list[str]] = {}
    for card in catalog.models:
        for p in model_phrases(card):
            by_phrase.setdefault(p, []).append(card.id)  # "dreamshaper" names both DreamShaper models
    table = PhraseTable((tuple(p.split()), tuple(ids)) for p, ids in by_phrase.items())
    if len(_TABLES) >= 8:
        _TABLES.pop(next(iter(_TABLES)))
    _TABLES[id(catalog)] = (catalog, table)
    return table


def named_models(text: str, catalog: Catalog) -> list[str]:
    """Ids of the catalog's models that `text` names, first mention first (steering and quoted text left out)."""
    hits = names_table(catalog).scan(strip_steering(text))
    return list(dict.fromkeys(m for _, _, ids in hits for m in ids))
