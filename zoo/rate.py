"""Rate the starter zoo with the judge: every model draws every prompt, the judge rates each image (issue 4).

This is the project's stand-in for the paper's human-feedback database: `dgpt zoo rate` turns the rating matrix
into feedback records (source `zoo-judge`), and `benchmarks/bench_routing.py` uses the same matrix on held-out
prompts to compare routing strategies against the oracle.

Every model draws a prompt from the same starting noise (seed + the prompt's position), so differences between
models are the models', not the noise's.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from zoo import world

SOURCE = "zoo-judge"
DRAW_SIZE = 32  # the models draw at 32x32 and the judge reads 32x32: no upscaling on this path


class RateError(ValueError):
    pass


def prompt_set(per_domain: int, seed: int = 0, held_out: bool = False) -> list[str]:
    """`per_domain` captions per domain, of seen attribute combinations or (held_out=True) of held-out ones.

    Combinations are drawn without replacement until a domain runs out, then reused with other phrasings.
    """
    if per_domain < 1:
        raise RateError(f"per_domain must be at least 1, got {per_domain}")
    rng = np.random.default_rng([seed, int(held_out)])
    prompts: list[str] = []
    for domain in world.DOMAINS:
        hidden = world.held_out(domain)
        combos = sorted(hidden) if held_out else [c for c in world.combinations(domain) if c not in hidden]
        names = tuple(world.ATTRIBUTES[domain])
        seen: set[str] = set()
        for i in range(per_domain):
            if i % len(combos) == 0:
                order = rng.permutation(len(combos))
            attributes = dict(zip(names, combos[int(order[i % len(combos)])]))
            for _ in range(20):  # a fresh phrasing where one exists
                text = world.caption(domain, attributes, rng)
                if text not in seen:
                    break
            seen.add(text)
            prompts.append(text)
    return prompts


def domain_of(prompt: str) -> str | None:
    parsed = world.parse_caption(prompt)
    return parsed[0] if parsed is not None else None


def rating_matrix(
    catalog,
    model_ids: Sequence[str],
    prompts: Sequence[str],
    seed: int = 0,
    batch: int = 64,
    cache=None,
    judge=None,
    progress: Callable[[str, int, int], None] | None = None,
) -> np.ndarray:
    """(len(prompts), len(model_ids)) judge ratings; models load through the project's loader and cache.

    Each model draws with its card's default steps and guidance; prompt i starts from the noise of seed + i.
    """
    import torch

    from tools.pipelines import PipelineCache
    from zoo.judge import Judge

    prompts = list(prompts)
    if not prompts:
        raise RateError("no prompts to rate")
    cards = [catalog.get(m) for m in model_ids]
    foreign = [c.id for c in cards if c.family != "starter"]
    if foreign:
        raise RateError(f"the judge only reads the starter world; {foreign} are not starter models (family 'starter')")
    cache = cache or PipelineCache(catalog, device="cpu")
    judge = judge or Judge.load()
    out = np.zeros((len(prompts), len(cards)), dtype=np.float64)
    for j, card in enumerate(cards):
        pipe, _ = cache.get(card.id)
        steps, guidance = card.defaults.steps, card.defaults.guidance
        for start in range(0, len(prompts), batch):
            chunk = prompts[start : start + batch]
            generators = [torch.Generator("cpu").manual_seed(seed + start + k) for k in range(len(chunk))]
            images = pipe(
                chunk,
                num_inference_steps=steps,
                guidance_scale=guidance,
                width=DRAW_SIZE,
                height=DRAW_SIZE,
                generator=generators,
                output_type="np",
            ).images
            out[start : start + len(chunk), j] = judge.rate_batch(images, chunk)
            if progress:
                progress(card.id, min(start + batch, len(prompts)), len(prompts))
    return out


def to_records(model_ids: Sequence[str], prompts: Sequence[str], ratings: np.ndarray) -> list:
    """Feedback records without a time, so rating the same images again stores each record once."""
    from tools.feedback import FeedbackRecord

    return [
        FeedbackRecord(prompt=p, model=m, rating=round(float(ratings[i, j]), 4), source=SOURCE)
        for i, p in enumerate(prompts)
        for j, m in enumerate(model_ids)
    ]


def write_jsonl(records: list, path: Path) -> Path:
    """Atomically: a crash leaves the old file or the new one, never half of one."""
    from tools.files import atomic_write

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = "".join(json.dumps(r.model_dump(mode="json", exclude={"time"}), ensure_ascii=False) + "\n" for r in records)
    atomic_write(path, lambda f: f.write(lines.encode("utf-8")))
    return path


def summary(model_ids: Sequence[str], prompts: Sequence[str], ratings: np.ndarray) -> list[dict]:
    """Mean rating per model overall and per domain of the prompts."""
    domains = [domain_of(p) for p in prompts]
    rows = []
    for j, m in enumerate(model_ids):
        row = {"model": m, "all": float(ratings[:, j].mean())}
        for d in world.DOMAINS:
            mask = np.array([x == d for x in domains])
            row[d] = float(ratings[mask, j].mean()) if mask.any() else float("nan")
        rows.append(row)
    return rows


def format_summary(rows: list[dict]) -> str:
    cols = ["all", *world.DOMAINS]
    lines = [f"{'model':<20}" + "".join(f"{c:>12}" for c in cols)]
    for r in rows:
        lines.append(f"{r['model']:<20}" + "".join(f"{r[c]:>12.3f}" for c in cols))
    return "\n".join(lines)
