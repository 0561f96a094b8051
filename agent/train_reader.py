"""Train the learned readers (the change tagger, graphs/reading/tagger.py, and the action reader,
graphs/reading/acts.py) on the development sets of `dgpt eval chat`.

    python -m agent.train_reader [--sets a,c,d,e,f,g,i,j,k,l,n,o,p] [--out tools/data/change_tagger.json]
        [--actions-out tools/data/action_reader.json]

The action reader learns every turn after the first: its message and its labelled action.

Each conversation is replayed as `dgpt eval chat` replays it (no LLM), so a content turn's previous prompt is the one
the system really drew; a turn is used only when that prompt passed its own check, so a wrong earlier turn teaches
nothing. Labels come from the set's `must` / `must_not` phrases: a word of the message that the merged prompt must
contain and the last prompt lacks is a value, a word both have is an anchor; a word of the last prompt that must go
is a drop. Sets B, H, M, Q and U are never read here: B is the held-out half, the others blind checks.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path

import numpy as np

from graphs.reading import acts, tagger

HELD_OUT = frozenset({"b", "h", "m", "q", "u", "aa"})


def _words(phrases: list[str]) -> set[str]:
    return {w.lower() for p in phrases for w in re.findall(r"[A-Za-z0-9]+", p)}


def _training_set(name: str):
    from agent.eval_chat import load_chat_set

    if name in HELD_OUT:
        raise SystemExit(f"set {name} is held out; the readers are never trained on it")
    return load_chat_set(name)[1]


def examples(sets: list[str]) -> list[tuple[str, str, list[str], list[str]]]:
    """(message, previous prompt, must, must_not) of every usable content turn of `sets`."""
    from agent.eval_chat import evaluate_chat

    out = []
    for name in sets:
        chat_set = _training_set(name)
        result = evaluate_chat("none", chat_set)
        for conv, rows in zip(chat_set.conversations, result["conversations"]):
            drawn, ok = None, False
            for turn, row in zip(conv.turns, rows["turns"]):
                if turn.action == "content" and drawn and ok:
                    out.append((" ".join(turn.message.split()), drawn, turn.must, turn.must_not))
                if row["prompt"] is not None:
                    drawn, ok = row["prompt"], bool(row.get("prompt_ok"))
    return out


def featurise(rows, encoder):
    mx, my, px, py = [], [], [], []
    for message, previous, must, must_not in rows:
        keep, gone = _words(must), _words(must_not) - _words(must)
        prev = {w.lower() for w, _, _ in tagger.words(previous)}
        msg_words, msg_vecs = tagger.word_vectors(message, encoder)
        prev_words, prev_vecs = tagger.word_vectors(previous, encoder)
        if not msg_words or not prev_words:
            continue
        mx.append(tagger.message_features(msg_words, msg_vecs, previous))
        for w, _, _ in msg_words:
            low = w.lower()
            value = low in keep and low not in prev and low not in tagger.HOW
            anchor = low in keep and low in prev and low not in tagger.HOW
            my.append(1 if value else 2 if anchor else 0)
        px.append(tagger.prompt_features(prev_words, prev_vecs, msg_words, msg_vecs))
        py += [1 if w.lower() in gone else 0 for w, _, _ in prev_words]
    return np.vstack(mx), np.asarray(my), np.vstack(px), np.asarray(py)


def fit(x, y, hidden: int = 0, seed: int = 0) -> list[dict]:
    """The model as layers (W out x in, b), a logistic regression when `hidden` is 0, else one ReLU layer of that
    width before it."""
    if not hidden:
        from sklearn.linear_model import LogisticRegression

        m = LogisticRegression(C=1.0, max_iter=3000).fit(x, y)  # unweighted: a false drop costs more than a miss
        return [{"W": m.coef_.round(5).tolist(), "b": m.intercept_.round(5).tolist()}]
    from sklearn.neural_network import MLPClassifier

    m = MLPClassifier(hidden_layer_sizes=(hidden,), alpha=1e-3, max_iter=400, early_stopping=True, random_state=seed)
    m.fit(x, y)
    return [{"W": w.T.round(5).tolist(), "b": b.round(5).tolist()} for w, b in zip(m.coefs_, m.intercepts_)]


def train(features, hidden: int = 0) -> dict:
    """The weights file's content for `features` (see `featurise`)."""
    mx, my, px, py = features
    models = {"message": fit(mx, my, hidden), "prompt": fit(px, py, hidden)}
    loaded = tagger._layers({"models": models})
    return {
        "about": "graphs/reading/tagger.py weights; trained by `python -m agent.train_reader`",
        "hidden": hidden,
        "message_words": int(len(my)),
        "prompt_words": int(len(py)),
        "train_accuracy": {
            "message": round(float((tagger._predict(loaded["message"], mx) == my).mean()), 4),
            "prompt": round(float((tagger._predict(loaded["prompt"], px) == py).mean()), 4),
        },
        "models": models,
    }


def action_examples(sets: list[str]) -> list[tuple[str, str]]:
    """(message, labelled action) of every turn after the first of `sets`."""
    out = []
    for name in sets:
        chat_set = _training_set(name)
        out += [(t.message, t.action) for conv in chat_set.conversations for t in conv.turns[1:]]
    return out


def train_actions(rows: list[tuple[str, str]], embedder) -> dict:
    from sklearn.linear_model import LogisticRegression

    x = acts.features([m for m, _ in rows], embedder)
    y = np.asarray([acts.ACTIONS.index(a) for _, a in rows])
    m = LogisticRegression(C=2.0, max_iter=3000).fit(x, y)  # every action has examples: W's rows are acts.ACTIONS
    return {
        "about": "graphs/reading/acts.py weights; trained by `python -m agent.train_reader`",
        "turns": len(rows),
        "train_accuracy": round(float((m.predict(x) == y).mean()), 4),
        "W": m.coef_.round(5).tolist(),
        "b": m.intercept_.round(5).tolist(),
    }


def _write(data: dict, path: str) -> None:
    tmp = Path(path).with_suffix(".tmp")
    tmp.write_text(json.dumps(data), encoding="utf-8")
    tmp.replace(path)  # a reader never sees half a file


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m agent.train_reader", description=__doc__.split("\n\n")[0])
    ap.add_argument("--sets", default="a,c,d,e,f,g,i,j,k,l,n,o,p")
    ap.add_argument("--out", default=str(tagger.WEIGHTS))
    ap.add_argument("--actions-out", default=str(acts.WEIGHTS))
    ap.add_argument("--hidden", type=int, default=0, help="width of one hidden layer; 0 for logistic regressions")
    args = ap.parse_args(argv)
    from tools.embeddings import get_embedder

    sets = [s.strip().lower() for s in args.sets.split(",") if s.strip()]
    start = time.perf_counter()
    rows = examples(sets)
    out = {"sets": sets, "turns": len(rows), **train(featurise(rows, get_embedder().onnx), args.hidden)}
    _write(out, args.out)
    labelled = action_examples(sets)
    missing = set(acts.ACTIONS) - {a for _, a in labelled}
    if missing:  # a small set (a test's) cannot teach every action: the shipped action reader stays as it is
        actions = {"turns": 0, "train_accuracy": None}
        print(f"no action reader trained: no turn of {sorted(missing)} in {sets}")
    else:
        actions = {"sets": sets, **train_actions(labelled, get_embedder())}
        _write(actions, args.actions_out)
    print(
        f"{len(rows)} turns, {out['message_words']} message words, {out['prompt_words']} prompt words; train accuracy "
        f"{out['train_accuracy']}; {actions['turns']} turns for actions, train accuracy {actions['train_accuracy']}; "
        f"{time.perf_counter() - start:.0f} s -> {args.out}, {args.actions_out}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
