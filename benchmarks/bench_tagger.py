"""How much the learned change tagger adds on conversations it was not trained on: leave one set out. A benchmark,
not a test.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/bench_tagger.py [--sets a,c,d,e,f,g] [--hidden 0]

For each development set S: train the tagger in memory on the other sets, replay S with those weights, and replay S
with no tagger at all; print merge and action accuracy of both and the difference. The rules were tuned on every set,
so the absolute figures are not held-out ones; the difference is the tagger's, on words it never saw. B and H are
refused, as by the trainer. The shipped weights file is not touched.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from agent.eval_chat import evaluate_chat, load_chat_set
from agent.train_reader import examples, featurise, train
from graphs.reading import tagger


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", default="a,c,d,e,f,g")
    ap.add_argument("--hidden", type=int, default=0)
    args = ap.parse_args()
    from tools.embeddings import get_embedder

    start = time.perf_counter()
    sets = [s.strip().lower() for s in args.sets.split(",") if s.strip()]
    encoder = get_embedder().onnx
    feats = {s: featurise(examples([s]), encoder) for s in sets}
    rows, deltas = [], []
    for held in sets:
        others = [feats[s] for s in sets if s != held]
        joined = tuple(np.concatenate([f[i] for f in others]) for i in range(4))
        _, chat_set = load_chat_set(held)
        figures = {}
        for name, weights in (("none", None), ("tagged", train(joined, args.hidden))):
            tagger.install(weights)
            r = evaluate_chat("none", chat_set)
            figures[name] = (r["merge_accuracy"], r["action_accuracy"], r["merge_n"])
        tagger.uninstall()
        (m0, a0, n), (m1, a1, _) = figures["none"], figures["tagged"]
        deltas.append(m1 - m0)
        rows.append(
            f"{held}  merge {m0:6.1%} -> {m1:6.1%} ({(m1 - m0) * 100:+5.1f})  action {a0:6.1%} -> {a1:6.1%}  n={n}"
        )
    print(f"leave one set out, hidden={args.hidden}: merge without the tagger -> with one trained on the other sets")
    print("\n".join(rows))
    print(
        f"median merge gain {statistics.median(deltas) * 100:+.1f} points, mean {statistics.mean(deltas) * 100:+.2f}; "
        f"{time.perf_counter() - start:.0f} s"
    )


if __name__ == "__main__":
    main()
