"""Selection latency in no-LLM mode over synthetic catalogs and feedback sets. A benchmark, not a test.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/bench_select.py [--models 10,100,1000]
        [--records 1000,10000,100000] [--queries 50] [--seed 0] [--json]

Every (models, records) pair gets its own data home: the catalog is written as YAML and read by the real loader,
the index is real Chroma persistent storage, and feedback is bulk-loaded with precomputed MiniLM vectors. Only a
pool of distinct prompts is embedded (once); records sample it, as many models get rated on the same prompt.
Latency is the wall time of `Selector.select` per held-out query after 5 warm-up queries. The query-embedding
cache is emptied before each size, so every measured request pays for its one embedding as a new request would.
Catalog sync (embedding the cards and tree nodes) is timed apart and only reported with --json.
"""

from __future__ import annotations

import os

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["ANONYMIZED_TELEMETRY"] = "False"
os.environ.setdefault("OMP_NUM_THREADS", "1")
for _var in ("DGPT_LLM", "DGPT_CHROMA_URL"):  # no LLM, and the index must be local storage, not a server
    os.environ.pop(_var, None)

import argparse  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from datetime import datetime, timedelta, timezone  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import yaml  # noqa: E402

from agent.selector import Selector  # noqa: E402
from tools.embeddings import get_embedder  # noqa: E402
from tools.feedback import FeedbackRecord  # noqa: E402
from tools.vocabulary import VOCABULARY  # noqa: E402

NODES = ("parse", "embed", "tot", "select", "extend")
SUBJECTS = {
    "person": [
        "an old fisherman",
        "a young woman with freckles",
        "a knight in armour",
        "a street musician",
        "a child flying a kite",
    ],
    "animal": ["a red fox", "a sleeping cat", "a barn owl", "a herd of elephants", "a golden retriever puppy"],
    "landscape": ["a misty mountain valley", "a tropical beach", "a pine forest", "a desert canyon", "a frozen lake"],
    "architecture": [
        "a gothic cathedral",
        "a narrow alley in Kyoto",
        "a glass skyscraper",
        "a cozy log cabin",
        "a ruined castle",
    ],
    "object": ["a vintage camera", "a ceramic teapot", "a pair of sneakers", "an antique clock", "a leather backpack"],
    "vehicle": ["a red sports car", "a steam locomotive", "a sailboat", "a vintage motorcycle", "a cargo spaceship"],
    "food": ["a bowl of ramen", "a strawberry cake", "a stack of pancakes", "a plate of sushi", "a cup of coffee"],
    "abstract": [
        "geometric shapes in bold colours",
        "a fractal spiral",
        "a psychedelic swirl",
        "floating cubes",
        "a surreal dreamscape",
    ],
    "pattern": [
        "a seamless floral pattern",
        "a paisley texture",
        "a checkerboard tile",
        "a mosaic of blue tiles",
        "striped wallpaper",
    ],
    "text": [
        "a neon sign that says 'OPEN'",
        "a logo with the word 'NOVA'",
        "a poster with the text 'SALE'",
        "a bakery sign",
        "a bold headline",
    ],
}
STYLES = {
    "photorealistic": "DSLR photo",
    "anime": "anime style",
    "illustration": "cartoon illustration",
    "painting": "oil painting",
    "watercolor": "watercolor painting",
    "3d-render": "3D render",
    "pixel-art": "pixel art, 16-bit",
    "cinematic": "cinematic film still",
    "fantasy": "fantasy art",
    "concept-art": "concept art",
    "typography": "bold typography",
    "sketch": "pencil sketch",
    "general": "high quality",
}
SETTINGS = [
    "at sunset",
    "in the rain",
    "under the northern lights",
    "on a foggy morning",
    "at night with neon lights",
    "in spring",
    "in a snowy forest",
    "by candlelight",
    "in golden hour light",
    "on a windy day",
]
DETAILS = [
    "highly detailed",
    "soft light",
    "dramatic lighting",
    "muted colours",
    "vivid colours",
    "wide angle",
    "close-up",
    "minimalist",
    "intricate details",
    "shallow depth of field",
]
ADJECTIVES = [
    "dreamy",
    "crisp",
    "moody",
    "vibrant",
    "retro",
    "clean",
    "gritty",
    "soft",
    "bold",
    "elegant",
    "playful",
    "dark",
]
STRENGTHS = [
    "good at faces",
    "strong on lighting",
    "fine textures",
    "clean lines",
    "rich colour",
    "sharp details",
    "coherent compositions",
    "faithful to long prompts",
    "fast at low step counts",
    "natural skin tones",
]
QUERY_TEMPLATES = [
    "a photo of {subject} {setting}",
    "I want to see {subject} {setting}, {style}",
    "generate an image of {subject} as {style}",
    "can you make {style} of {subject}?",
    "please draw {subject} {setting} in {style}",
    "{style} showing {subject} {setting}",
]


def phrase(rng: random.Random, subjects: list[str], styles: list[str]) -> str:
    """A record-style prompt: comma-separated fragments."""
    return f"{rng.choice(SUBJECTS[rng.choice(subjects)])}, {rng.choice(SETTINGS)}, {STYLES[rng.choice(styles)]}, {rng.choice(DETAILS)}"


def make_catalog(n: int, seed: int, path: Path) -> Path:
    rng = random.Random(seed * 1_000_003 + n)
    models = []
    for i in range(n):
        styles = rng.sample([s for s in VOCABULARY["style"] if s in STYLES], rng.randint(1, 2))
        subjects = rng.sample(
            [s for s in VOCABULARY["subject"] if s in SUBJECTS], rng.randint(1, 3)
        )  # words with phrases
        adj = rng.choice(ADJECTIVES)
        shown = ", ".join(rng.choice(SUBJECTS[s]).split(" ", 1)[1] for s in subjects)
        models.append(
            {
                "id": f"bench-{i:04d}",
                "name": f"Bench {adj.title()} {styles[0].title()} {i}",
                "family": "sd15",
                "source": {"kind": "hub", "repo": f"bench/model-{i}"},
                "tags": styles + subjects,
                "description": f"A {adj} {' and '.join(STYLES[s] for s in styles)} model trained on {shown}; {rng.choice(STRENGTHS)}.",
                "example_prompts": [phrase(rng, subjects, styles) for _ in range(2)],
                "license": "bench",
            }
        )
    path.write_text(yaml.safe_dump({"catalog": f"bench-{n}", "models": models}, sort_keys=False))
    return path


def prompt_pool(size: int, seed: int) -> list[str]:
    rng, pool = random.Random(seed), set()
    while len(pool) < size:
        pool.add(phrase(rng, list(SUBJECTS), list(STYLES)))
    return sorted(pool)


def make_queries(count: int, seed: int, exclude: set[str]) -> list[str]:
    rng, out = random.Random(seed + 7919), []
    while len(out) < count:
        q = rng.choice(QUERY_TEMPLATES).format(
            subject=rng.choice(SUBJECTS[rng.choice(list(SUBJECTS))]),
            setting=rng.choice(SETTINGS),
            style=STYLES[rng.choice(list(STYLES))],
        )
        if q not in exclude and q not in out:
            out.append(q)
    return out


def make_records(n_models: int, r: int, pool: list[str], seed: int) -> tuple[list[FeedbackRecord], np.ndarray]:
    """r records over the catalog's ids; each model has a hidden quality so ratings are not pure noise."""
    rng = np.random.default_rng([seed, n_models, r])
    which = rng.integers(0, len(pool), r)
    model = rng.integers(0, n_models, r)
    quality = rng.uniform(0.2, 0.8, n_models)
    stars = np.clip(np.rint(1 + 4 * (quality[model] + rng.normal(0, 0.2, r))), 1, 5)
    t0 = datetime(2025, 1, 1, tzinfo=timezone.utc)
    records = [  # distinct times keep record ids distinct, so the store holds exactly r records
        FeedbackRecord(
            prompt=pool[p], model=f"bench-{m:04d}", rating=(s - 1) / 4, source="bench", time=t0 + timedelta(seconds=i)
        )
        for i, (p, m, s) in enumerate(zip(which.tolist(), model.tolist(), stars.tolist()))
    ]
    return records, which


def run_size(
    n: int, r: int, root: Path, pool: list[str], pool_vecs: np.ndarray, warm: list[str], queries: list[str], seed: int
) -> dict:
    home = Path(tempfile.mkdtemp(prefix=f"m{n}-r{r}-", dir=root))
    sel = Selector(catalog=str(make_catalog(n, seed, home / "catalog.yaml")), llm="none", home=str(home / "data"))
    t = time.perf_counter()
    sel.warm_up()  # embeds the cards and tree nodes into this home's Chroma
    sync_s = time.perf_counter() - t
    records, which = make_records(n, r, pool, seed)
    store = sel.resources.feedback
    t = time.perf_counter()
    store.add_vectors(records, pool_vecs[which])
    load_s = time.perf_counter() - t
    if store.count() != r:
        raise RuntimeError(f"feedback store holds {store.count()} records, expected {r}")
    get_embedder()._cache.clear()  # the same queries ran at the previous size; make each pay its embedding again
    for q in warm:
        sel.select(q)
    total, per_node = [], {k: [] for k in NODES}
    for q in queries:
        t = time.perf_counter()
        res = sel.select(q)
        total.append((time.perf_counter() - t) * 1000)
        for k in NODES:
            per_node[k].append(res["timings_ms"][k])
    row = {
        "models": n,
        "records": r,
        "p50_ms": float(np.percentile(total, 50)),
        "p95_ms": float(np.percentile(total, 95)),
    }
    row.update({f"{k}_p50_ms": float(np.median(v)) for k, v in per_node.items()})
    row.update({"index_load_s": load_s, "catalog_sync_s": sync_s, "queries": len(queries)})
    return row


def machine() -> str:
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        cpu = "unknown CPU"
    import chromadb
    import onnxruntime

    from tools.embeddings import embed_backend

    return (
        f"{os.cpu_count()} cores, {cpu}, embeddings {embed_backend()} (onnxruntime {onnxruntime.__version__}), "
        f"OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS')}, chromadb {chromadb.__version__}, {datetime.now():%Y-%m-%d}"
    )


def table(rows: list[dict]) -> str:
    lines = [
        "| models | records | p50 ms | p95 ms | parse | embed (in tot) | tot | select | extend | feedback load s |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        nodes = " | ".join(f"{r[f'{k}_p50_ms']:.1f}" for k in NODES)
        lines.append(
            f"| {r['models']:,} | {r['records']:,} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | {nodes} | {r['index_load_s']:.1f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    ints = lambda s: [int(x) for x in s.split(",") if x]  # noqa: E731
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--models", type=ints, default=[10, 100, 1000])
    ap.add_argument("--records", type=ints, default=[1000, 10000, 100000])
    ap.add_argument("--queries", type=int, default=50)
    ap.add_argument("--pool", type=int, default=2000, help="distinct record prompts embedded (records sample these)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", action="store_true", help="also print the rows as JSON")
    args = ap.parse_args(argv)
    log = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731

    start = time.perf_counter()
    pool = prompt_pool(args.pool, args.seed)
    t = time.perf_counter()
    pool_vecs = get_embedder().embed(pool)
    log(f"embedded {len(pool)} pool prompts in {time.perf_counter() - t:.1f}s")
    queries = make_queries(args.queries + 5, args.seed, set(pool))
    warm, queries = queries[:5], queries[5:]
    for q in queries:  # torch tunes kernels per sequence length once per process: let the first size not pay for it
        get_embedder().embed([q])
    rows = []
    with tempfile.TemporaryDirectory(prefix="dgpt-bench-") as root:
        for n in args.models:
            for r in args.records:
                rows.append(run_size(n, r, Path(root), pool, pool_vecs, warm, queries, args.seed))
                row = rows[-1]
                log(
                    f"models={n} records={r}: p50 {row['p50_ms']:.1f} ms, p95 {row['p95_ms']:.1f} ms, "
                    f"load {row['index_load_s']:.1f}s, sync {row['catalog_sync_s']:.1f}s ({time.perf_counter() - start:.0f}s so far)"
                )
    print(table(rows))
    print(f"\n{len(queries)} queries per size after 5 warm-up, no-LLM mode, seed {args.seed}. Machine: {machine()}.")
    print(f"Total run time {time.perf_counter() - start:.0f}s.")
    if args.json:
        print(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
