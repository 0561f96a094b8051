"""Train a starter-zoo expert on procedural images (`zoo.world`) and save it as a `StarterPipeline`.

    python -m zoo.train --domain shapes --steps 2000 --out runs/shapes [--seed 0] [--time-budget MIN]

The recipe (measured on a 2-core CPU: 1.3 s a step at batch 64): the `build_unet()` UNet in pixel space,
`DDPMScheduler(1000, "squaredcos_cap_v2", v_prediction)`, min-SNR loss weighting (gamma 5), AdamW (lr 1e-3, 100
warm-up steps, weight decay 0.01), gradient clipping at 1.0, an EMA of the weights for sampling, the text condition
zeroed for 10% of the samples (classifier-free guidance). Captions are encoded once with MiniLM and cached.

Deterministic given the seed: the data and all randomness of step `s` come from generators seeded with
(seed, s), so a run resumed from a checkpoint draws what an uninterrupted run would have drawn and ends with the same
weights. `out_dir/checkpoint/` (weights, EMA, optimizer, step, RNG state; safetensors plus JSON, no pickle) is
replaced atomically every `checkpoint_every` steps and at the end; `train` with `resume=True` (the default) continues
from it. At the end, or when `time_budget_s` runs out, the EMA weights are written to `out_dir/pipeline/`
(`StarterPipeline.save_pretrained`, safetensors), in fp16 when a sampling check shows fp16 weights draw the same
images as fp32 ones, and that path is returned.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import shutil
import time
from pathlib import Path
from typing import Any, Callable

import numpy as np
import torch

from tools.starter import NOISE_SCHEDULE, StarterPipeline, build_unet, sampling_scheduler, text_condition, unet_forward

CHECKPOINT = "checkpoint"
PIPELINE = "pipeline"
META = "meta.json"
INFO = "zoo_training.json"  # written beside the pipeline's model_index.json
# An fp16 export is kept when images sampled from it differ from fp32 ones by at most this much (pixels in [0, 1]).
FP16_MEAN_TOL = 2 / 255
FP16_MAX_TOL = 24 / 255
FP16_CHECK_STEPS = 20  # sampler steps of that check (the pipeline's default)
FP16_CHECK_PROMPTS = 4

DataFn = Callable[..., list]  # (domain, n, rng, size=..., exclude_held_out=...) -> list[Sample]


def _world_batch(domain, n, rng, size=32, exclude_held_out=True):
    from zoo.world import batch

    return batch(domain, n, rng, size=size, exclude_held_out=exclude_held_out)


def _step_seed(seed: int, step: int, stream: int) -> int:
    return int(np.random.SeedSequence([seed, step, stream]).generate_state(1, dtype=np.uint64)[0])


def _images_to_tensor(images: list[np.ndarray]) -> torch.Tensor:
    arr = np.stack([np.asarray(im, dtype=np.uint8) for im in images])  # (B, H, W, 3)
    return torch.from_numpy(arr).permute(0, 3, 1, 2).float().div(127.5).sub(1.0).contiguous()


class CaptionCache:
    """caption -> (hidden (16, 384), pooled (384,)); uncached captions are encoded together, once."""

    def __init__(self):
        self._hidden: dict[str, torch.Tensor] = {}
        self._pooled: dict[str, torch.Tensor] = {}

    def __len__(self) -> int:
        return len(self._hidden)

    def __call__(self, captions: list[str]) -> tuple[torch.Tensor, torch.Tensor]:
        missing = sorted({c for c in captions if c not in self._hidden})
        if missing:
            hidden, pooled = text_condition(missing)
            for c, h, p in zip(missing, hidden, pooled):
                self._hidden[c], self._pooled[c] = h.clone(), p.clone()
        return torch.stack([self._hidden[c] for c in captions]), torch.stack([self._pooled[c] for c in captions])


# --------------------------------------------------------------------------- checkpoints


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _replace_dir(tmp: Path, final: Path) -> None:
    """Move the finished directory `tmp` to `final`. `final` is never missing unless `final.old` holds it."""
    old = final.with_name(final.name + ".old")
    if old.exists():
        if final.exists():
            shutil.rmtree(old)
        else:  # an earlier swap stopped half way: old is the last good copy
            os.replace(old, final)
    if final.exists():
        os.replace(final, old)
    os.replace(tmp, final)
    _fsync_dir(final.parent)
    if old.exists():
        shutil.rmtree(old)


def _write_files(directory: Path, files: dict[str, Any]) -> None:
    from safetensors.torch import save_file

    directory.mkdir(parents=True)
    for name, content in files.items():
        path = directory / name
        if name.endswith(".safetensors"):
            save_file({k: v.detach().contiguous().cpu() for k, v in content.items()}, str(path))
        else:
            path.write_text(json.dumps(content, indent=1, sort_keys=True))
        with open(path, "rb") as fh:
            os.fsync(fh.fileno())


def _optimizer_to_files(opt: torch.optim.Optimizer) -> tuple[dict[str, torch.Tensor], list[dict]]:
    sd = opt.state_dict()
    tensors = {}
    for idx, state in sd["state"].items():
        for key, value in state.items():
            tensors[f"{idx}.{key}"] = value if torch.is_tensor(value) else torch.tensor(value)
    groups = [{k: (list(v) if isinstance(v, tuple) else v) for k, v in g.items()} for g in sd["param_groups"]]
    return tensors, groups


def _optimizer_from_files(opt: torch.optim.Optimizer, tensors: dict[str, torch.Tensor], groups: list[dict]) -> None:
    state: dict[int, dict[str, torch.Tensor]] = {}
    for name, value in tensors.items():
        idx, key = name.split(".", 1)
        state.setdefault(int(idx), {})[key] = value
    groups = [{k: (tuple(v) if k == "betas" else v) for k, v in g.items()} for g in groups]
    opt.load_state_dict({"state": state, "param_groups": groups})


def save_checkpoint(out_dir: Path, unet, ema: dict[str, torch.Tensor], opt, step: int, meta: dict) -> Path:
    out_dir = Path(out_dir)
    final = out_dir / CHECKPOINT
    tmp = out_dir / f".{CHECKPOINT}.tmp-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    opt_tensors, groups = _optimizer_to_files(opt)
    _write_files(
        tmp,
        {
            "unet.safetensors": unet.state_dict(),
            "ema.safetensors": ema,
            "optimizer.safetensors": opt_tensors,
            "rng.safetensors": {"torch": torch.get_rng_state()},
            META: {**meta, "step": step, "optimizer_param_groups": groups},
        },
    )
    _replace_dir(tmp, final)
    return final


def find_checkpoint(out_dir: Path) -> Path | None:
    """The last complete checkpoint in `out_dir`, if any (also one left as `checkpoint.old` by a half-done swap)."""
    for name in (CHECKPOINT, CHECKPOINT + ".old"):
        path = Path(out_dir) / name
        if (path / META).is_file() and (path / "unet.safetensors").is_file():
            return path
    return None


# --------------------------------------------------------------------------- export


def _ema_unet(unet, ema: dict[str, torch.Tensor]):
    model = copy.deepcopy(unet)
    model.load_state_dict(ema)
    return model.eval()


def _check_prompts(data_fn: DataFn, domain: str | None, seed: int, size: int) -> list[str]:
    rng = np.random.default_rng([seed, 2**31 - 1])
    return [s.caption for s in data_fn(domain, FP16_CHECK_PROMPTS, rng, size=size, exclude_held_out=True)]


def _sample(unet, prompts: list[str], steps: int) -> np.ndarray:
    pipe = StarterPipeline(unet=unet, scheduler=sampling_scheduler())
    pipe.set_progress_bar_config(disable=True)
    size = int(unet.config.sample_size)
    gen = torch.Generator("cpu").manual_seed(0)
    return pipe(
        prompts, num_inference_steps=steps, guidance_scale=4.0, width=size, height=size, generator=gen, output_type="np"
    ).images


def fp16_difference(unet, prompts: list[str], steps: int | None = None) -> tuple[float, float]:
    """(mean, max) absolute pixel difference between images sampled with `unet` and with its weights rounded to fp16."""
    steps = steps or FP16_CHECK_STEPS
    rounded = copy.deepcopy(unet).half().float()  # Module.half/float: diffusers' to(dtype) warns on every call
    a, b = _sample(unet, prompts, steps), _sample(rounded, prompts, steps)
    diff = np.abs(a - b)
    return float(diff.mean()), float(diff.max())


def export_pipeline(
    unet, out_dir: Path, save_dtype: str, prompts: list[str], info: dict, log: Callable[[str], None]
) -> Path:
    """Write `unet` (EMA weights) as a StarterPipeline in `out_dir/pipeline` and return that path."""
    if save_dtype not in ("auto", "fp16", "fp32"):
        raise ValueError(f"save_dtype must be 'auto', 'fp16' or 'fp32', not {save_dtype!r}")
    dtype = save_dtype
    if save_dtype == "auto":
        mean, worst = fp16_difference(unet, prompts)
        dtype = "fp16" if mean <= FP16_MEAN_TOL and worst <= FP16_MAX_TOL else "fp32"
        info["fp16_check"] = {"mean_abs": mean, "max_abs": worst, "prompts": prompts}
        log(f"fp16 check: mean |diff| {mean * 255:.2f}/255, max {worst * 255:.1f}/255 -> saving {dtype}")
    model = copy.deepcopy(unet).half() if dtype == "fp16" else copy.deepcopy(unet).float()
    pipe = StarterPipeline(unet=model, scheduler=sampling_scheduler())
    final = Path(out_dir) / PIPELINE
    tmp = Path(out_dir) / f".{PIPELINE}.tmp-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    pipe.save_pretrained(tmp, safe_serialization=True)
    (tmp / INFO).write_text(json.dumps({**info, "dtype": dtype}, indent=1, sort_keys=True))
    _replace_dir(tmp, final)
    size = sum(p.stat().st_size for p in final.rglob("*") if p.is_file())
    log(f"saved {final} ({dtype}, {size / 1e6:.2f} MB)")
    return final


# --------------------------------------------------------------------------- training


def train(
    domain: str | None,
    out_dir: Path,
    steps: int,
    seed: int = 0,
    batch_size: int = 64,
    resume: bool = True,
    checkpoint_every: int = 200,
    log: Callable[[str], None] = print,
    time_budget_s: float | None = None,
    *,
    unet_config: dict | None = None,
    lr: float = 1e-3,
    warmup_steps: int = 100,
    weight_decay: float = 0.01,
    grad_clip: float = 1.0,
    ema_decay: float = 0.999,
    cond_drop: float = 0.1,
    snr_gamma: float = 5.0,
    log_every: int = 50,
    save_dtype: str = "auto",
    data_fn: DataFn | None = None,
) -> Path:
    """Train (or continue training) an expert for `domain` (None: the generalist over all domains) up to `steps`
    optimizer steps in total, and return the path of the saved `StarterPipeline`.

    `unet_config`: overrides of the recipe UNet's config (tests pass a tiny one). `save_dtype`: "auto" (fp16 when its
    samples match fp32's, see `fp16_difference`), "fp16" or "fp32". `data_fn`: replaces `zoo.world.batch`.
    A checkpoint written with another domain, seed, batch size or UNet config is refused, not resumed.
    """
    from diffusers import DDPMScheduler

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in out_dir.glob(".*.tmp-*"):  # left by a run killed while writing
        shutil.rmtree(stale, ignore_errors=True)
    data_fn = data_fn or _world_batch
    start_time = time.monotonic()

    torch.manual_seed(seed)
    unet = build_unet(unet_config)
    size = int(unet.config.sample_size)
    config = {
        k: (list(v) if isinstance(v, tuple) else v) for k, v in dict(unet.config).items() if not k.startswith("_")
    }
    identity = {"domain": domain, "seed": seed, "batch_size": batch_size, "unet_config": json.loads(json.dumps(config))}
    hparams = {
        "lr": lr,
        "warmup_steps": warmup_steps,
        "weight_decay": weight_decay,
        "grad_clip": grad_clip,
        "ema_decay": ema_decay,
        "cond_drop": cond_drop,
        "snr_gamma": snr_gamma,
        **NOISE_SCHEDULE,
    }
    params = [p for p in unet.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=lr, weight_decay=weight_decay)
    ema = {k: v.detach().clone() for k, v in unet.state_dict().items()}
    step = 0

    ckpt = find_checkpoint(out_dir) if resume else None
    if ckpt is not None:
        from safetensors.torch import load_file

        meta = json.loads((ckpt / META).read_text())
        mismatched = {k: (meta.get(k), v) for k, v in identity.items() if meta.get(k) != v}
        if mismatched:
            raise ValueError(
                f"{ckpt} was written by a different run ({', '.join(f'{k}: {a!r} != {b!r}' for k, (a, b) in mismatched.items())}); "
                "pass resume=False or another out_dir"
            )
        unet.load_state_dict(load_file(str(ckpt / "unet.safetensors")))
        ema = load_file(str(ckpt / "ema.safetensors"))
        _optimizer_from_files(opt, load_file(str(ckpt / "optimizer.safetensors")), meta["optimizer_param_groups"])
        torch.set_rng_state(load_file(str(ckpt / "rng.safetensors"))["torch"])
        step = int(meta["step"])
        log(f"resumed from {ckpt} at step {step}")

    noise_sched = DDPMScheduler(**NOISE_SCHEDULE)
    alphas_cumprod = noise_sched.alphas_cumprod.float()
    cache = CaptionCache()
    meta_out = {**identity, "hparams": hparams}
    ema_keys = [k for k, v in unet.state_dict().items() if v.is_floating_point()]
    live = unet.state_dict(keep_vars=True)

    def checkpoint() -> None:
        save_checkpoint(out_dir, unet, ema, opt, step, meta_out)

    losses: list[float] = []
    window_start, window_steps = time.monotonic(), 0
    phase = {"data": 0.0, "text": 0.0}  # seconds spent drawing images and encoding new captions, this log window
    stopped_early = False
    updating = False
    last_loss = float("nan")
    unet.train()
    try:
        while step < steps:
            if time_budget_s is not None and time.monotonic() - start_time >= time_budget_s:
                stopped_early = True
                log(f"time budget of {time_budget_s:.0f} s spent at step {step}/{steps}")
                break
            t_data = time.perf_counter()
            rng = np.random.default_rng([seed, step])
            samples = data_fn(domain, batch_size, rng, size=size, exclude_held_out=True)
            x0 = _images_to_tensor([s.image for s in samples])
            t_text = time.perf_counter()
            hidden, pooled = cache([s.caption for s in samples])
            phase["data"] += t_text - t_data
            phase["text"] += time.perf_counter() - t_text

            gen = torch.Generator("cpu").manual_seed(_step_seed(seed, step, 1))
            n = x0.shape[0]
            t = torch.randint(0, noise_sched.config.num_train_timesteps, (n,), generator=gen)
            noise = torch.randn(x0.shape, generator=gen)
            drop = torch.rand(n, generator=gen) < cond_drop
            hidden = hidden.masked_fill(drop[:, None, None], 0.0)
            pooled = pooled.masked_fill(drop[:, None], 0.0)

            noisy = noise_sched.add_noise(x0, noise, t)
            target = noise_sched.get_velocity(x0, noise, t)
            pred = unet_forward(unet, noisy, t, hidden, pooled)
            snr = alphas_cumprod[t] / (1 - alphas_cumprod[t])
            weight = snr.clamp(max=snr_gamma) / (snr + 1)  # min-SNR-gamma for v-prediction
            per_sample = ((pred.float() - target) ** 2).mean(dim=(1, 2, 3))
            loss = (weight * per_sample).mean()

            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, grad_clip)
            for group in opt.param_groups:
                group["lr"] = lr * min(1.0, (step + 1) / max(1, warmup_steps))
            updating = True
            opt.step()
            decay = min(ema_decay, (1 + step) / (10 + step))
            with torch.no_grad():
                for k in ema_keys:
                    ema[k].mul_(decay).add_(live[k].detach(), alpha=1 - decay)
            step += 1
            updating = False

            last_loss = float(loss.detach())
            losses.append(last_loss)
            window_steps += 1
            if step % log_every == 0 or step == steps:
                elapsed = time.monotonic() - window_start
                log(
                    f"step {step}/{steps} loss {sum(losses) / len(losses):.4f} "
                    f"{window_steps / max(elapsed, 1e-9):.2f} steps/s ({elapsed / window_steps:.2f} s/step: "
                    f"data {phase['data'] / window_steps:.2f}, text {phase['text'] / window_steps:.2f}) "
                    f"lr {opt.param_groups[0]['lr']:.2e} captions cached {len(cache)}"
                )
                losses, window_start, window_steps = [], time.monotonic(), 0
                phase = {"data": 0.0, "text": 0.0}
            if checkpoint_every and step % checkpoint_every == 0 and step < steps:
                checkpoint()
    except KeyboardInterrupt:
        if not updating:  # weights, EMA and optimizer agree with `step`: keep the work done so far
            checkpoint()
            log(f"interrupted; checkpoint at step {step} in {out_dir / CHECKPOINT}")
        raise

    checkpoint()
    info = {**meta_out, "steps": step, "target_steps": steps, "stopped_early": stopped_early, "last_loss": last_loss}
    ema_model = _ema_unet(unet, ema)
    prompts = _check_prompts(data_fn, domain, seed, size) if save_dtype == "auto" else []
    return export_pipeline(ema_model, out_dir, save_dtype, prompts, info, log)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m zoo.train", description=__doc__.split("\n\n")[0])
    ap.add_argument("--domain", default="all", help="a domain of zoo.world, or 'all' for the generalist")
    ap.add_argument("--steps", type=int, required=True, help="total optimizer steps (a resumed run continues to this)")
    ap.add_argument("--out", type=Path, required=True, help="output directory (checkpoint/ and pipeline/)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument(
        "--time-budget", type=float, default=None, metavar="MIN", help="stop and save after this many minutes"
    )
    ap.add_argument("--checkpoint-every", type=int, default=200)
    ap.add_argument("--no-resume", action="store_true", help="start afresh even if OUT/checkpoint exists")
    ap.add_argument("--save-dtype", choices=("auto", "fp16", "fp32"), default="auto")
    ap.add_argument("--threads", type=int, default=None, help="torch threads (default: torch's choice)")
    args = ap.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    domain = None if args.domain.lower() in ("all", "none", "generalist") else args.domain

    def log(msg: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)

    path = train(
        domain,
        args.out,
        args.steps,
        seed=args.seed,
        batch_size=args.batch_size,
        resume=not args.no_resume,
        checkpoint_every=args.checkpoint_every,
        log=log,
        time_budget_s=None if args.time_budget is None else args.time_budget * 60,
        save_dtype=args.save_dtype,
    )
    log(f"pipeline: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
