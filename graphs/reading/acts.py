"""A learned reader of what a message does to the picture on screen: rate it, redraw it, try another model, talk, go
back, change its look. It reads a message by meaning, for the many ways of saying these that no pattern lists
("i give 5", "shuffle the seed", "let's see a different engine", "Would you mind giving it another go? The cat looks
odd.").

The message is one MiniLM vector (the retrieval's embedder) and three plain features; one logistic regression over
the nine actions of `dgpt eval chat`, trained by `python -m agent.train_reader` on the development sets (never B, H
or M). It only ever overrules the rules' default readings: when they read a message as a new request or a change and
this reader is at least `SURE` sure of one of `OVERRIDES`, the message is that action instead.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from graphs.reading.weights import ShippedWeights

WEIGHTS = Path(__file__).resolve().parent.parent.parent / "tools" / "data" / "action_reader.json"
ACTIONS = ("new", "style", "content", "local", "reseed", "next_model", "revert", "rate", "chat")
# Actions with nothing to read out of the words but the action itself; style and content need their values read,
# which only the rules and the tagger do.
OVERRIDES = frozenset({"local", "reseed", "next_model", "revert", "rate", "chat"})
SURE = 0.6  # leave-one-set-out over the development sets: no set lost turns at 0.5; 0.6 leaves a margin
_GOOD, _BAD = "I love it, it's perfect, exactly right", "that's wrong, it's not what I wanted, looks bad"


def plain(text: str) -> list[float]:
    return [float("?" in text), float(bool(re.search(r"\b[1-5]\b", text))), min(len(text.split()), 30) / 30]


def features(texts: list[str], embedder) -> np.ndarray:
    vecs = embedder.embed(list(texts))
    return np.hstack([vecs, np.asarray([plain(t) for t in texts], dtype=np.float32).reshape(len(texts), -1)])


def _model(data: dict) -> dict:
    return {"W": np.asarray(data["W"], dtype=np.float32), "b": np.asarray(data["b"], dtype=np.float32)}


_SHIPPED = ShippedWeights(WEIGHTS, _model)
install, uninstall = _SHIPPED.install, _SHIPPED.uninstall


def _weights() -> dict | None:
    return _SHIPPED.get()


def _embedder():
    from tools.embeddings import get_embedder

    return get_embedder()


def read_action(text: str, embedder=None) -> tuple[str, float] | None:
    """(action, probability) of the likeliest action, or None without weights."""
    weights = _weights()
    if weights is None or not text.strip():
        return None
    vec = (embedder or _embedder()).embed_query(text)  # cached: a rating's stars read the same vector
    x = np.concatenate([vec, np.asarray(plain(text), dtype=np.float32)])
    logits = weights["W"] @ x + weights["b"]
    p = np.exp(logits - logits.max())
    p /= p.sum()
    best = int(p.argmax())
    return ACTIONS[best], float(p[best])


def stars_of(text: str, embedder=None) -> int:
    """The stars of a rating the rules did not read: the number said ("i give 5", "8/10"), else 5 when it reads
    closer to praise than to a complaint, else 2."""
    if m := re.search(r"\b(\d{1,2})\s*(?:/|out\s+of)\s*10\b", text, re.I):
        return max(1, min(5, round(int(m[1]) / 2)))
    if len(said := re.findall(r"(?<![\d/.])\b([1-5])\b(?![\d/.])", text)) == 1:
        return int(said[0])
    embedder = embedder or _embedder()
    v, good, bad = (embedder.embed_query(t) for t in (text, _GOOD, _BAD))
    return 5 if float(v @ good) >= float(v @ bad) else 2
