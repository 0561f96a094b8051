"""The advantage lookup (`FeedbackStore.neighbours`) at growing numbers of rated prompts. A benchmark, not a test.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/bench_feedback.py [--records 1000,10000,100000]
        [--memory 1000,100000,1000000] [--models 100] [--queries 50] [--keep DIR] [--json]

Synthetic data as in bench_select.py: records sample a pool of 2,000 distinct prompts (embedded once), each rated
for one of `--models` models. `--records` sizes are bulk-loaded into a real Chroma persistent store (its HNSW build
is the slow part: about a minute per 100k records here) and queried as `select` does (the 64 nearest rated
prompts, with the prompt text for the subject filter). `--memory` sizes time the same exact top-64 in numpy over
all record vectors, and over the distinct prompts only (records grouped by prompt), to show what an in-memory index
would cost. Medians over held-out queries after 5 warm-up ones. `--keep DIR` keeps each loaded store (1M records
take over 10 minutes to load here), so that a later run on a quieter machine only queries it.
"""

from __future__ import annotations

import os

os.environ["ANONYMIZED_TELEMETRY"] = "False"
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.pop("DGPT_CHROMA_URL", None)

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_select import make_queries, make_records, prompt_pool  # noqa: E402

from tools.embeddings import get_embedder  # noqa: E402
from tools.feedback import FeedbackStore  # noqa: E402
from tools.index import Index  # noqa: E402


def timed(fn, queries) -> tuple[float, float]:
    for q in queries[:5]:
        fn(q)
    out = []
    for q in queries[5:]:
        t = time.perf_counter()
        fn(q)
        out.append((time.perf_counter() - t) * 1000)
    return float(np.percentile(out, 50)), float(np.percentile(out, 95))


def chroma_rows(sizes, n_models, pool, pool_vecs, qvecs, seed, root, keep_dir=None) -> list[dict]:
    rows = []
    models = [f"bench-{i:04d}" for i in range(n_models)]
    for r in sizes:
        if keep_dir is not None:  # a store kept from an earlier run of the same size and seed is queried again
            home = Path(keep_dir) / f"fb{r}-m{n_models}-s{seed}"
            home.mkdir(parents=True, exist_ok=True)
        else:
            home = Path(tempfile.mkdtemp(prefix=f"fb{r}-", dir=root))
        store = FeedbackStore(Index(home=home))
        load_s = None
        if store.count() != r:
            if store.count():
                raise SystemExit(f"{home} holds {store.count()} records, not {r}; delete it to load again")
            records, which = make_records(n_models, r, pool, seed)
            t = time.perf_counter()
            store.add_vectors(records, pool_vecs[which])
            load_s = time.perf_counter() - t
        keep = lambda doc: True  # noqa: E731  (select passes a subject filter, so the documents are read)
        p50, p95 = timed(lambda q: store.neighbours(q, models, 64, keep=keep), qvecs)
        rows.append({"store": "chroma", "records": r, "p50_ms": p50, "p95_ms": p95, "load_s": load_s})
        loaded = "kept store" if load_s is None else f"load {load_s:.1f}s"
        print(f"chroma {r:,}: p50 {p50:.2f} ms, p95 {p95:.2f} ms, {loaded}", file=sys.stderr, flush=True)
    return rows


def memory_rows(sizes, n_models, pool, pool_vecs, qvecs, seed) -> list[dict]:
    rows = []
    for r in sizes:
        rng = np.random.default_rng([seed, r])
        which = rng.integers(0, len(pool), r)
        mat = pool_vecs[which]  # (r, 384) float32: one row per record
        p50, p95 = timed(lambda q: np.argpartition(-(mat @ q), 64)[:64], qvecs)
        rows.append({"store": "numpy, every record", "records": r, "p50_ms": p50, "p95_ms": p95, "load_s": None})
        uniq = np.unique(which)
        umat = pool_vecs[uniq]
        p50u, p95u = timed(lambda q: np.argpartition(-(umat @ q), 64)[:64], qvecs)
        rows.append(
            {
                "store": f"numpy, {len(uniq):,} distinct prompts",
                "records": r,
                "p50_ms": p50u,
                "p95_ms": p95u,
                "load_s": None,
            }
        )
        print(f"numpy {r:,}: all {p50:.2f} ms, distinct {p50u:.3f} ms", file=sys.stderr, flush=True)
        mat = None  # noqa: F841  (free the matrix before the next size)
    return rows


def main(argv=None) -> None:
    ints = lambda s: [int(x) for x in s.split(",") if x]  # noqa: E731
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--records", type=ints, default=[1000, 10000, 100000])
    ap.add_argument("--memory", type=ints, default=[1000, 100000, 1000000])
    ap.add_argument("--models", type=int, default=100)
    ap.add_argument("--queries", type=int, default=50)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", action="store_true")
    ap.add_argument(
        "--keep", type=Path, help="keep each Chroma store under this folder and query it again on later runs"
    )
    args = ap.parse_args(argv)
    pool = prompt_pool(2000, args.seed)
    emb = get_embedder()
    pool_vecs = emb.embed(pool)
    qvecs = list(emb.embed(make_queries(args.queries + 5, args.seed, set(pool))))
    with tempfile.TemporaryDirectory(prefix="dgpt-bench-fb-") as root:
        rows = chroma_rows(args.records, args.models, pool, pool_vecs, qvecs, args.seed, root, args.keep)
    rows += memory_rows(args.memory, args.models, pool, pool_vecs, qvecs, args.seed)
    print("| store | records | p50 ms | p95 ms | load s |\n|---|---:|---:|---:|---:|")
    for r in rows:
        load = f"{r['load_s']:.1f}" if r["load_s"] is not None else "-"
        print(f"| {r['store']} | {r['records']:,} | {r['p50_ms']:.2f} | {r['p95_ms']:.2f} | {load} |")
    print(f"\n{args.queries} queries after 5 warm-up, {args.models} models, top 64, seed {args.seed}.")
    if args.json:
        print(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
