"""Pipeline cache versus reloading on every request (the original DiffusionGPT's behaviour). A benchmark, not a test.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/bench_generate.py [--requests 100] [--cache 2] [--seed 0]

Five tiny random pipelines (SD 1.5-like, a second SD 1.5-like, SDXL-like, a LoRA on the first, and a single-file
checkpoint) are built in a temp directory and listed in a temp catalog; a mixed workload of requests over them
(skewed, as real traffic is: a few models take most requests) runs twice through the same loader and generator:
once with an LRU cache sized for `--cache` pipelines, once clearing the cache before every request. Tiny pipelines
load in well under a second; real checkpoints are gigabytes read per load, so the gap here is a lower bound.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ["HF_HUB_OFFLINE"] = "1"

import argparse  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import torch  # noqa: E402
import yaml  # noqa: E402

torch.set_num_threads(1)

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repo root: the tiny pipelines live with the tests

from tests.dummy_pipes import LORA_WEIGHT_NAME, make_lora, make_sd15, make_sdxl, make_single_file  # noqa: E402
from tools.catalog import load_catalog  # noqa: E402
from tools.generate import GenerateArgs, ImageGenerator  # noqa: E402
from tools.pipelines import PipelineCache  # noqa: E402

FAST = {"steps": 2, "guidance": 5.0, "width": 64, "height": 64}


def card(id: str, tags: list[str], description: str, examples: list[str], family: str = "sd15", **extra) -> dict:
    return {
        "id": id,
        "name": id,
        "family": family,
        "tags": tags,
        "description": description,
        "example_prompts": examples,
        "license": "test",
        **extra,
    }


def build_catalog(d: Path) -> Path:
    sd, sd_b, xl = make_sd15(d / "sd"), make_sd15(d / "sd-b", seed=1), make_sdxl(d / "xl")
    lora, single = make_lora(d / "lora", sd), make_single_file(d / "single.safetensors", sd_b)
    tags = ["general", "object"]
    models = [
        card(
            "m-sd",
            tags,
            "Tiny SD 1.5-like model.",
            ["a", "b"],
            source={"kind": "local", "path": str(sd)},
            defaults=FAST,
        ),
        card(
            "m-sd-b",
            tags,
            "Another SD 1.5-like model.",
            ["a", "b"],
            source={"kind": "local", "path": str(sd_b)},
            defaults=FAST,
        ),
        card(
            "m-xl",
            tags,
            "Tiny SDXL-like model.",
            ["a", "b"],
            family="sdxl",
            source={"kind": "local", "path": str(xl)},
            defaults=FAST,
        ),
        card(
            "m-lora",
            tags,
            "A LoRA on m-sd.",
            ["a", "b"],
            source={"kind": "lora", "base": "m-sd", "path": str(lora), "weight_name": LORA_WEIGHT_NAME},
            defaults=FAST,
        ),
        card(
            "m-single",
            tags,
            "A single-file checkpoint.",
            ["a", "b"],
            source={"kind": "single_file", "path": str(single), "config": str(sd_b)},
            defaults=FAST,
        ),
    ]
    path = d / "bench.yaml"
    path.write_text(yaml.safe_dump({"catalog": "bench-gen", "models": models}))
    return path


def workload(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    ids, weights = ["m-sd", "m-xl", "m-lora", "m-sd-b", "m-single"], [0.35, 0.25, 0.2, 0.12, 0.08]
    return rng.choices(ids, weights=weights, k=n)


def run(catalog_path: Path, requests: list[str], out: Path, cache_size: int | None) -> dict:
    catalog = load_catalog(catalog_path)
    probe = PipelineCache(catalog, device="cpu")
    probe.get("m-xl")  # the largest of the five
    budget = int(probe.used_bytes * cache_size * 1.05) if cache_size else None
    probe.clear()
    cache = PipelineCache(catalog, device="cpu", budget_bytes=budget)
    gen = ImageGenerator(catalog, cache=cache, out_dir=out)
    latencies, start = [], time.perf_counter()
    for i, model in enumerate(requests):
        t = time.perf_counter()
        if cache_size is None:
            cache.clear()  # the original: load from disk for every request
        gen.generate(model, GenerateArgs(prompt=f"request {i}", seed=i))
        latencies.append((time.perf_counter() - t) * 1000)
    wall = time.perf_counter() - start
    latencies.sort()
    return {
        "loads": cache.loads,
        "wall_s": wall,
        "p50_ms": statistics.median(latencies),
        "p95_ms": latencies[int(0.95 * (len(latencies) - 1))],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--requests", type=int, default=100)
    ap.add_argument("--cache", type=int, default=2, help="pipelines the cache has room for")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        catalog = build_catalog(d)
        requests = workload(args.requests, args.seed)
        run(catalog, requests[:3], d / "warm", args.cache)  # import and first-call costs out of the comparison
        cached = run(catalog, requests, d / "cached", args.cache)
        reload = run(catalog, requests, d / "reload", None)
    mix = {m: requests.count(m) for m in sorted(set(requests))}
    print(f"{args.requests} requests over 5 tiny models {mix}, seed {args.seed}, CPU, 2 steps at 64x64\n")
    print("| | loads | wall s | p50 ms/request | p95 ms/request |\n|---|---:|---:|---:|---:|")
    print(
        f"| LRU cache of {args.cache} | {cached['loads']} | {cached['wall_s']:.1f} | {cached['p50_ms']:.0f} | {cached['p95_ms']:.0f} |"
    )
    print(
        f"| reload every request | {reload['loads']} | {reload['wall_s']:.1f} | {reload['p50_ms']:.0f} | {reload['p95_ms']:.0f} |"
    )
    print(f"\nwall-time ratio reload / cache: {reload['wall_s'] / cached['wall_s']:.1f}x")


if __name__ == "__main__":
    main()
