"""How much the learned readers add on conversations they were not trained on: leave one set out. A benchmark, not
a test.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/bench_readers.py [--sets a,c,d,e,f,g,i,j,k,l,n,o,p] [--hidden 0]

For each development set S: train the change tagger and the action reader in memory on the other sets, then replay S
three ways: with neither learned reader (the rules alone), with the tagger only, with both. Prints merge and action
accuracy of each. The rules were tuned on every set, so the absolute figures are not held-out ones; the differences
are the learned readers', on words they never saw. B, H and M are refused, as by the trainer. The shipped weights
files are not touched.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from agent.eval_chat import evaluate_chat, load_chat_set
from agent.train_reader import action_examples, examples, featurise, train, train_actions
from graphs.reading import acts, tagger


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", default="a,c,d,e,f,g,i,j,k,l,n,o,p")
    ap.add_argument("--hidden", type=int, default=0)
    args = ap.parse_args()
    from tools.embeddings import get_embedder

    start = time.perf_counter()
    sets = [s.strip().lower() for s in args.sets.split(",") if s.strip()]
    feats = {s: featurise(examples([s]), get_embedder().onnx) for s in sets}
    labelled = {s: action_examples([s]) for s in sets}
    rows, gains = [], {"tagger": [], "both": []}
    for held in sets:
        others = [feats[s] for s in sets if s != held]
        joined = tuple(np.concatenate([f[i] for f in others]) for i in range(4))
        weights = train(joined, args.hidden)
        actions = train_actions([r for s in sets if s != held for r in labelled[s]], get_embedder())
        _, chat_set = load_chat_set(held)
        figures = {}
        for name, tag, act in (("rules", None, None), ("tagger", weights, None), ("both", weights, actions)):
            tagger.install(tag)
            acts.install(act)
            r = evaluate_chat("none", chat_set)
            figures[name] = (r["merge_accuracy"], r["action_accuracy"])
        tagger.uninstall()
        acts.uninstall()
        (m0, a0), (m1, a1), (m2, a2) = figures["rules"], figures["tagger"], figures["both"]
        gains["tagger"].append(m1 - m0)
        gains["both"].append(m2 - m0)
        rows.append(f"{held}  merge {m0:6.1%} / {m1:6.1%} / {m2:6.1%}   action {a0:6.1%} / {a1:6.1%} / {a2:6.1%}")
    print(f"leave one set out (hidden={args.hidden}): rules alone / + tagger / + tagger and action reader")
    print("\n".join(rows))
    for name, g in gains.items():
        print(
            f"{name}: median merge gain {statistics.median(g) * 100:+.1f} points, mean {statistics.mean(g) * 100:+.2f}"
        )
    print(f"{time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
