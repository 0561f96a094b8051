"""A learned reader of changes: which words of a message are the new value, which name a thing of the last picture,
and which words of the last prompt the change takes away. The last resort of the rule reader, for phrasings no
pattern knows.

Each word is a MiniLM vector in the context of its sentence (ONNX, the same export the retrieval uses) plus a few
plain features (is the word in the other text, is it a colour/size/time word, is it an instruction word); two
logistic regressions, trained by `python -m agent.train_reader` on the development sets of `dgpt eval chat` (never
on B), tag them. The tags become the same `Edit`s every reader produces, so `apply_edits` renders them.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from graphs.llm.schemas import Edit
from graphs.reading.scene import class_of
from graphs.reading.weights import ShippedWeights

WEIGHTS = Path(__file__).resolve().parent.parent.parent / "tools" / "data" / "change_tagger.json"
MOST = 4  # more tagged edits than this is a guess, not a reading
MESSAGE_TAGS = ("other", "value", "anchor")
PROMPT_TAGS = ("keep", "drop")
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'-]*")
# Instruction and courtesy words, the same for training and reading: a plain feature beside the vector.
HOW = frozenset(
    """a an the it its this that them they these those is are be was were to of in into on onto at for with by from
    as and or but so if then than too also now just only very really quite bit little more less much please pls
    thanks thank you i me my we can could would should will may might must do make change turn set put use want need
    like prefer rather possible try see get give let have same instead again keep leave picture image scene one ones
    ok okay yes no not hmm oh well actually hey lol""".split()
)


def words(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(0), m.start(), m.end()) for m in _WORD.finditer(text)]


def word_vectors(text: str, encoder) -> tuple[list[tuple[str, int, int]], np.ndarray]:
    """The words of `text` and one contextual vector each: the mean of its word pieces' last hidden states."""
    found = words(text)
    if not found:
        return found, np.zeros((0, 384), dtype=np.float32)
    enc = encoder.tokenizer.encode(text)
    hidden, _ = encoder.hidden([text])
    states = hidden[0]
    vecs = []
    for _, s, e in found:
        idx = [i for i, (a, b) in enumerate(enc.offsets) if b > a and a < e and b > s]
        v = states[idx].mean(axis=0) if idx else np.zeros(states.shape[1], dtype=np.float32)
        vecs.append(v / max(float(np.linalg.norm(v)), 1e-9))
    return found, np.asarray(vecs, dtype=np.float32)


def _in(word: str, others: set[str]) -> float:
    w = word.lower()
    return float(w in others or w.rstrip("s") in others or f"{w}s" in others)


def message_features(msg_words, msg_vecs, previous: str) -> np.ndarray:
    prev = {w.lower() for w, _, _ in words(previous)}
    n = len(msg_words)
    plain = [
        [
            _in(w, prev),
            float(class_of(w) is not None),
            float(w.lower() in HOW),
            float(i == 0),
            float(i == n - 1),
            float(any(c.isdigit() for c in w)),
        ]
        for i, (w, _, _) in enumerate(msg_words)
    ]
    return np.hstack([msg_vecs, np.asarray(plain, dtype=np.float32).reshape(n, -1)])


def prompt_features(prev_words, prev_vecs, msg_words, msg_vecs) -> np.ndarray:
    said = {w.lower() for w, _, _ in msg_words}
    prev = {w.lower() for w, _, _ in prev_words}
    fresh = [i for i, (w, _, _) in enumerate(msg_words) if w.lower() not in HOW and not _in(w, prev)]
    fresh_classes = {class_of(msg_words[i][0]) for i in fresh} - {None}
    near = prev_vecs @ msg_vecs[fresh].T if fresh else np.zeros((len(prev_words), 1), dtype=np.float32)
    plain = [
        [
            _in(w, said),
            float(near[i].max()) if near.size else 0.0,
            float(class_of(w) in fresh_classes),
            float(w.lower() in HOW),
        ]
        for i, (w, _, _) in enumerate(prev_words)
    ]
    return np.hstack([prev_vecs, np.asarray(plain, dtype=np.float32).reshape(len(prev_words), -1)])


def _layers(data: dict) -> dict:
    # each model is a list of layers (a logistic regression is one); hidden layers are ReLU
    return {
        k: [(np.asarray(layer["W"], dtype=np.float32), np.asarray(layer["b"], dtype=np.float32)) for layer in v]
        for k, v in data["models"].items()
    }


_SHIPPED = ShippedWeights(WEIGHTS, _layers)
install, uninstall, _on_disk = _SHIPPED.install, _SHIPPED.uninstall, _SHIPPED.read


def _weights() -> dict | None:
    return _SHIPPED.get()


def _predict(model, x: np.ndarray) -> np.ndarray:
    for w, b in model[:-1]:
        x = np.maximum(x @ w.T + b, 0.0)
    w, b = model[-1]
    return np.argmax(x @ w.T + b, axis=1) if w.shape[0] > 1 else (x @ w[0] + b[0] > 0).astype(int)


def _runs(flags: list[bool], found, text: str) -> list[str]:
    out, start = [], None
    for i, on in enumerate([*flags, False]):
        if on and start is None:
            start = i
        if not on and start is not None:
            out.append(text[found[start][1] : found[i - 1][2]])
            start = None
    return out


def tag_change(text: str, previous: str | None, encoder=None) -> list[Edit] | None:
    """Edits read by the learned tagger, or None (no weights, nothing tagged, or nothing of the last picture named)."""
    weights = _weights()
    if not previous or weights is None:
        return None
    if encoder is None:
        from tools.embeddings import get_embedder

        encoder = get_embedder().onnx
    msg_words, msg_vecs = word_vectors(text, encoder)
    prev_words, prev_vecs = word_vectors(previous, encoder)
    if not msg_words or not prev_words or len(msg_words) > 30:
        return None
    m_tags = _predict(weights["message"], message_features(msg_words, msg_vecs, previous))
    p_tags = _predict(weights["prompt"], prompt_features(prev_words, prev_vecs, msg_words, msg_vecs))
    values = _runs([MESSAGE_TAGS[t] == "value" for t in m_tags], msg_words, text)
    anchors = [w for (w, _, _), t in zip(msg_words, m_tags) if MESSAGE_TAGS[t] == "anchor"]
    drops = _runs([PROMPT_TAGS[t] == "drop" for t in p_tags], prev_words, previous)
    if not values and not drops or not (anchors or drops):
        return None  # nothing new, or nothing of the last picture named: a new request ("a sign that says I love it")
    edits: list[Edit] = []
    for value in values:
        cls = {class_of(w) for w, _, _ in words(value)} - {None}
        if drops:
            drop = drops.pop(0)
            slot = class_of(drop) or ("subject" if not cls else cls.pop())
            edits.append(Edit(op="replace", slot=slot, value=value[:80], target=drop[:80]))
        elif len(cls) == 1 and all(class_of(w) or w.lower() in HOW for w, _, _ in words(value)[-1:]):
            edits.append(Edit(op="set", slot=cls.pop(), value=value[:80], target=(anchors[-1] if anchors else "")[:80]))
        else:
            edits.append(Edit(op="add", slot="thing", value=value[:80]))
    # a colour or time word left over is replaced by the value of its class, not written out as "without sunset"
    edits += [
        Edit(op="remove", slot="thing", target=d[:80]) for d in drops if not all(class_of(w) for w, _, _ in words(d))
    ]
    return edits if 0 < len(edits) <= MOST else None
