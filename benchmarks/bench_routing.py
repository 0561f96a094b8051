"""Routing quality in the starter world (issue 4). A benchmark, not a test.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/bench_routing.py [--per-domain 40] [--seed 1]
        [--ratings tools/catalogs/starter/ratings.jsonl] [--json]

Prompts are captions of held-out attribute combinations (no expert saw them in training, and no feedback record
rates them). Every starter model draws every prompt from the same noise and the judge rates each image, giving a
rating matrix; each strategy is then scored by the rating of the model it picks:

  routed            the full selection graph in no-LLM mode, with the `dgpt zoo rate` ratings as feedback
  routed, no fb     the same graph with an empty feedback index (tree search and descriptions only)
  description-only  the model whose card embedding is nearest the prompt's (plain retrieval, no tree, no feedback)
  random            a uniformly random model (the mean rating over models)
  generalist        always `starter-generalist`
  oracle            the best-rated model for each prompt (an upper bound no router can beat)

The feedback comes from the ratings file written by `dgpt zoo rate --out` (seen combinations only), imported into a
throwaway data home, so the benchmark never touches the user's index.
"""

from __future__ import annotations

import os

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["ANONYMIZED_TELEMETRY"] = "False"
os.environ.setdefault("OMP_NUM_THREADS", "1")
for _var in ("DGPT_LLM", "DGPT_CHROMA_URL"):
    os.environ.pop(_var, None)

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402

torch.set_num_threads(1)

from agent.selector import Selector  # noqa: E402
from tools.catalog import load_catalog  # noqa: E402
from tools.feedback import FeedbackStore, read_records  # noqa: E402
from tools.index import Index  # noqa: E402
from zoo import world  # noqa: E402
from zoo.rate import domain_of, prompt_set, rating_matrix  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_RATINGS = ROOT / "tools" / "catalogs" / "starter" / "ratings.jsonl"
GENERALIST = "starter-generalist"


def expert_of(domain: str | None) -> str:
    return f"starter-{domain}"


def route(selector: Selector, prompts: list[str]) -> tuple[list[str], list[float]]:
    picks, ms = [], []
    for p in prompts:
        t0 = time.perf_counter()
        picks.append(selector.select(p)["model"])
        ms.append((time.perf_counter() - t0) * 1000)
    return picks, ms


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--per-domain", type=int, default=40, help="held-out prompts per domain")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--catalog", default="starter")
    ap.add_argument("--ratings", type=Path, default=DEFAULT_RATINGS, help="feedback file from `dgpt zoo rate --out`")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if not args.ratings.is_file():
        ap.error(f"ratings file {args.ratings} not found; write one with `dgpt zoo rate --out FILE`")

    catalog = load_catalog(args.catalog)
    ids = catalog.ids
    prompts = prompt_set(args.per_domain, seed=args.seed, held_out=True)
    domains = [domain_of(p) for p in prompts]

    t0 = time.perf_counter()
    ratings = rating_matrix(catalog, ids, prompts, seed=args.seed)
    draw_s = time.perf_counter() - t0
    col = {m: j for j, m in enumerate(ids)}

    with tempfile.TemporaryDirectory(prefix="dgpt-bench-routing-") as tmp:
        bare = Selector(catalog=args.catalog, llm="none", home=str(Path(tmp) / "bare"))
        bare_picks, _ = route(bare, prompts)
        home = Path(tmp) / "rated"
        records = read_records(args.ratings, known_models=set(ids))
        FeedbackStore(Index(home=home)).add(records)
        routed = Selector(catalog=args.catalog, llm="none", home=str(home))
        routed_picks, routed_ms = route(routed, prompts)
        res = routed.resources
        sims = res.embedder.embed(prompts) @ res.model_vecs.T  # both unit-normalised: cosine similarity
        desc_picks = [res.model_ids[int(i)] for i in sims.argmax(1)]

    n = len(prompts)
    idx = np.arange(n)
    strategies = {
        "routed": ratings[idx, [col[m] for m in routed_picks]],
        "routed, no fb": ratings[idx, [col[m] for m in bare_picks]],
        "description-only": ratings[idx, [col[m] for m in desc_picks]],
        "random": ratings.mean(1),
        "generalist": ratings[:, col[GENERALIST]] if GENERALIST in col else np.full(n, np.nan),
        "oracle": ratings.max(1),
    }
    picks = {"routed": routed_picks, "routed, no fb": bare_picks, "description-only": desc_picks}
    oracle = strategies["oracle"].mean()
    table = []
    for name, values in strategies.items():
        row = {"strategy": name, "mean": float(values.mean()), "of_oracle": float(values.mean() / oracle)}
        for d in world.DOMAINS:
            mask = np.array([x == d for x in domains])
            row[d] = float(values[mask].mean())
        if name in picks:
            row["expert_chosen"] = float(np.mean([m == expert_of(d) for m, d in zip(picks[name], domains)]))
        table.append(row)
    per_model = {
        m: {d: float(ratings[np.array([x == d for x in domains]), j].mean()) for d in world.DOMAINS}
        for m, j in col.items()
    }
    report = {
        "prompts": n,
        "per_domain": args.per_domain,
        "seed": args.seed,
        "models": ids,
        "ratings_file": str(args.ratings),
        "feedback_records": len(records),
        "draw_and_judge_s": round(draw_s, 1),
        "route_ms_p50": float(np.median(routed_ms)),
        "table": table,
        "per_model": per_model,
    }
    if args.json:
        print(json.dumps(report, indent=1))
        return 0
    print(
        f"{n} held-out prompts ({args.per_domain} per domain), {len(ids)} models, {len(records)} feedback records; "
        f"drawing and judging took {draw_s:.0f} s, routing p50 {report['route_ms_p50']:.0f} ms"
    )
    head = (
        f"{'strategy':<18}{'mean':>7}{'% oracle':>10}"
        + "".join(f"{d:>12}" for d in world.DOMAINS)
        + f"{'expert chosen':>15}"
    )
    print(head)
    for r in table:
        chosen = f"{100 * r['expert_chosen']:>14.0f}%" if "expert_chosen" in r else f"{'':>15}"
        print(
            f"{r['strategy']:<18}{r['mean']:>7.3f}{100 * r['of_oracle']:>9.1f}%"
            + "".join(f"{r[d]:>12.3f}" for d in world.DOMAINS)
            + chosen
        )
    print("\nmean rating of each model by domain")
    print(f"{'model':<20}" + "".join(f"{d:>12}" for d in world.DOMAINS))
    for m, row in per_model.items():
        print(f"{m:<20}" + "".join(f"{row[d]:>12.3f}" for d in world.DOMAINS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
