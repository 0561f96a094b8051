"""Which words of the last prompt a new thing stands in for, when the user does not name them.

"make it a trumpet instead" of "a jazz musician playing saxophone" means the saxophone, not the musician; "make it
lemonade" of "a glass of orange juice" means the juice. A rule cannot list every pair, so the choice is made by
meaning: MiniLM similarity between the new words and each noun phrase of the prompt. The main subject stays the
default unless another phrase is clearly closer (`MARGIN`), so "make it a star" of "a green triangle on a black
background" still changes the triangle.
"""

from __future__ import annotations

import re

import numpy as np

from graphs.reading.scene import class_of

# A phrase must be this much closer to the new thing than the main subject is to take its place. Chosen on the
# development sets (A, C-F) of `dgpt eval chat`; never on the held-out B.
MARGIN = 0.08

_BREAK = frozenset(
    """a an the of on in at with and or over under near by beside behind against into onto from to for
    while its his her their this that some is are was be""".split()
)


def _embed(texts: list[str]) -> np.ndarray:
    """The process's shared MiniLM embedder (the one retrieval uses), loaded at the first call."""
    from tools.embeddings import get_embedder

    return get_embedder().embed(texts)


def is_break(word: str) -> bool:
    """A word that ends a noun phrase's run of content words: a function word, punctuation, an -ing verb."""
    w = word.lower()
    return w in _BREAK or not re.match(r"\w", w) or (w.endswith(("ing", "ed")) and len(w) > 5)


def _runs(prompt: str) -> list[tuple[int, int]]:
    """Character spans of the prompt's runs of content words, split at function words, commas and -ing verbs."""
    runs, start, end = [], None, None
    for m in re.finditer(r"[\w'-]+|[^\w\s]", prompt):
        if is_break(m.group(0)):
            if start is not None:
                runs.append((start, end))
            start = None
            continue
        if start is None:
            start = m.start()
        end = m.end()
    if start is not None:
        runs.append((start, end))
    return runs


def candidates(prompt: str) -> list[str]:
    """Every run and every ending of a run ("calm lake", "lake"): the heads a new noun could replace."""
    out: list[str] = []
    for s, e in _runs(prompt):
        words = prompt[s:e].split()
        for k in range(len(words)):
            phrase = " ".join(words[k:])
            if phrase not in out:
                out.append(phrase)
    return out


# A word the prompt does not have names one of its phrases when it is at least this close ("animal" / "cat" 0.67,
# "bike" / "motorcycle" 0.76); a part of a thing is not the thing ("sails" / "pirate ship" 0.57, "couch" / "room"
# 0.54), so "pup" / "golden retriever" (0.54) is missed. Chosen on the development sets, never on B.
NAMING = 0.6


def nearest(word: str, prompt: str, embed=None) -> str | None:
    """The phrase of `prompt` that `word` (not in it) names, if one is close enough in meaning; else None."""
    options = [c for c in candidates(prompt) if not all(class_of(w) for w in c.split())]
    if not options or not word.strip():
        return None
    vecs = np.asarray((embed or _embed)([word, *options]))
    sims = vecs[1:] @ vecs[0]
    best = int(np.argmax(sims))
    return options[best] if sims[best] >= NAMING else None


# A word is of the main subject's kind when at least this close to its head ("bird" / "owl"); lower than `NAMING`,
# since the main subject is the default a renamed thing falls back to.
KIND = 0.5


def close_to(word: str, noun: str, embed=None) -> bool:
    """Whether `word` could name `noun` ("bird" / "owl")."""
    if not word.strip() or not noun.strip():
        return False
    a, b = np.asarray((embed or _embed)([word, noun]))
    return float(a @ b) >= KIND


def closest(value: str, prompt: str, subject: str, whole: str = "", frame: str = "", embed=None) -> str | None:
    """The phrase of `prompt` that `value` replaces, when it is not the main subject (its head noun `subject`, its
    whole phrase `whole`); else None. Words of the subject's `frame` ("photo of") are no candidates."""
    own = subject.lower().split()
    framed = set(frame.lower().split())
    options = [
        c
        for c in candidates(prompt)
        if own[-len(c.split()) :] != c.lower().split()
        and not all(class_of(w) or w.lower() in framed for w in c.split())
    ]  # not the subject itself, its frame, nor a colour or size word: a thing stands in for a thing
    bare = re.sub(r"^(?:an?|the|some)\s+", "", value.strip(), flags=re.I)
    if not options or not bare or not subject:
        return None
    vecs = np.asarray((embed or _embed)([bare, subject, whole or subject, *options]))
    sims = vecs[3:] @ vecs[0]
    best = int(np.argmax(sims))
    if sims[best] - max(float(vecs[1] @ vecs[0]), float(vecs[2] @ vecs[0])) < MARGIN:
        return None
    return options[best]
